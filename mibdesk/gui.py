"""The GUI's entry point (`mibdesk`, `python -m mibdesk`).

Garbage collection is paused while the program imports and builds its first window: the
collector would otherwise walk the hundreds of thousands of objects the imports create,
again and again, for about a tenth of the start-up time (bench/startup.py). `ui.app.main`
freezes what start-up created and turns collection back on once the window is shown.
"""

import gc
import os
import sys


def main() -> int:
    gc.disable()
    # mibdesk uses no pydantic plugins; looking for them scans every installed package
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from mibdesk.ui.app import main as run_app

    return run_app()


if __name__ == "__main__":
    sys.exit(main())
