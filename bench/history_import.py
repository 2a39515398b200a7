"""History import: `read_history` on a 50,000-row sheet against python-calamine alone.

The workbook is generated here with openpyxl's write-only mode: about 22 years of monthly
figures for a Shaoxing county, every input line of the employee and resident schemes for the
county itself and the resident-scheme township lines for 20 townships. Baseline, measured in
the same run on the same file: python-calamine opening the workbook and reading the sheet
(`to_python`), nothing else. Several runs each, medians.
Goal (issue #3): ratio <= 1.5.

    .venv/bin/python bench/history_import.py [RUNS]
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROWS = 50_000
OFFICE = "330602"
TOWNSHIPS = [f"{OFFICE}{number:03d}" for number in range(101, 121)]


def generate(path: Path) -> int:
    from openpyxl import Workbook

    from mibdesk.core.catalog import load_profile

    profile = load_profile("shaoxing")
    rng = random.Random(20261)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("历史数据")
    sheet.append(["单位代码", "险种", "项目代码", "期间", "数值"])
    written = 0
    year, month = 2004, 1
    while written < ROWS:
        period = f"{year}-{month:02d}"
        for scheme in (profile.scheme("EMP"), profile.scheme("RES")):
            for line in scheme.lines:
                if line.computed:
                    continue
                units = [OFFICE] + (TOWNSHIPS if line.township else [])
                for unit in units:
                    if written >= ROWS:
                        break
                    if line.unit == "persons":
                        value: object = rng.randint(0, 200_000)
                    else:
                        value = Decimal(rng.randint(0, 5_000_000_000)).scaleb(-2)
                    sheet.append([unit, scheme.code, line.code, period, value])
                    written += 1
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    workbook.save(path)
    return written


def calamine_alone(path: Path) -> int:
    import python_calamine

    with python_calamine.CalamineWorkbook.from_path(path) as workbook:
        rows = workbook.get_sheet_by_name("历史数据").to_python()
    return len(rows)


def mibdesk_import(path: Path) -> int:
    from mibdesk.core.catalog import load_profile
    from mibdesk.core.excel.history import read_history

    reading = read_history(path, load_profile("shaoxing"), OFFICE, set(TOWNSHIPS))
    if reading.errors:
        raise SystemExit(f"unexpected errors: {reading.errors[:3]}")
    return len(reading.rows)


def full_import(path: Path, empty_office: Path) -> float:
    """Seconds for the whole import into a copy of an empty office: read, compare, write."""
    import shutil

    from mibdesk.core.catalog import load_profile
    from mibdesk.core.services import accounts
    from mibdesk.core.services.figure_import import apply_import, preview_history
    from mibdesk.core.services.store import open_store

    office = empty_office.parent / "run"
    shutil.rmtree(office, ignore_errors=True)
    shutil.copytree(empty_office, office)
    store = open_store(office)
    actor = accounts.login(store, "zhangli", "Bench2026pw").value
    profile = load_profile("shaoxing")
    start = time.perf_counter()
    preview = preview_history(store, profile, path)
    written = apply_import(store, actor, profile, preview).value
    seconds = time.perf_counter() - start
    store.close()
    if written != ROWS:
        raise SystemExit(f"imported {written}, expected {ROWS}")
    return seconds


def empty_office(folder: Path) -> Path:
    from mibdesk.core.security.roles import Role
    from mibdesk.core.services.accounts import NewUser
    from mibdesk.core.services.setup import OfficeLevel, SetupRequest, set_up_office

    request = SetupRequest(
        level=OfficeLevel.COUNTY,
        profile_id="shaoxing",
        code=OFFICE,
        name="越城区医疗保障事务中心",
        drop_folder="",
        users=(NewUser("zhangli", "张丽", Role.HEAD, "Bench2026pw"),),
        townships=tuple((code, f"测试{code[-3:]}镇") for code in TOWNSHIPS),
    )
    set_up_office(folder / "empty", request).close()
    return folder / "empty"


def timed(function: object, path: Path, runs: int) -> tuple[float, int]:
    assert callable(function)
    times = []
    result = 0
    for _ in range(runs):
        start = time.perf_counter()
        result = function(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.xlsx"
        start = time.perf_counter()
        written = generate(path)
        print(
            f"generated {written:,} rows ({path.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - start:.1f} s"
        )
        mibdesk_import(path)  # warm: imports, profile cache
        calamine_alone(path)
        baseline, read = timed(calamine_alone, path, runs)
        ours, rows = timed(mibdesk_import, path, runs)
        office = empty_office(Path(folder))
        whole = statistics.median(full_import(path, office) for _ in range(3))
    print(f"python-calamine alone: {baseline * 1000:7.1f} ms ({read:,} rows)")
    print(f"read_history:          {ours * 1000:7.1f} ms ({rows:,} figures)")
    print(f"ratio: {ours / baseline:.2f} (goal <= 1.5)")
    print(
        f"whole import (read, compare with the store, write all + history): "
        f"{whole * 1000:.0f} ms, {whole / baseline:.1f}x calamine"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
