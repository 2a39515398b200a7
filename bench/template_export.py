"""Template export: `write_template` for a county with 20 townships, prefilled.

The resident scheme of Shaoxing (30 lines), the county and 20 townships (22 columns with
合计), every input cell prefilled. Measured warm (openpyxl already imported) and cold (a fresh
process: import of mibdesk.core.excel and openpyxl included). Baseline, measured in the same
run: openpyxl writing a bare workbook with the same numbers (no styles, protection,
validation or hidden sheet). Reading the template back is shown too. Medians of several runs.
Goal (issue #3): export < 300 ms.

    .venv/bin/python bench/template_export.py [RUNS]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OFFICE = "330602"
TOWNSHIPS = {f"{OFFICE}{n:03d}": f"第{n}街道" for n in range(101, 121)}

SETUP = """
from mibdesk.core.catalog import load_profile
from mibdesk.core.excel.template import TEMPLATE_VERSION, TemplateIdentity, form_layout
from mibdesk.core.monthly import Cell
from mibdesk.core.periods import Month

OFFICE = "330602"
TOWNSHIPS = {f"{OFFICE}{n:03d}": f"第{n}街道" for n in range(101, 121)}
scheme = load_profile("shaoxing").scheme("RES")
units = ("", *TOWNSHIPS)
identity = TemplateIdentity(OFFICE, "越城区医疗保障事务中心", Month(2026, 10), "RES",
                            TEMPLATE_VERSION, units)
layout = form_layout(scheme, units, TOWNSHIPS)
values = {Cell(row.code, unit): 12_345_67 + index
          for index, (row, unit) in enumerate((r, u) for r in layout.rows for u in units)
          if layout.is_input(row, unit)}
"""

START = """
import sys, time
start = time.perf_counter()
from mibdesk.core.excel import write_template
"""
FINISH = """
write_template(sys.argv[1], identity, scheme, TOWNSHIPS, values)
print(f"{time.perf_counter() - start:.6f}")
"""
COLD = START + SETUP + FINISH


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    namespace: dict[str, object] = {}
    exec(SETUP, namespace)
    from openpyxl import Workbook

    from mibdesk.core.excel import read_template, write_template

    identity, scheme, values = namespace["identity"], namespace["scheme"], namespace["values"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        bare = Path(folder) / "bare.xlsx"
        grid = [[1234.67] * 22 for _ in range(30)]

        def export() -> None:
            write_template(path, identity, scheme, TOWNSHIPS, values)  # type: ignore[arg-type]

        def baseline() -> None:
            workbook = Workbook()
            for row in grid:
                workbook.active.append(row)
            workbook.save(bare)

        def read_back() -> None:
            reading = read_template(path, identity)  # type: ignore[arg-type]
            assert reading.values == values and not reading.errors

        results = {}
        for name, function in (("baseline", baseline), ("export", export), ("read", read_back)):
            function()
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                function()
                times.append(time.perf_counter() - start)
            results[name] = statistics.median(times)
        cold = []
        for _ in range(max(3, runs // 3)):
            out = subprocess.run(
                [sys.executable, "-c", COLD, str(path)], capture_output=True, text=True, check=True
            )
            cold.append(float(out.stdout.strip()))
    print(f"{len(values)} prefilled input cells, {len(TOWNSHIPS)} townships")
    print(f"openpyxl bare workbook (baseline): {results['baseline'] * 1000:6.1f} ms")
    print(
        f"write_template, warm:              {results['export'] * 1000:6.1f} ms "
        f"(ratio {results['export'] / results['baseline']:.2f})"
    )
    print(
        f"write_template, cold process:      {statistics.median(cold) * 1000:6.1f} ms "
        "(imports included)"
    )
    print(f"read_template of the same file:    {results['read'] * 1000:6.1f} ms")
    print(f"goal: export < 300 ms -> {'met' if statistics.median(cold) < 0.3 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
