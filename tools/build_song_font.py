"""Build resources/fonts/noto-serif-sc-tt.ttf: Noto Serif CJK SC as a TrueType subset.

ReportLab embeds TrueType (glyf) outlines only; Noto Serif CJK ships CFF outlines. This takes
the SC face of Debian's `fonts-noto-cjk` NotoSerifCJK-Regular.ttc, keeps the characters a
form can carry (Latin, punctuation, every CJK ideograph the face has, extensions included, so
rare characters in names print in Song), drops layout and vertical tables ReportLab never
reads, and converts the cubic outlines to quadratic ones (cu2qu, error ≤ 1 unit of 1000).

    apt-get install fonts-noto-cjk && .venv/bin/pip install fonttools
    .venv/bin/python tools/build_song_font.py [SOURCE.ttc] [TARGET.ttf]
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
TARGET = Path(__file__).resolve().parents[1] / "resources" / "fonts" / "noto-serif-sc-tt.ttf"
SC_FACE = "Noto Serif CJK SC"
MAX_ERROR = 2.0  # font units (of 1000 per em): 0.02 pt at 10 pt, invisible in print

RANGES = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 (¥ · ×)
    (0x2000, 0x206F),  # general punctuation (— … ‰)
    (0x20A0, 0x20CF),  # currency signs (€)
    (0x2100, 0x218F),  # letterlike, number forms (℃ Ⅰ)
    (0x2190, 0x22FF),  # arrows, mathematical operators (≤ ≥ ±)
    (0x2460, 0x24FF),  # enclosed numbers (①)
    (0x2500, 0x25FF),  # box drawing, shapes (□ ○)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3200, 0x33FF),  # enclosed CJK, CJK compatibility (㈠ ㎡)
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms
    (0x20000, 0x323AF),  # CJK extensions B to H (those the face has)
)


def _sc_face(source: Path) -> TTFont:
    for number in range(16):
        font = TTFont(str(source), fontNumber=number, lazy=False)
        if font["name"].getDebugName(4) == SC_FACE:
            return font
    raise SystemExit(f"{SC_FACE} not found in {source}")


def _subset(font: TTFont) -> None:
    cmap = font.getBestCmap()
    wanted = [code for low, high in RANGES for code in range(low, high + 1) if code in cmap]
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)


def _to_truetype(font: TTFont) -> None:
    """Replace the CFF table by glyf/loca with quadratic outlines (fontTools' otf2ttf)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():  # left side bearing = xMin of the new outline
        width, _lsb = hmtx.metrics[name]
        hmtx.metrics[name] = (width, getattr(glyph, "xMin", 0))
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    post = font["post"]
    post.formatType = 3.0  # no glyph names: 30,000 cidNNNNN names would only add weight
    font.sfntVersion = "\x00\x01\x00\x00"
    name = font["name"]
    for record in name.names:
        if record.nameID == 5:
            record.string = f"{record.toUnicode()}; TrueType subset for mibdesk"


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else SOURCE
    target = Path(argv[2]) if len(argv) > 2 else TARGET
    font = _sc_face(source)
    _subset(font)
    _to_truetype(font)
    temp = target.with_suffix(".tmp")
    font.save(str(temp))
    temp.replace(target)  # a program reading the font never sees half of it
    check = TTFont(str(target))
    print(f"{target}: {target.stat().st_size / 1e6:.1f} MB, {len(check.getBestCmap())} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
