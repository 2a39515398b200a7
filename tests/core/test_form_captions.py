"""A table's caption is never left alone at the foot of a page: it goes with its table's
header row (and first row) to the next page. Checked on real PDFs: a first table of 1 … 48
rows pushes the captioned second table through every position on page one and over the
break; on every page the caption is drawn, the table's header is drawn too."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from form_samples import placed_text, synthetic

from mibdesk.core.reports import engine
from mibdesk.core.reports.layout import Column, Row, TableBlock

CAPTION = "附表乙：分险种明细"
HEADER = "乙栏项目"


def _second_table(rows: int) -> TableBlock:
    columns = (Column("item", HEADER, 30), Column("amount", "乙栏金额", 15, "fen"))
    body = tuple(Row({"item": f"明细{i}", "amount": i * 100}) for i in range(1, rows + 1))
    return TableBlock(columns, body, CAPTION)


def _pages_with(pdf: Path, pages: int, text: str) -> set[int]:
    return {n for n in range(pages) if any(p.text.startswith(text) for p in placed_text(pdf, n))}


def test_a_caption_is_on_the_page_of_its_table_header(tmp_path: Path) -> None:
    import pypdf

    moved = 0
    for filler in range(1, 49):
        base = synthetic(filler)
        layout = replace(base, tables=(*base.tables, _second_table(30)))
        pdf = tmp_path / f"captions-{filler}.pdf"
        engine.render_form(layout, pdf)
        pages = len(pypdf.PdfReader(pdf).pages)
        captions = _pages_with(pdf, pages, CAPTION)
        headers = _pages_with(pdf, pages, HEADER)
        assert len(captions) == 1, (filler, captions)
        (caption,) = captions
        assert caption in headers, f"{filler} rows: caption on page {caption + 1} alone"
        moved += caption > 0 and min(_pages_with(pdf, pages, "序号")) == 0
    assert moved  # some positions did push the caption (and its table) over the break


def test_a_long_table_still_starts_under_its_caption_on_the_same_page(tmp_path: Path) -> None:
    """Keeping the caption with the header does not push a long table to a new page."""
    import pypdf

    base = synthetic(3)
    layout = replace(base, tables=(*base.tables, _second_table(120)))
    pdf = tmp_path / "long.pdf"
    engine.render_form(layout, pdf)
    pages = len(pypdf.PdfReader(pdf).pages)
    assert _pages_with(pdf, pages, CAPTION) == {0}
    assert _pages_with(pdf, pages, "明细1") & {0}
