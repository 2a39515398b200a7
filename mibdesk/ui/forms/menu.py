"""Tools → 验证PDF… in the main window. Only Qt is imported here: the checking itself
(pyHanko, the catalog) loads when the user first picks a file, not at start-up."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from mibdesk.core.i18n import _
from mibdesk.ui.context import UiContext

TOOLS_MENU = "toolsMenu"


def install_verify_action(window: QMainWindow, ctx: UiContext) -> QAction:
    """Add 验证PDF… to the window's Tools menu (created if it has none yet)."""
    menu = window.menuBar().findChild(QMenu, TOOLS_MENU)
    if menu is None:
        menu = window.menuBar().addMenu(_("&Tools"))
        menu.setObjectName(TOOLS_MENU)
    action = menu.addAction(_("Verify a PDF…"))
    action.setObjectName("verifyPdfAction")
    action.triggered.connect(lambda: _verify(window, ctx))
    return action


def _verify(window: QMainWindow, ctx: UiContext) -> None:
    from mibdesk.ui.forms.verify import choose_and_verify

    choose_and_verify(window, ctx)
