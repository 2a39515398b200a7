"""Put the head's PAdES signature on a PDF form, with a visible stamp if a box is given.

The stamp's appearance (name and time in Chinese) is drawn with ReportLab in the bundled CJK
font and handed to pyHanko as a static stamp: pyHanko's own text stamps would need
HarfBuzz for a CJK font. The output is written to a temporary file and renamed into place.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.resources import resource_path
from mibdesk.core.signing import keys
from mibdesk.core.signing._files import write_atomically
from mibdesk.core.signing.verify import open_pdf

FIELD_NAME = "负责人签章"
STAMP_FONT = ("fonts", "wqy-microhei.ttc")

Box = tuple[float, float, float, float]


def sign_pdf(
    source: Path,
    target: Path,
    p12: Path,
    password: str,
    *,
    signer_name: str,
    box: Box | None,
    page: int = -1,
    reason: str = "单位负责人审核签章",
    now: dt.datetime | None = None,
) -> None:
    """Sign `source` with the office key in `p12`; write the signed PDF to `target`.

    `box` is (x1, y1, x2, y2) in PDF points on `page` (negative counts from the end); None
    makes an invisible signature. Refused: wrong password, a certificate not valid now, a
    file that is not a PDF, is encrypted or is already signed. `target` may equal `source`.
    """
    office_key = keys.load(p12, password)
    keys.check_validity(office_key.certificate, now)
    data = _read(source)
    reader = open_pdf(data, where=str(source))
    if reader.embedded_signatures:
        raise ValidationError(_("This PDF is already signed."), where=str(source))
    if box is not None and (box[2] <= box[0] or box[3] <= box[1]):
        raise ValidationError(_("The signature box is empty."))

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12(p12, passphrase=password.encode("utf-8"))  # type: ignore[no-untyped-call]
    if signer is None:  # keys.load succeeded, so this is unexpected
        raise ValidationError(_("Wrong password for the signing key file."), where=str(p12))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        name=signer_name,
        reason=reason,
        location=office_key.office_name,
    )
    field_spec = fields.SigFieldSpec(
        sig_field_name=FIELD_NAME,
        on_page=page,
        box=tuple(round(v) for v in box) if box else None,  # type: ignore[arg-type]
    )
    import io

    with tempfile.TemporaryDirectory(prefix="mibdesk-stamp-") as scratch:
        stamp_style: Any = None
        if box is not None:
            stamp_style = _stamp_style(
                Path(scratch) / "stamp.pdf", box, signer_name, office_key, now
            )
        pdf_signer = signers.PdfSigner(
            metadata, signer=signer, stamp_style=stamp_style, new_field_spec=field_spec
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        output = io.BytesIO()
        pdf_signer.sign_pdf(writer, output=output)
    signed = output.getvalue()
    write_atomically(target, lambda temp: temp.write_bytes(signed))


def _read(source: Path) -> bytes:
    try:
        return source.read_bytes()
    except FileNotFoundError:
        raise ValidationError(_("The file does not exist."), where=str(source)) from None
    except OSError as error:
        raise ValidationError(
            _("The file cannot be read: {reason}").format(reason=error.strerror),
            where=str(source),
        ) from error


def _stamp_style(
    path: Path, box: Box, signer_name: str, office_key: keys.OfficeKey, now: dt.datetime | None
) -> Any:
    """Draw the stamp (office, signer, time) as a one-page PDF the size of `box`."""
    font_file = resource_path(*STAMP_FONT)
    if not font_file.is_file():
        raise ValidationError(
            _("The font file for the signature stamp is missing."), where=str(font_file)
        )
    from pyhanko.stamp import StaticStampStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = "MibdeskStamp"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(font, str(font_file), subfontIndex=0))
    width, height = box[2] - box[0], box[3] - box[1]
    moment = (now or dt.datetime.now(dt.UTC)).astimezone()
    lines = [
        office_key.office_name,
        f"签章人：{signer_name}",
        f"时间：{moment:%Y-%m-%d %H:%M}",
        f"证书：{keys.fingerprint(office_key.certificate)[:19]}",
    ]
    size = min(height / (len(lines) * 1.35), 10.0)
    for line in lines:  # shrink rather than clip a long office name
        size = min(size, (width - 6) / max(pdfmetrics.stringWidth(line, font, 1.0), 1.0))
    drawing = canvas.Canvas(str(path), pagesize=(width, height))
    drawing.setStrokeColorRGB(0.75, 0.1, 0.1)
    drawing.setFillColorRGB(0.75, 0.1, 0.1)
    drawing.setLineWidth(1)
    drawing.rect(1, 1, width - 2, height - 2)
    drawing.setFont(font, size)
    step = height / (len(lines) + 1)
    for index, line in enumerate(lines):
        drawing.drawString(3, height - step * (index + 1) - size / 3, line)
    drawing.save()
    return StaticStampStyle.from_pdf_file(str(path), border_width=0)
