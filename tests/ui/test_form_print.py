"""The 正式报表 button on the demo office: the form of what the screen shows, its print preview
(pages QtPdf renders, A4, true to scale), the system viewer and Save as PDF."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from forms_helpers import demo_context, shot
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QDesktopServices, QImage, QPageLayout
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from mibdesk.core.periods import Month
from mibdesk.core.services.store import Store
from mibdesk.ui.context import UiContext
from mibdesk.ui.execution.view import ExecutionScreen
from mibdesk.ui.figures.view import MonthlyReportScreen
from mibdesk.ui.forms.button import FormButton
from mibdesk.ui.forms.controller import FormRequest
from mibdesk.ui.forms.printing import a4_printer, open_document, paint_pages
from mibdesk.ui.plans.view import PlanScreen

OCTOBER = Month(2026, 10)
pypdf = pytest.importorskip("pypdf")


@pytest.fixture
def head(demo_store: Store) -> Iterator[UiContext]:
    with demo_context(demo_store, "zhangli") as ctx:
        yield ctx


def _button(qtbot: QtBot, ctx: UiContext, request: FormRequest) -> FormButton:
    button = FormButton(ctx, lambda: request)
    qtbot.addWidget(button)
    return button


def _messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes answered at once, recorded as (kind, text)."""
    seen: list[tuple[str, str]] = []

    def box(kind: str):  # type: ignore[no-untyped-def]
        def show(parent: QWidget | None, title: str, text: str, *rest: object) -> object:
            seen.append((kind, text))
            return QMessageBox.StandardButton.Close

        return show

    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, box(kind))
    return seen


def test_each_screen_offers_the_form_of_what_it_shows(qtbot: QtBot, demo_store: Store) -> None:
    with demo_context(demo_store, "zhangli") as ctx:
        figures, plans, execution = MonthlyReportScreen(ctx), PlanScreen(ctx), ExecutionScreen(ctx)
        for screen in (figures, plans, execution):
            qtbot.addWidget(screen)
            assert screen.form_button.text() == "正式报表"
            assert screen.form_button.sign_action.isVisible()  # a head may sign
        scheme, month = figures.controller.current()
        assert figures.form_button.request() == FormRequest.report(scheme, month)
        assert plans.form_button.request() == FormRequest.plan(
            plans.controller.scheme_code, plans.controller.month
        )
        assert execution.form_button.request() == FormRequest.execution(2026)
        labels = [a.text() for a in figures.form_button.menu().actions() if a.text()]
        assert labels == ["预览并打印…", "用系统PDF阅读器打开", "另存为PDF…", "签章并保存…"]
    with demo_context(demo_store, "wangfang") as ctx:
        screen = MonthlyReportScreen(ctx)
        qtbot.addWidget(screen)
        assert not screen.form_button.sign_action.isVisible()  # a preparer never signs


def test_print_preview_shows_every_page_on_landscape_a4(
    qtbot: QtBot, head: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages = _messages(monkeypatch)
    button = _button(qtbot, head, FormRequest.execution(2026))
    button.print_preview()
    assert head.tasks.wait_idle(30_000), messages
    preview = button.preview
    assert preview is not None and preview.isVisible() and preview.isModal()
    widget = preview.findChild(QPrintPreviewWidget)
    assert widget is not None
    qtbot.waitUntil(lambda: widget.pageCount() == 2)
    layout = preview.printer_used.pageLayout()
    assert layout.orientation() == QPageLayout.Orientation.Landscape
    assert layout.pageSize().name() == "A4" and preview.printer_used.fullPage()
    assert "预算执行情况表" in preview.windowTitle()
    shot(preview, "print-preview")
    preview.close()
    assert not messages


def _ink_box(image: QImage) -> tuple[int, int, int, int]:
    """The bounding box of the dark pixels (the form's rules and text)."""
    xs, ys = [], []
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            if QColor(image.pixel(x, y)).lightness() < 128:
                xs.append(x)
                ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def test_printing_puts_each_page_on_its_own_a4_sheet_true_to_scale(
    head: UiContext, tmp_path: Path
) -> None:
    from mibdesk.ui.forms.controller import FormController

    form = tmp_path / "report.pdf"
    FormController(head).render(FormRequest.report("RES", OCTOBER), form)
    document = open_document(form)
    printer = a4_printer(document)
    assert printer.pageLayout().orientation() == QPageLayout.Orientation.Portrait
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    paint_pages(document, printer)

    pages = pypdf.PdfReader(printed).pages
    assert len(pages) == document.pageCount() == 2
    for page in pages:
        width, height = (float(v) for v in page.mediabox[2:])
        assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5  # A4 portrait
    copy = open_document(printed)
    for index in range(2):
        original = document.render(index, document.pagePointSize(index).toSize())
        on_paper = copy.render(index, copy.pagePointSize(index).toSize())
        # the rules and text sit where the PDF has them, to within 2 points
        for a, b in zip(_ink_box(original), _ink_box(on_paper), strict=True):
            assert abs(a - b) <= 2


def test_open_in_the_system_viewer(
    qtbot: QtBot, head: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    button = _button(qtbot, head, FormRequest.report("EMP", OCTOBER))
    button.view_action.trigger()
    assert head.tasks.wait_idle(30_000)
    [url] = opened
    path = Path(url.toLocalFile())
    assert path.name.startswith("330699-EMP-2026-10-月报表") and path.suffix == ".pdf"
    assert path.read_bytes().startswith(b"%PDF")

    messages = _messages(monkeypatch)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)  # no viewer installed
    button.open_viewer()
    assert head.tasks.wait_idle(30_000)
    [(kind, text)] = messages
    assert kind == "warning" and "没有找到" in text and ".pdf" in text


def test_save_as_pdf_writes_the_form_where_chosen(
    qtbot: QtBot, head: UiContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QFileDialog

    messages = _messages(monkeypatch)
    suggested: list[str] = []

    def choose(parent: QWidget, title: str, name: str, filters: str) -> tuple[str, str]:
        suggested.append(name)
        return str(tmp_path / "十二月计划"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    button = _button(qtbot, head, FormRequest.plan("EMP", Month(2026, 12)))
    button.save_action.trigger()
    assert head.tasks.wait_idle(30_000)
    assert suggested == ["330699-EMP-2026-12-用款计划申请表.pdf"]
    written = tmp_path / "十二月计划.pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(written).pages)
    assert "基金用款计划申请表" in text.replace("\n", "")
    [(kind, message)] = messages
    assert kind == "information" and str(written) in message and "数据指纹" in message


def test_a_month_without_a_plan_is_refused_in_chinese(
    qtbot: QtBot, head: UiContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    messages = _messages(monkeypatch)
    button = _button(qtbot, head, FormRequest.plan("EMP", Month(2027, 3)))
    button.print_preview()
    assert head.tasks.wait_idle(30_000)
    [(kind, text)] = messages
    assert kind == "warning" and "2027年3月" in text and "用款计划" in text
    assert button.preview is None


def test_a_page_that_cannot_be_read_is_not_printed(tmp_path: Path) -> None:
    from mibdesk.core.errors import UserError

    bogus = tmp_path / "bogus.pdf"
    bogus.write_bytes(b"%PDF-1.4 nothing else")
    with pytest.raises(UserError, match="打印"):
        open_document(bogus)
