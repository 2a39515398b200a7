"""Bundle start-up: process start to the main window on the demo office, from the PyInstaller
bundle (dist/mibdesk, built by installer/build.py) against the same start from the venv.

Baseline, measured in the same run: `python -m mibdesk --demo --smoke` from the venv, on the
same demo office. Several runs each, alternating, medians. Goal (issue #8): ratio <= 1.2.
Without a bundle it says how to build one and exits 0.

    .venv/bin/python bench/bundle_startup.py [RUNS] [BUNDLE_FOLDER]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import spawn_to_window

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    bundle = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "dist" / "mibdesk"
    program = bundle / ("mibdesk.exe" if sys.platform == "win32" else "mibdesk")
    if not program.is_file():
        print(f"no bundle at {bundle}: build it first with `python installer/build.py`")
        return 0
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    folder = Path(tempfile.mkdtemp()) / "demo"
    subprocess.run(
        [sys.executable, "-m", "mibdesk.cli", "demo", "--data-dir", str(folder)],
        check=True,
        env=env,
        capture_output=True,
    )
    options = ["--demo", "--data-dir", str(folder), "--smoke"]
    frozen = [str(program), *options]
    venv = [sys.executable, "-m", "mibdesk", *options]
    spawn_to_window(frozen, env)  # warm the file cache once for both
    spawn_to_window(venv, env)
    frozen_times, frozen_ready, venv_times, venv_ready = [], [], [], []
    for _run in range(runs):
        shown, ready, _peak = spawn_to_window(frozen, env)
        frozen_times.append(shown)
        frozen_ready.append(ready)
        shown, ready, _peak = spawn_to_window(venv, env)
        venv_times.append(shown)
        venv_ready.append(ready)
    frozen_median, venv_median = statistics.median(frozen_times), statistics.median(venv_times)
    print(f"bundle {bundle}: main window median {frozen_median * 1000:.0f} ms ({runs} runs)")
    print(f"venv python -m mibdesk: main window median {venv_median * 1000:.0f} ms")
    print(
        f"ratio {frozen_median / venv_median:.2f} (goal <= 1.2); with the workbench filled "
        f"{statistics.median(frozen_ready) / statistics.median(venv_ready):.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
