"""A 50-page 预算执行情况表: the execution form of a city's counties, rendered by the engine.

The demo office's 2026 execution (both schemes, every expenditure line) is repeated for enough
counties to fill at least 50 landscape pages, each block under its county and scheme, and
rendered with `engine.render_form` (wrapping, repeated headers, totals in 大写, page x of y,
fingerprint, the two fonts subset and embedded). Baseline, in the same run: ReportLab's canvas
writing the same cells as plain strings at fixed positions, 50 pages in the same Song face (no
layout), the floor of producing those pages at all. Goal (issue #5): ≤ 3 s.

    .venv/bin/python bench/form_long_report.py [RUNS]
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from timing import median_ms

from mibdesk.core.money import format_fen
from mibdesk.core.reports import engine, fonts, forms
from mibdesk.core.reports.layout import FormLayout
from mibdesk.core.services import demo, execution, setup
from mibdesk.core.services.store import open_store

GOAL_MS = 3000.0
PAGES = 50
COUNTIES = 60


def _layout(folder: Path) -> FormLayout:
    today = datetime(2026, 11, 23, 9, 30).astimezone()
    demo.create_demo_office(folder, lambda: today)
    store = open_store(folder, clock=lambda: today)
    try:
        from mibdesk.core.catalog import load_profile

        profile = load_profile(demo.DEMO_PROFILE)
        schemes = execution.execution(store, profile, 2026)
        blocks = [
            replace(scheme, name=f"第{county:02d}县（区）　{scheme.name}")
            for county in range(1, COUNTIES + 1)
            for scheme in schemes
        ]
        return forms.execution_layout(setup.office_info(store), profile.form_codes, blocks, 2026)
    finally:
        store.close()


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    scratch = Path(tempfile.mkdtemp())
    layout = _layout(scratch / "office")
    target = scratch / "execution.pdf"
    fonts.register()
    pages = engine.render_form(layout, scratch / "first.pdf").seal_page
    assert pages >= PAGES, f"only {pages} pages: add counties"
    rows = [
        [row.values.get(column.key) for column in block.columns]
        for block in layout.tables
        for row in (*block.rows, block.totals)
        if row is not None
    ]

    def baseline() -> None:
        from reportlab.lib.pagesizes import A4, landscape
        from reportlab.pdfgen import canvas

        drawing = canvas.Canvas(str(scratch / "bare.pdf"), pagesize=landscape(A4))
        per_page = len(rows) // pages + 1
        for start in range(0, len(rows), per_page):
            drawing.setFont(fonts.SONG.name, 9)
            for index, cells in enumerate(rows[start : start + per_page]):
                for col, value in enumerate(cells):
                    text = format_fen(value) if isinstance(value, int) else str(value or "")
                    drawing.drawString(40 + col * 95, 550 - index * 15, text)
            drawing.showPage()
        drawing.save()

    base = median_ms(baseline, runs)
    ours = median_ms(lambda: engine.render_form(layout, target), runs)
    print(f"execution form: {len(layout.tables)} blocks, {len(rows)} rows, {pages} pages")
    print(f"baseline, the same cells as plain strings, {pages} pages: {base:.0f} ms")
    print(
        f"render_form, median of {runs}: {ours:.0f} ms "
        f"(goal ≤ {GOAL_MS:.0f} ms; {ours / base:.1f}x baseline)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
