"""Print a form PDF with Qt: a print preview fed by pages QtPdf renders, A4, true to scale.

Qt cannot hand a PDF to a printer as it is, so each page is rendered to an image with
`QPdfDocument.render` and drawn onto the printer: at 300 dpi for the printer (sharp text, a
page's image is ~35 MB and is freed before the next), at 120 dpi while the preview
records every page (a 50-page report stays a few hundred MB). The printer is set to the whole
sheet (`setFullPage`), so the form's own 15 mm margins land on paper exactly where the PDF
has them: one PDF point is 1/72 inch on paper.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPaintEngine, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _

PRINT_DPI = 300
PREVIEW_DPI = 120


def open_document(path: Path) -> QPdfDocument:
    """Load the PDF at `path` with QtPdf; a `UserError` if it cannot be read."""
    document = QPdfDocument()
    status = document.load(str(path))
    if status != QPdfDocument.Error.None_ or document.pageCount() == 0:
        raise UserError(
            _("The PDF cannot be opened for printing ({status}).").format(status=status.name),
            where=str(path),
        )
    return document


def a4_printer(document: QPdfDocument) -> QPrinter:
    """A printer on A4, turned like the form's first page, drawing on the whole sheet."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    first = document.pagePointSize(0)
    landscape = first.width() > first.height()
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(orientation)
    printer.setFullPage(True)
    printer.setDocName(document.metaData(QPdfDocument.MetaDataField.Title) or "mibdesk")
    return printer


def _page_image(document: QPdfDocument, index: int, dpi: int) -> QImage:
    points = document.pagePointSize(index)
    size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
    options = QPdfDocumentRenderOptions()
    options.setRenderFlags(QPdfDocumentRenderOptions.RenderFlag.Annotations)  # the stamp
    return document.render(index, size, options)


def paint_pages(document: QPdfDocument, printer: QPrinter) -> None:
    """Draw every page of `document` onto `printer`, each on its own sheet, at 1:1 scale
    when the sheet is the page's size (A4), else scaled to fit and centred."""
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError(_("The printer cannot be used; check that it is on and connected."))
    try:
        engine = printer.paintEngine()
        previewing = engine is not None and engine.type() == QPaintEngine.Type.Picture
        dpi = min(printer.resolution(), PREVIEW_DPI if previewing else PRINT_DPI)
        sheet = printer.paperRect(QPrinter.Unit.DevicePixel)
        for index in range(document.pageCount()):
            if index:
                printer.newPage()
            points = document.pagePointSize(index)
            per_point = printer.resolution() / 72
            scale = min(
                1.0,
                sheet.width() / (points.width() * per_point),
                sheet.height() / (points.height() * per_point),
            )
            width = points.width() * per_point * scale
            height = points.height() * per_point * scale
            corner = QPointF((sheet.width() - width) / 2, (sheet.height() - height) / 2)
            painter.drawImage(
                QRectF(corner.x(), corner.y(), width, height), _page_image(document, index, dpi)
            )
    finally:
        painter.end()


class PreviewDialog(QPrintPreviewDialog):
    """A print preview of the PDF at `path` on A4; its Print button prints it as previewed.

    Modal to the application; deletes itself when closed. `UserError` if the file cannot be
    read."""

    def __init__(self, path: Path, parent: QWidget | None) -> None:
        document = open_document(path)
        printer = a4_printer(document)
        super().__init__(printer, parent)
        self.printer_used = printer  # the dialog does not own its printer: keep it alive
        self.document = document
        document.setParent(self)
        self.setWindowTitle(_("Print preview — {name}").format(name=path.name))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.paintRequested.connect(lambda target: paint_pages(document, target))
        self.resize(1000, 760)
