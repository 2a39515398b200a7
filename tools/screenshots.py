"""Screenshot every screen of the demo office at the sizes offices use.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots.py [OUT_DIR]

Writes <screen>-<width>x<height>.png for 1366×768 and 1920×1080 (default OUT_DIR: shots/).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication

from mibdesk.core.services import accounts, demo
from mibdesk.core.services.store import open_store
from mibdesk.ui.app import apply_language, build_window, make_application

SIZES = ((1366, 768), (1920, 1080))


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "shots")
    out.mkdir(parents=True, exist_ok=True)
    app = make_application(sys.argv[:1])
    apply_language(app, "zh_CN")
    folder = Path(tempfile.mkdtemp()) / "demo"
    clock = lambda: datetime(2026, 11, 23, 9, 30).astimezone()  # noqa: E731
    demo.create_demo_office(folder, clock)
    store = open_store(folder, clock=clock)
    actor = accounts.login(store, demo.DEMO_HEAD, demo.DEMO_PASSWORD).value
    window = build_window(store, actor, is_demo=True)
    window.show()
    for width, height in SIZES:
        window.resize(width, height)
        for key in window.screen_keys():
            window.show_screen(key)
            window.ctx.tasks.wait_idle(5000)
            QApplication.processEvents()
            window.grab().save(str(out / f"{key}-{width}x{height}.png"))
    window.ctx.tasks.shutdown()
    store.close()
    print(f"screenshots in {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
