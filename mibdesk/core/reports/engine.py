"""Render any `FormLayout` to an A4 PDF with ReportLab (imported here only, never at start-up).

One engine for every form: a header block, `LongTable`s whose header rows repeat on each page,
`Paragraph` cells so long text wraps instead of overflowing, the total in 大写, the signature
row and seal box, and on every page 第 x 页 共 y 页, the form code/version and the data
fingerprint. Body text is set in the bundled Song face, titles, table headers and totals in
the Hei face (see `fonts`), both TrueType, subset and embedded.
The file is written atomically: a temporary file beside the target, fsync, os.replace.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.money import daxie, format_count, format_fen
from mibdesk.core.reports import fonts
from mibdesk.core.reports.fonts import HEI, SONG
from mibdesk.core.reports.layout import CellValue, Column, FormLayout, Row, TableBlock, fingerprint

MM = 72 / 25.4
MARGIN = 15 * MM
GRID = 0.5
CELL_PADDING = 4  # points, left and right inside a table cell
MIN_FIGURE_SIZE = 6.5  # points: the smallest a figure is shrunk to before it wraps
NO_PADDING = {f"{side}Padding": 0 for side in ("left", "right", "top", "bottom")}
FOOTER_BASELINE = 9 * MM  # inside the printable area of office laser and inkjet printers
SHADE = "#EBEBEB"


def _styles() -> dict[str, Any]:
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=SONG.name, fontSize=9, leading=12, wordWrap="CJK")
    hei = ParagraphStyle("hei", base, fontName=HEI.name)
    return {
        "title": ParagraphStyle("title", hei, fontSize=18, leading=24, alignment=TA_CENTER),
        "caption": ParagraphStyle("caption", hei, fontSize=11, leading=16, spaceBefore=6),
        "info": ParagraphStyle("info", base, fontSize=10, leading=14),
        "info_c": ParagraphStyle("info_c", base, fontSize=10, leading=14, alignment=TA_CENTER),
        "info_r": ParagraphStyle("info_r", base, fontSize=10, leading=14, alignment=TA_RIGHT),
        "small_r": ParagraphStyle("small_r", base, fontSize=8, leading=10, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", hei, alignment=TA_CENTER),
        "text": ParagraphStyle("text", base, alignment=TA_LEFT),
        "num": ParagraphStyle("num", base, alignment=TA_RIGHT),
        "text_bold": ParagraphStyle("text_bold", hei, alignment=TA_LEFT),
        "num_bold": ParagraphStyle("num_bold", hei, alignment=TA_RIGHT),
        "note": ParagraphStyle("note", base, fontSize=9, leading=13),
    }


def format_cell(column: Column, value: CellValue) -> str:
    """The text of one cell: ints by the column's kind, strings as they are."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if column.kind == "fen":
        return format_fen(value)
    if column.kind == "count":
        return format_count(value)
    if column.kind == "percent":  # basis points
        sign = "-" if value < 0 else ""
        whole, frac = divmod(abs(value), 100)
        return f"{sign}{whole}.{frac:02d}%"
    return str(value)


def _para(text: str, style: Any) -> Any:
    from reportlab.platypus import Paragraph

    primary = HEI if style.fontName == HEI.name else SONG
    return Paragraph(fonts.markup(text, primary), style)


def _figure(text: str, style: Any, width: float) -> Any:
    """A number on one line: as it is when it fits (a plain string, drawn by the table in
    the row's face: five times cheaper than a paragraph, and most cells are numbers); else
    shrunk to fit its cell (down to MIN_FIGURE_SIZE), as a spreadsheet's "shrink to fit"
    would, rather than broken across lines; only a number too long even then wraps (never
    clipped)."""
    from reportlab.lib.styles import ParagraphStyle

    primary = HEI if style.fontName == HEI.name else SONG
    [(face, _text), *others] = fonts.runs(text, primary) or [(primary, "")]
    needed = fonts.text_width(text, primary, style.fontSize)
    if needed <= width and face == primary and not others:
        return text
    size = max(MIN_FIGURE_SIZE, style.fontSize * width / needed)
    return _para(
        text, ParagraphStyle(f"{style.name}_fit", style, fontSize=min(size, style.fontSize))
    )


def _table(block: TableBlock, width: float, styles: dict[str, Any]) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import LongTable

    weights = sum(c.width for c in block.columns)
    widths = [width * c.width / weights for c in block.columns]
    header = [_para(c.header, styles["head"]) for c in block.columns]
    rows: list[Row] = [*block.rows, *([block.totals] if block.totals else [])]
    data = [header]
    for row in rows:
        weight = "_bold" if row.bold or row is block.totals else ""
        cells = []
        for column, column_width in zip(block.columns, widths, strict=True):
            text = format_cell(column, row.values.get(column.key))
            if column.kind == "text":
                cells.append(_para(text, styles["text" + weight]))
            else:
                inner = column_width - 2 * CELL_PADDING - 0.5  # less the rule
                cells.append(_figure(text, styles["num" + weight], inner))
        data.append(cells)
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), SONG.name),  # for the figures drawn as plain strings
        ("FONTSIZE", (0, 0), (-1, -1), styles["num"].fontSize),
        ("LEADING", (0, 0), (-1, -1), styles["num"].leading),
        ("GRID", (0, 0), (-1, -1), GRID, colors.black),
        ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(SHADE)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    for index, column in enumerate(block.columns):
        if column.kind != "text":
            commands.append(("ALIGN", (index, 1), (index, -1), "RIGHT"))
    for index, row in enumerate(rows, start=1):
        if row.shaded or row.bold or row is block.totals:
            commands.append(("BACKGROUND", (0, index), (-1, index), colors.HexColor(SHADE)))
        if row.bold or row is block.totals:
            commands.append(("LINEABOVE", (0, index), (-1, index), 1.0, colors.black))
            commands.append(("FONTNAME", (0, index), (-1, index), HEI.name))
    table = LongTable(
        data, colWidths=widths, repeatRows=1, style=commands, splitInRow=1
    )  # splitInRow: a justification taller than a page continues on the next one
    return table


def _captioned(caption: Any, table: Any) -> Any:
    """`caption` and `table` kept together far enough that the caption never stands alone at
    the foot of a page: when the caption, the header row and the first row do not fit in
    what is left of the page, all three go to the next one; otherwise the table starts under
    its caption and breaks across pages as usual (a long table is not pushed to a new page)."""
    from reportlab.platypus import KeepTogether

    class Captioned(KeepTogether):  # type: ignore[misc]  # ReportLab is untyped
        def split(self, available_width: float, available_height: float) -> list[Any]:
            self.wrap(available_width, available_height)  # wraps the caption and the table
            rows = getattr(table, "_rowHeights", None) or []
            needed = self._H0 + caption.getSpaceBefore() + sum(rows[:2])
            at_top = getattr(getattr(self, "_frame", None), "_atTop", False)
            if needed > available_height and not at_top:
                return [self.FrameBreak(), caption, table]
            return [caption, table]

    return Captioned([caption, table])


def _header(layout: FormLayout, width: float, styles: dict[str, Any]) -> list[Any]:
    from reportlab.platypus import Spacer, Table

    code = _para(f"表号：{layout.form_code}　版本：{layout.form_version}", styles["small_r"])
    unit = f"填报单位（盖章）：{layout.unit_name}"
    if layout.unit_code:
        unit += f"（代码 {layout.unit_code}）"
    info = Table(
        [
            [
                _para(unit, styles["info"]),
                _para(f"所属期：{layout.period}", styles["info_c"]),
                _para(layout.amount_unit, styles["info_r"]),
            ]
        ],
        colWidths=[width * 0.6, width * 0.24, width * 0.16],
        style=[
            ("FONTNAME", (0, 0), (-1, -1), SONG.name),
            ("LEFTPADDING", (0, 0), (0, 0), 0),
            ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
        ],
    )
    return [code, _para(layout.title, styles["title"]), Spacer(1, 4 * MM), info, Spacer(1, 2 * MM)]


Box = tuple[float, float, float, float]


def _footer(
    layout: FormLayout, width: float, styles: dict[str, Any], placed: list[tuple[int, Box]]
) -> list[Any]:
    from reportlab.lib import colors
    from reportlab.platypus import KeepTogether, Spacer, Table

    parts: list[Any] = []
    if layout.total_fen is not None:
        label = layout.total_label or "合计"
        figures = format_fen(layout.total_fen)
        text = f"{label}（小写）：¥{figures}　　（大写）：人民币{daxie(layout.total_fen)}"
        parts.append(_para(text, styles["info"]))
        parts.append(Spacer(1, 2 * MM))
    parts.extend(_para(note, styles["note"]) for note in layout.notes)
    signers = layout.signatories
    cells = [
        ("单位负责人", signers.head),
        ("审核人", signers.reviewer),
        ("经办人", signers.preparer),
    ]
    top = [_para(f"{role}：{s.name}", styles["info"]) for role, s in cells]
    bottom = [_para(f"日期：{s.date}", styles["info"]) for _role, s in cells]
    seal = _para("盖章处", styles["info_c"]) if layout.seal else ""
    seal_width = 45 * MM if layout.seal else 0
    widths = [(width - seal_width) / 3] * 3 + ([seal_width] if layout.seal else [])
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), SONG.name),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if layout.seal:
        style += [
            ("SPAN", (3, 0), (3, 1)),
            ("BOX", (3, 0), (3, 1), 0.8, colors.black),
            ("VALIGN", (3, 0), (3, 1), "TOP"),
        ]
    rows = [[*top, seal], [*bottom, ""]] if layout.seal else [top, bottom]
    heights = [_row_height(top, widths[0], 16 * MM), _row_height(bottom, widths[0], 12 * MM)]
    sign = Table(rows, colWidths=widths, rowHeights=heights, style=style)
    anchor = _seal_anchor(width - seal_width, seal_width or width / 3, sum(heights), placed)
    # the total, notes and signatures move to the next page together, never one without
    # the others (a signature row alone under a page break would sign nothing visible)
    return [Spacer(1, 3 * MM), KeepTogether([*parts, Spacer(1, 4 * MM), anchor, sign])]


def _row_height(cells: list[Any], width: float, least: float) -> float:
    """At least `least`, taller when a long name wraps to more lines than fit (6 pt is the
    table's default cell padding on each side)."""
    return float(max(least, *(cell.wrap(width - 12, 10_000)[1] + 8 for cell in cells)))


def _seal_anchor(
    left: float, box_width: float, box_height: float, placed: list[tuple[int, Box]]
) -> Any:
    """A zero-size flowable just above the signature row: when drawn it notes the page and
    the seal box (盖章处) in page coordinates, where the head's signature stamp goes."""
    from reportlab.platypus import Flowable

    class SealAnchor(Flowable):  # type: ignore[misc]
        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            return 0, 0

        def draw(self) -> None:
            x, y = self.canv.absolutePosition(0, 0)
            inset = 1.5 * MM  # inside the box's rule, below its 盖章处 label
            box = (
                x + left + inset,
                y - box_height + inset,
                x + left + box_width - inset,
                y - 7 * MM,
            )
            placed.append((self.canv.getPageNumber(), box))

    return SealAnchor()


def _canvas_class(layout: FormLayout, mark: str) -> type[Any]:
    from reportlab.pdfgen.canvas import Canvas

    left = f"表号 {layout.form_code}　版本 {layout.form_version}"
    right = f"数据指纹 {mark}"
    running = f"{layout.title}（续）"
    unit = f"{layout.unit_name}　{layout.period}"

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        """Holds each page until the end so every footer can say 共 y 页."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._footer(number, total)
                super().showPage()
            super().save()

        def _footer(self, number: int, total: int) -> None:
            width, height = self._pagesize
            if number > 1:  # which form a loose continuation page belongs to
                top = height - MARGIN + 3 * MM
                fonts.draw(self, MARGIN, top, running, SONG, 8)
                fonts.draw(self, width - MARGIN, top, unit, SONG, 8, "right")
            y = FOOTER_BASELINE
            fonts.draw(self, MARGIN, y, left, SONG, 8)
            fonts.draw(self, width / 2, y, f"第 {number} 页 共 {total} 页", SONG, 8, "centre")
            fonts.draw(self, width - MARGIN, y, right, SONG, 8, "right")

    return NumberedCanvas


@dataclass(frozen=True)
class RenderedForm:
    """A written form: its data fingerprint and where its seal box (盖章处) ended up."""

    fingerprint: str
    seal_page: int  # 1-based
    seal_box: Box  # x1, y1, x2, y2 in PDF points


def render_pdf(layout: FormLayout, target: Path) -> str:
    """Write `layout` to `target` atomically; returns the data fingerprint printed on it."""
    return render_form(layout, target).fingerprint


def render_form(layout: FormLayout, target: Path) -> RenderedForm:
    """Write `layout` to `target` atomically (see `render_pdf`), noting the seal box."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    fonts.register()
    styles = _styles()
    mark = fingerprint(layout)
    pagesize = landscape(A4) if layout.landscape else A4
    width = pagesize[0] - 2 * MARGIN
    story: list[Any] = _header(layout, width, styles)
    for block in layout.tables:
        table = _table(block, width, styles)
        if block.caption:
            story.append(_captioned(_para(block.caption, styles["caption"]), table))
        else:
            story.append(table)
    placed: list[tuple[int, Box]] = []
    story.extend(_footer(layout, width, styles, placed))

    target = Path(target)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            doc = BaseDocTemplate(
                stream,
                pagesize=pagesize,
                leftMargin=MARGIN,
                rightMargin=MARGIN,
                topMargin=MARGIN,
                bottomMargin=MARGIN,
                title=layout.title,
                author=layout.unit_name,
                subject=f"{layout.form_code} v{layout.form_version} {mark}",
                creator="mibdesk",
                initialFontName=SONG.name,  # else every page also references Helvetica
                invariant=True,
            )
            # no frame padding: tables span exactly the margins, centred on the paper
            body = Frame(MARGIN, MARGIN, width, pagesize[1] - 2 * MARGIN, id="body", **NO_PADDING)
            doc.addPageTemplates([PageTemplate(id="form", frames=[body])])
            doc.build(story, canvasmaker=_canvas_class(layout, mark))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise UserError(
            _("Cannot write the PDF {path}: {error}").format(path=target, error=error.strerror)
        ) from error
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    page, box = placed[-1]
    return RenderedForm(mark, page, box)
