"""The two faces official forms are printed in, and the per-character fallback between them.

- Song (宋体-style) for body text: Noto Serif CJK SC converted to TrueType and subset
  (`resources/fonts/noto-serif-sc-tt.ttf`, built by `tools/build_song_font.py`).
- Hei (黑体) for titles, table headers and totals: WenQuanYi Micro Hei (`wqy-microhei.ttc`).

ReportLab embeds TrueType outlines only (it refuses CFF), subsetting the glyphs used. A
character one face lacks is drawn in the other, run by run, so a rare character in a name is
never a blank box while either face has it. ReportLab is imported here only when a form is
drawn, never at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal
from xml.sax.saxutils import escape

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.resources import resources_root


@dataclass(frozen=True)
class Face:
    name: str  # the name ReportLab knows it by
    file: str  # under resources/fonts/
    subfont: int = 0  # index inside a .ttc collection


SONG = Face("MibdeskSong", "noto-serif-sc-tt.ttf")
HEI = Face("MibdeskHei", "wqy-microhei.ttc")
FACES = (SONG, HEI)

Align = Literal["left", "centre", "right"]


def register() -> None:
    """Load both faces into ReportLab once per process.

    A missing or unreadable font file raises `UserError` naming the file, in Chinese.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    known = pdfmetrics.getRegisteredFontNames()
    for face in FACES:
        if face.name in known:
            continue
        path = resources_root() / "fonts" / face.file
        if not path.is_file():
            raise UserError(
                _("The form font file {name} is missing ({path}); reinstall mibdesk.").format(
                    name=face.file, path=path
                )
            )
        try:
            pdfmetrics.registerFont(TTFont(face.name, str(path), subfontIndex=face.subfont))
        except Exception as error:  # a damaged file: ReportLab raises TTFError and others
            raise UserError(
                _("The form font {name} cannot be read: {error}").format(
                    name=face.file, error=error
                )
            ) from error
    _fix_to_unicode_beyond_bmp()


def _characters(face: Face) -> dict[int, int]:
    from reportlab.pdfbase import pdfmetrics

    font: Any = pdfmetrics.getFont(face.name)
    return font.face.charToGlyph  # type: ignore[no-any-return]


def runs(text: str, primary: Face) -> list[tuple[Face, str]]:
    """`text` cut into runs, each drawn in `primary` unless `primary` lacks the character and
    the other face has it. Call `register()` first."""
    own = _characters(primary)
    if all(ord(char) in own for char in text):  # nearly always: one run
        return [(primary, text)] if text else []
    other = next(face for face in FACES if face != primary)
    spare = _characters(other)
    result: list[tuple[Face, str]] = []
    for char in text:
        code = ord(char)
        face = other if code not in own and code in spare and not char.isspace() else primary
        if result and result[-1][0] == face:
            result[-1] = (face, result[-1][1] + char)
        else:
            result.append((face, char))
    return result


def markup(text: str, primary: Face) -> str:
    """`text` as ReportLab paragraph markup: escaped, line breaks kept, the runs `primary`
    lacks wrapped in the other face."""
    parts = []
    for face, chunk in runs(text, primary):
        body = escape(chunk).replace("\n", "<br/>")
        parts.append(body if face == primary else f'<font name="{face.name}">{body}</font>')
    return "".join(parts)


def text_width(text: str, primary: Face, size: float) -> float:
    """The width of `text` in points, with the fallback face where it is used."""
    from reportlab.pdfbase import pdfmetrics

    return float(
        sum(pdfmetrics.stringWidth(chunk, face.name, size) for face, chunk in runs(text, primary))
    )


def draw(
    canvas: Any, x: float, y: float, text: str, primary: Face, size: float, align: Align = "left"
) -> None:
    """Draw one line of `text` on a ReportLab canvas, switching face where needed."""
    width = text_width(text, primary, size)
    x -= {"left": 0.0, "centre": width / 2, "right": width}[align]
    for face, chunk in runs(text, primary):
        canvas.setFont(face.name, size)
        canvas.drawString(x, y, chunk)
        x += canvas.stringWidth(chunk, face.name, size)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, but with characters beyond the BMP (CJK extension B and
    later, found in names) written as UTF-16 surrogate pairs as the PDF standard requires;
    ReportLab writes them as five hex digits, and text extraction then returns garbage."""

    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be").hex().upper()

    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{index:02X}> <{utf16(code)}>" for index, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


def _fix_to_unicode_beyond_bmp() -> None:
    from reportlab.pdfbase import ttfonts

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
