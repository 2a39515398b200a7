"""Start-up: process start to the main window shown on the demo office.

Baseline, measured in the same run: a bare PySide6 program that shows a window holding a
10,000-row table. Several runs each, medians; peak memory (max RSS) of mibdesk too.
Goals (issue #2): ratio <= 2.0, peak memory < 250 MB.

    .venv/bin/python bench/startup.py [RUNS] [--source]

Both programs run with their bytecode cached in a private folder, written by the warm-up
run, as an installed mibdesk has it (the bundle ships bytecode): with PYTHONDONTWRITEBYTECODE
set, as on some development machines, every start would compile mibdesk's own modules again
(~60 of them before the window, 50–90 ms), which no user pays. `--source` leaves bytecode
to the environment, as this benchmark did before.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import spawn_to_window

BASELINE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv)
model = QStandardItemModel(10_000, 5)
for row in range(10_000):
    for col in range(5):
        model.setItem(row, col, QStandardItem(f"{row},{col}"))
window = QMainWindow()
view = QTableView()
view.setModel(model)
window.setCentralWidget(view)
window.resize(1366, 768)
window.show()
def shown():
    print(f"shown {time.time():.6f}", flush=True)
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""


def main() -> int:
    args = [arg for arg in sys.argv[1:] if arg != "--source"]
    runs = int(args[0]) if args else 7
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    scratch = Path(tempfile.mkdtemp())
    if "--source" not in sys.argv:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(scratch / "bytecode")
    folder = scratch / "demo"
    subprocess.run(
        [sys.executable, "-m", "mibdesk.cli", "demo", "--data-dir", str(folder)],
        check=True,
        env=env,
        capture_output=True,
    )
    app = [sys.executable, "-m", "mibdesk", "--demo", "--data-dir", str(folder), "--smoke"]
    base = [sys.executable, "-c", BASELINE]
    spawn_to_window(app, env)  # warm the file cache once for both
    spawn_to_window(base, env)
    app_times, ready_times, base_times, peaks = [], [], [], []
    for _run in range(runs):
        seconds, ready, peak = spawn_to_window(app, env)
        app_times.append(seconds)
        ready_times.append(ready)
        peaks.append(peak)
        base_times.append(spawn_to_window(base, env)[0])
    app_median, base_median = statistics.median(app_times), statistics.median(base_times)
    ready_median = statistics.median(ready_times)
    print(f"mibdesk --demo to main window: median {app_median * 1000:.0f} ms ({runs} runs)")
    print(f"  ...and the workbench filled in: median {ready_median * 1000:.0f} ms")
    print(f"bare PySide6 + 10,000-row table: median {base_median * 1000:.0f} ms")
    print(
        f"ratio {app_median / base_median:.2f} (goal <= 2.0); "
        f"with the workbench filled {ready_median / base_median:.2f}"
    )
    print(f"peak memory {max(peaks) / 1024:.0f} MB (goal < 250 MB)")
    cached = "PYTHONPYCACHEPREFIX" in env
    print("bytecode: " + ("cached, as installed" if cached else "as the environment has it"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
