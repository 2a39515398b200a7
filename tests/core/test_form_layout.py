"""Where each official form puts its title, table, signature row and seal box, compared with
recorded positions (PDF points, with a tolerance), not pixels; and long text that wraps inside
its cell without overlapping the next.

The recorded positions and a small render of page 1 of each form live in
tests/reference/forms/. After an intended layout change, look at the new renders and record
them again:

    MIBDESK_UPDATE_REFERENCES=1 .venv/bin/python -m pytest tests/core/test_form_layout.py
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from form_samples import BUILDERS, Demo, Placed, first, open_demo, placed_text, synthetic

from mibdesk.core.reports import engine, fonts
from mibdesk.core.reports.layout import FormLayout

pytest.importorskip("pypdf")

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "forms"
POSITIONS = REFERENCE / "layout.json"
UPDATE = os.environ.get("MIBDESK_UPDATE_REFERENCES") == "1"
TOLERANCE = 2.0  # points (0.7 mm): a font or padding change moves things further than this
FIRST_HEADER = {"monthly": "行次", "plan": "行次", "execution": "项目", "cover": "序号"}


@pytest.fixture(scope="module")
def office(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    yield from open_demo(demo_template, tmp_path_factory.mktemp("layout") / "demo")


def _geometry(layout: FormLayout, kind: str, pdf: Path, rendered: engine.RenderedForm) -> Any:
    import pypdf

    reader = pypdf.PdfReader(pdf)
    page_one = placed_text(pdf)
    title = first(page_one, layout.title)
    header = first(page_one, FIRST_HEADER[kind])
    sign_page = next(
        number
        for number in range(len(reader.pages))
        if any(p.text.startswith("单位负责人") for p in placed_text(pdf, number))
    )
    signature = first(placed_text(pdf, sign_page), "单位负责人")
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    return {
        "pages": len(reader.pages),
        "page_size": [round(width, 1), round(height, 1)],
        "title": [round(title.x, 1), round(title.y, 1), title.size],
        "table_header": [round(header.x, 1), round(header.y, 1)],
        "signature": [sign_page + 1, round(signature.x, 1), round(signature.y, 1)],
        "seal": [rendered.seal_page, *(round(v, 1) for v in rendered.seal_box)],
    }


def _render_reference(pdf: Path, kind: str) -> None:
    subprocess.run(
        ["pdftoppm", "-r", "50", "-gray", "-png", "-singlefile", str(pdf), str(REFERENCE / kind)],
        check=True,
    )


def _close(found: Any, expected: Any) -> bool:
    if isinstance(expected, list):
        return len(found) == len(expected) and all(map(_close, found, expected))
    if isinstance(expected, float):
        return abs(found - expected) <= TOLERANCE
    return bool(found == expected)


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_form_layout_matches_the_reference(office: Demo, tmp_path: Path, kind: str) -> None:
    layout = BUILDERS[kind](office)
    pdf = tmp_path / f"{kind}.pdf"
    rendered = engine.render_form(layout, pdf)
    found = _geometry(layout, kind, pdf, rendered)

    width, height = found["page_size"]
    assert (width > height) == layout.landscape and {round(width), round(height)} == {595, 842}
    title_x, title_y, _size = found["title"]
    title_width = fonts.text_width(layout.title, fonts.HEI, 18)
    assert abs(title_x + title_width / 2 - width / 2) < 1  # centred on the page
    assert title_y > found["table_header"][1]  # title above the table
    seal_page, x1, y1, x2, y2 = found["seal"]
    assert seal_page == found["signature"][0] == found["pages"]  # signed on the last page
    margin = engine.MARGIN
    assert margin <= x1 < x2 <= width - margin and margin <= y1 < y2 <= height - margin
    assert found["signature"][1] + 60 < x1  # the seal box is right of the signature row

    recorded = json.loads(POSITIONS.read_text("utf-8")) if POSITIONS.exists() else {}
    if UPDATE:
        if shutil.which("pdftoppm") is None:
            pytest.skip("pdftoppm is needed to record the reference renders")
        recorded[kind] = found
        REFERENCE.mkdir(parents=True, exist_ok=True)
        lines = [f"  {json.dumps(k)}: {json.dumps(recorded[k], sort_keys=True)}" for k in recorded]
        POSITIONS.write_text("{\n" + ",\n".join(sorted(lines)) + "\n}\n", "utf-8")
        _render_reference(pdf, kind)
        return
    assert (REFERENCE / f"{kind}.png").is_file(), "reference render missing: record it"
    assert kind in recorded, "positions not recorded: run with MIBDESK_UPDATE_REFERENCES=1"
    for key, expected in recorded[kind].items():
        assert _close(found[key], expected), f"{kind} {key}: {found[key]} != {expected}"


def _column_edges(layout: FormLayout) -> list[tuple[float, float]]:
    """The left and right edge of each column, as the engine lays them out (portrait)."""
    columns = layout.tables[0].columns
    width = 595.2756 - 2 * engine.MARGIN
    weights = sum(c.width for c in columns)
    edges, left = [], engine.MARGIN
    for column in columns:
        right = left + width * column.width / weights
        edges.append((left, right))
        left = right
    return edges


def _in_cells(placed: list[Placed], edges: list[tuple[float, float]]) -> list[list[Placed]]:
    """The pieces of text inside the table, by column (the one their start falls in)."""
    by_column: list[list[Placed]] = [[] for _edge in edges]
    for piece in placed:
        for index, (left, right) in enumerate(edges):
            if left <= piece.x < right:
                by_column[index].append(piece)
    return by_column


def test_long_names_and_justifications_wrap_inside_their_cells(tmp_path: Path) -> None:
    reason = "本月集中结算异地就医住院费用，并预拨年底门诊慢特病集中报销款项；" * 6
    name = "城乡居民基本医疗保险大病保险二次补偿及特殊困难群体倾斜支付项目"
    signer = "阿卜杜热西提·买买提艾力·吐尔逊"
    layout = synthetic(4, reason, name=name, signer=signer)
    pdf = tmp_path / "long.pdf"
    engine.render_pdf(layout, pdf)
    pages = [placed_text(pdf, page) for page in range(_pages(pdf))]
    edges = _column_edges(layout)
    reason_lines = 0
    for placed in pages:
        cells = [p for p in placed if "NotoSerif" in p.font and p.size == 9]  # body cells
        for (left, right), pieces in zip(edges, _in_cells(cells, edges), strict=True):
            for piece in pieces:
                end = piece.x + fonts.text_width(piece.text, fonts.SONG, piece.size)
                assert left <= piece.x and end <= right + 0.5, f"{piece.text!r} leaves its cell"
            baselines = sorted({round(p.y, 1) for p in pieces})
            gaps = [upper - lower for lower, upper in itertools.pairwise(baselines)]
            assert all(gap >= 11 for gap in gaps), "two lines overlap (leading is 12 pt)"
        reason_lines += len(_in_cells(cells, edges)[4])
    assert reason_lines >= 4 * 6  # the justification took many lines, all drawn
    text = "".join(p.text for placed in pages for p in placed).replace(" ", "")
    assert text.count("倾斜支付项目") == 4 and text.count("集中报销款项") == 4 * 6
    assert signer in text  # wrapped, but whole
    head_cell = engine.MARGIN + (595.2756 - 2 * engine.MARGIN - 45 * engine.MM) / 3
    for piece in pages[-1]:
        if piece.text.startswith(("单位负责人", "吐尔逊", "买买提")):
            end = piece.x + fonts.text_width(piece.text, fonts.SONG, piece.size)
            assert end <= head_cell, f"{piece.text!r} runs into the reviewer's cell"


def _pages(pdf: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(pdf).pages)
