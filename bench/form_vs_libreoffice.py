"""mibdesk's form PDF against what offices do today: a filled .xlsx form printed to PDF by
LibreOffice (headless), in the same run.

The form is the 用款计划申请表 of the demo office (EMP, December 2026). The .xlsx holds the
same form as a spreadsheet an office would keep (title, unit and period, ruled table with the
figures as numbers in #,##0.00, totals, 大写, notes, signature row, seal box, A4 landscape
fitted to one page wide) and is converted with `soffice --headless --convert-to pdf`, a new
process per form as a script would run it (its user profile made beforehand). mibdesk is
timed inside the running program (what the GUI's 正式报表 button costs: the goal's figure),
as a new Python process that only opens the office and renders the form, and as
`mibdesk-cli pdf plan` (a new process with the whole CLI's imports). New processes are also
given in CPU seconds (user + system), which a busy machine does not inflate. Medians of several
runs. Goal (issue #5): mibdesk ≥ 10× faster.

Needs LibreOffice (Debian: apt-get install libreoffice-calc-nogui); without it the benchmark
says so and exits 0.

    .venv/bin/python bench/form_vs_libreoffice.py [RUNS]
"""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from timing import median_ms, timed_ms

from mibdesk.core.reports.layout import FormLayout

GOAL_RATIO = 10.0
FORM_ONLY = """
import sys
from pathlib import Path
from mibdesk.core.periods import Month
from mibdesk.core.services import forms
from mibdesk.core.services.profiles import office_profile
from mibdesk.core.services.store import open_store
store = open_store(Path(sys.argv[1]))
forms.plan_pdf(store, office_profile(store), "EMP", Month(2026, 12), Path(sys.argv[2]))
store.close()
"""


def _process(command: list[str]) -> tuple[float, float]:
    """Run `command`; its wall time and CPU time (user + system), in ms."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed_ms(lambda: subprocess.run(command, check=True, capture_output=True))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def _medians(command: list[str], runs: int) -> tuple[float, float]:
    measured = [_process(command) for _run in range(runs)]
    return (
        statistics.median(wall for wall, _cpu in measured),
        statistics.median(cpu for _wall, cpu in measured),
    )


def _xlsx(layout: FormLayout, path: Path) -> None:
    """The form as an office's filled spreadsheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from mibdesk.core.money import daxie, format_fen

    book = Workbook()
    sheet = book.active
    table = layout.tables[0]
    width = len(table.columns)
    rule = Side(style="thin")
    box = Border(left=rule, right=rule, top=rule, bottom=rule)
    sheet.append([layout.title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(name="黑体", size=18)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([f"填报单位（盖章）：{layout.unit_name}（代码 {layout.unit_code}）"])
    sheet.append([f"所属期：{layout.period}", *[""] * (width - 2), layout.amount_unit])
    sheet.append([column.header for column in table.columns])
    for row in (*table.rows, table.totals):
        if row is None:
            continue
        cells = []
        for column in table.columns:
            value = row.values.get(column.key)
            cells.append(value / 100 if isinstance(value, int) else value)
        sheet.append(cells)
    for cells in sheet.iter_rows(min_row=4, max_row=sheet.max_row, max_col=width):
        for cell in cells:
            cell.border = box
            cell.font = Font(name="宋体", size=9)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if isinstance(cell.value, float):
                cell.number_format = "#,##0.00"
    for cell in sheet[4]:
        cell.fill = PatternFill("solid", fgColor="EBEBEB")
        cell.font = Font(name="黑体", size=9)
    total = layout.total_fen or 0
    sheet.append(
        [f"{layout.total_label}（小写）：¥{format_fen(total)}（大写）：人民币{daxie(total)}"]
    )
    for note in layout.notes:
        sheet.append([note])
    signers = layout.signatories
    sheet.append(["单位负责人：" + signers.head.name, "", "", "审核人：" + signers.reviewer.name])
    sheet.append(["日期：" + signers.head.date, "", "", "日期：" + signers.reviewer.date])
    seal = sheet.cell(row=sheet.max_row - 1, column=width, value="盖章处")
    seal.border = box
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width * 1.1
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "4:4"
    book.save(path)


def _soffice(soffice: str, profile: Path, xlsx: Path, outdir: Path) -> list[str]:
    return [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(xlsx),
    ]


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice (soffice) is not installed: nothing to compare against.")
        print("Install it (Debian: apt-get install libreoffice-calc-nogui) and run again.")
        return 0
    from mibdesk.core.catalog import load_profile
    from mibdesk.core.periods import Month
    from mibdesk.core.reports import engine
    from mibdesk.core.reports.forms import fund_plan_layout
    from mibdesk.core.reports.layout import Signatories
    from mibdesk.core.services import demo, plans, setup
    from mibdesk.core.services.store import open_store

    scratch = Path(tempfile.mkdtemp())
    office = scratch / "office"
    today = datetime(2026, 11, 23, 9, 30).astimezone()
    demo.create_demo_office(office, lambda: today)
    store = open_store(office, clock=lambda: today)
    profile = load_profile(demo.DEMO_PROFILE)
    view = plans.plan_view(store, profile, "EMP", Month(2026, 12))
    assert view is not None
    layout = fund_plan_layout(setup.office_info(store), profile, view, Signatories())
    xlsx = scratch / "plan.xlsx"
    _xlsx(layout, xlsx)

    convert = _soffice(soffice, scratch / "lo-profile", xlsx, scratch)
    _process(convert)  # makes LibreOffice's user profile once
    lo_wall, lo_cpu = _medians(convert, runs)
    assert (scratch / "plan.pdf").read_bytes().startswith(b"%PDF")
    store.close()
    form_only = [sys.executable, "-c", FORM_ONLY, str(office), str(scratch / "alone.pdf")]
    alone_wall, alone_cpu = _medians(form_only, runs)
    cli = [sys.executable, "-m", "mibdesk.cli", "pdf", "plan", "--data-dir", str(office)]
    cli += ["--scheme", "EMP", "--period", "2026-12", "-o", str(scratch / "cli.pdf")]
    cli_wall, cli_cpu = _medians(cli, runs)
    engine.render_form(layout, scratch / "warm.pdf")
    in_program = median_ms(lambda: engine.render_form(layout, scratch / "ours.pdf"), 2 * runs)

    print(f"form: {layout.title}, {len(layout.tables[0].rows)} lines; medians of {runs}")
    print(f"LibreOffice --convert-to pdf, filled .xlsx: {lo_wall:.0f} ms (CPU {lo_cpu:.0f} ms)")
    print(
        f"mibdesk in the running program: {in_program:.0f} ms "
        f"({lo_wall / in_program:.1f}x faster; goal ≥ {GOAL_RATIO:.0f}x)"
    )
    print(
        f"mibdesk, a new process rendering the form only: {alone_wall:.0f} ms "
        f"({lo_wall / alone_wall:.1f}x faster), CPU {alone_cpu:.0f} ms "
        f"({lo_cpu / alone_cpu:.1f}x less)"
    )
    print(
        f"mibdesk-cli pdf plan, a new process: {cli_wall:.0f} ms "
        f"({lo_wall / cli_wall:.1f}x faster), CPU {cli_cpu:.0f} ms ({lo_cpu / cli_cpu:.1f}x less)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
