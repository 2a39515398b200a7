"""Render the application icon: resources/icons/mibdesk.svg → PNGs and a Windows .ico.

    .venv/bin/python tools/build_icons.py

The icon is drawn by hand in SVG (resources/icons/README.md). Qt's SVG renderer draws each
size from 24 px up; 16 px comes from `mibdesk-16.svg`, the same 医 laid on the pixel grid,
because the large drawing scaled down to 16 px turns to grey mush. Pillow packs every size,
each drawn for itself, into `mibdesk.ico` (the program's icon on Windows: the .exe, the
shortcuts, the installer). The outputs are committed; run this after changing a drawing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from mibdesk.core.resources import resources_root
from mibdesk.ui.app import ICON_SIZES as SIZES

ICONS = resources_root() / "icons"


def render(svg: Path, size: int, target: Path) -> Image.Image:
    """Draw `svg` at `size` × `size` pixels, antialiased, on a transparent ground, into the
    PNG `target`; the image read back."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG drawing")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(target)):  # PNG, from the suffix
        raise SystemExit(f"{target}: could not be written")
    with Image.open(target) as written:
        return written.convert("RGBA")


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # QtSvg needs one
    images = []
    for size in SIZES:
        svg = ICONS / ("mibdesk-16.svg" if size == 16 else "mibdesk.svg")
        images.append(render(svg, size, ICONS / f"mibdesk-{size}.png"))
    largest = images[-1]
    largest.save(
        ICONS / "mibdesk.ico",
        sizes=[(size, size) for size in SIZES],
        append_images=images[:-1],  # each size as drawn, not the 256 px scaled down
    )
    print(f"wrote {len(SIZES)} PNGs and mibdesk.ico to {ICONS}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
