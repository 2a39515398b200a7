"""The application icon: every size on the application (so on every window), each drawn for
its size, and the Windows icon holding the same sizes."""

from __future__ import annotations

from PIL import IcoImagePlugin, Image
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from mibdesk.core.resources import resources_root
from mibdesk.core.security.roles import Actor
from mibdesk.core.services.store import Store
from mibdesk.ui import app


def test_the_application_and_its_main_window_carry_the_icon(
    qapp: QApplication, qtbot: QtBot, office: Store, head: Actor
) -> None:
    font = qapp.font()
    try:
        assert app.make_application([]) is qapp
    finally:
        qapp.setFont(font)  # make_application sets the program's font; later tests expect theirs
    icon = qapp.windowIcon()
    assert icon.availableSizes() == [QSize(n, n) for n in app.ICON_SIZES]
    window = app.build_window(office, head, False)
    qtbot.addWidget(window)
    assert window.windowIcon().cacheKey() == icon.cacheKey()
    window.ctx.tasks.wait_idle()

    small = icon.pixmap(16, 16).toImage()
    assert small.pixelColor(0, 0).alpha() == 0  # the rounded corner
    assert small.pixelColor(1, 8) == QColor("#2160a8")  # the blue ground
    assert small.pixelColor(8, 3) == QColor("#ffffff")  # 医's top stroke, crisp at 16 px
    large = icon.pixmap(256, 256).toImage()
    assert large.width() == 256 and large.pixelColor(128, 40).blue() > 140


def test_the_windows_icon_holds_every_size() -> None:
    with Image.open(resources_root() / "icons" / "mibdesk.ico") as ico:
        assert sorted(ico.info["sizes"]) == [(n, n) for n in app.ICON_SIZES]
        assert isinstance(ico, IcoImagePlugin.IcoImageFile)
        small = ico.ico.getimage((16, 16)).convert("RGBA")
        assert small.getpixel((8, 3)) == (255, 255, 255, 255)  # the pixel-grid drawing
