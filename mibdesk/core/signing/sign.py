"""Put the head's PAdES signature on a PDF form, with a visible stamp if a box is given.

The stamp's appearance (name and time in Chinese) is drawn with ReportLab in the forms' Hei
face (the Song face for a character it lacks, see `reports.fonts`) and handed to pyHanko as a
static stamp: pyHanko's own text stamps would need HarfBuzz for a CJK font. The output is
written to a temporary file and renamed into place.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.signing import keys
from mibdesk.core.signing._files import write_atomically
from mibdesk.core.signing.verify import open_pdf

FIELD_NAME = "负责人签章"
SIGNATURE_SPACE = 16_384
"""Bytes kept for the signature container: an RSA-2048 PAdES signature with a self-signed
certificate takes ~3 kB, with a CA chain of three ~8 kB. Fixed, so pyHanko need not sign a
dummy container first to measure one."""

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
    office_code: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Sign `source` with the office key in `p12`; write the signed PDF to `target`.

    `box` is (x1, y1, x2, y2) in PDF points on `page` (negative counts from the end); None
    makes an invisible signature. Refused: wrong password, a certificate not valid now or
    issued to another office than `office_code` (when given), a file that is not a PDF, is
    encrypted or is already signed. `target` may equal `source`; it is replaced atomically
    and left as it was when signing is refused.
    """
    office_key = keys.load(p12, password)
    keys.check_validity(office_key.certificate, now)
    if office_code is not None and office_key.office_code != office_code:
        raise ValidationError(
            _("The certificate belongs to office {found}, not to this office {code}.").format(
                found=office_key.office_code or "?", code=office_code
            ),
            where=str(p12),
        )
    data = _read(source)
    reader = open_pdf(data, where=str(source))
    if reader.embedded_signatures:
        raise ValidationError(_("This PDF is already signed."), where=str(source))
    if box is not None and (box[2] <= box[0] or box[3] <= box[1]):
        raise ValidationError(_("The signature box is empty."))

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer(office_key)
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
        pdf_signer.sign_pdf(writer, output=output, bytes_reserved=SIGNATURE_SPACE)
    signed = output.getvalue()
    write_atomically(target, lambda temp: temp.write_bytes(signed))


def warm_up() -> None:
    """Load pyHanko (~0.4 s on an office PC) and the forms' fonts ahead of a signature, e.g.
    while the head types the key's password."""
    from pyhanko.pdf_utils import incremental_writer  # noqa: F401
    from pyhanko.sign import fields, signers  # noqa: F401
    from pyhanko.stamp import StaticStampStyle  # noqa: F401

    from mibdesk.core.reports import fonts

    fonts.register()


def _signer(office_key: keys.OfficeKey) -> Any:
    """pyHanko's signer over the key already loaded (the PKCS#12 file is decrypted once)."""
    from pyhanko.keys import internal
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    chain = SimpleCertificateStore()  # type: ignore[no-untyped-call]
    chain.register_multiple(
        internal.translate_pyca_cryptography_cert_to_asn1(c) for c in office_key.chain
    )
    return signers.SimpleSigner(
        signing_cert=internal.translate_pyca_cryptography_cert_to_asn1(office_key.certificate),
        signing_key=internal.translate_pyca_cryptography_key_to_asn1(office_key.key),
        cert_registry=chain,
    )


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
    from pyhanko.stamp import StaticStampStyle
    from reportlab.pdfgen import canvas

    from mibdesk.core.reports import fonts

    fonts.register()
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
        size = min(size, (width - 6) / max(fonts.text_width(line, fonts.HEI, 1.0), 1.0))
    drawing = canvas.Canvas(str(path), pagesize=(width, height))
    drawing.setStrokeColorRGB(0.75, 0.1, 0.1)
    drawing.setFillColorRGB(0.75, 0.1, 0.1)
    drawing.setLineWidth(1)
    drawing.rect(1, 1, width - 2, height - 2)
    step = height / (len(lines) + 1)
    for index, line in enumerate(lines):
        fonts.draw(drawing, 3, height - step * (index + 1) - size / 3, line, fonts.HEI, size)
    drawing.save()
    return StaticStampStyle.from_pdf_file(str(path), border_width=0)
