"""Render any `FormLayout` to an A4 PDF with ReportLab (imported here only, never at start-up).

One engine for every form: a header block, `LongTable`s whose header rows repeat on each page,
`Paragraph` cells so long text wraps instead of overflowing, the total in 大写, the signature
row and seal box, and on every page 第 x 页 共 y 页, the form code/version and the data
fingerprint. The font is the bundled TrueType WenQuanYi Micro Hei, subset and embedded.
The file is written atomically: a temporary file beside the target, fsync, os.replace.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.money import daxie, format_count, format_fen
from mibdesk.core.reports.layout import CellValue, Column, FormLayout, Row, TableBlock, fingerprint
from mibdesk.core.resources import resource_path

FONT = "WQYMicroHei"
FONT_FILE = ("fonts", "wqy-microhei.ttc")
MM = 72 / 25.4
MARGIN = 15 * MM
GRID = 0.5
SHADE = "#EBEBEB"


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    path = resource_path(*FONT_FILE)
    try:
        pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
    except Exception as error:  # a damaged file: ReportLab raises its own TTFError and others
        raise UserError(
            _("The form font {name} cannot be read: {error}").format(name=path.name, error=error)
        ) from error


def _styles() -> dict[str, Any]:
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", base, fontSize=18, leading=24, alignment=TA_CENTER),
        "caption": ParagraphStyle("caption", base, fontSize=11, leading=16, spaceBefore=6),
        "info": ParagraphStyle("info", base, fontSize=10, leading=14),
        "info_c": ParagraphStyle("info_c", base, fontSize=10, leading=14, alignment=TA_CENTER),
        "info_r": ParagraphStyle("info_r", base, fontSize=10, leading=14, alignment=TA_RIGHT),
        "small_r": ParagraphStyle("small_r", base, fontSize=8, leading=10, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", base, alignment=TA_CENTER),
        "text": ParagraphStyle("text", base, alignment=TA_LEFT),
        "num": ParagraphStyle("num", base, alignment=TA_RIGHT),
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

    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _table(block: TableBlock, width: float, styles: dict[str, Any]) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import LongTable

    weights = sum(c.width for c in block.columns)
    widths = [width * c.width / weights for c in block.columns]
    header = [_para(c.header, styles["head"]) for c in block.columns]
    rows: list[Row] = [*block.rows, *([block.totals] if block.totals else [])]
    data = [header]
    for row in rows:
        data.append(
            [
                _para(
                    format_cell(c, row.values.get(c.key)),
                    styles["text" if c.kind == "text" else "num"],
                )
                for c in block.columns
            ]
        )
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("GRID", (0, 0), (-1, -1), GRID, colors.black),
        ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(SHADE)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for index, row in enumerate(rows, start=1):
        if row.shaded or row.bold or row is block.totals:
            commands.append(("BACKGROUND", (0, index), (-1, index), colors.HexColor(SHADE)))
        if row.bold or row is block.totals:
            commands.append(("LINEABOVE", (0, index), (-1, index), 1.0, colors.black))
    table = LongTable(
        data, colWidths=widths, repeatRows=1, style=commands, splitInRow=1
    )  # splitInRow: a justification taller than a page continues on the next one
    return table


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
            ("FONTNAME", (0, 0), (-1, -1), FONT),
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

    parts: list[Any] = [Spacer(1, 3 * MM)]
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
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if layout.seal:
        style += [
            ("SPAN", (3, 0), (3, 1)),
            ("BOX", (3, 0), (3, 1), 0.8, colors.black),
            ("VALIGN", (3, 0), (3, 1), "TOP"),
        ]
    rows = [[*top, seal], [*bottom, ""]] if layout.seal else [top, bottom]
    sign = Table(rows, colWidths=widths, rowHeights=[16 * MM, 12 * MM], style=style)
    anchor = _seal_anchor(width - seal_width, seal_width or width / 3, 28 * MM, placed)
    parts.append(KeepTogether([Spacer(1, 4 * MM), anchor, sign]))
    return parts


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
            width, _height = self._pagesize
            y = 8 * MM
            self.setFont(FONT, 8)
            self.drawString(MARGIN, y, left)
            self.drawCentredString(width / 2, y, f"第 {number} 页 共 {total} 页")
            self.drawRightString(width - MARGIN, y, right)

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
    from reportlab.platypus import SimpleDocTemplate

    _register_font()
    styles = _styles()
    mark = fingerprint(layout)
    pagesize = landscape(A4) if layout.landscape else A4
    width = pagesize[0] - 2 * MARGIN
    story: list[Any] = _header(layout, width, styles)
    for block in layout.tables:
        if block.caption:
            story.append(_para(block.caption, styles["caption"]))
        story.append(_table(block, width, styles))
    placed: list[tuple[int, Box]] = []
    story.extend(_footer(layout, width, styles, placed))

    target = Path(target)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            doc = SimpleDocTemplate(
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
                initialFontName=FONT,  # else every page also references Helvetica
                invariant=True,
            )
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
