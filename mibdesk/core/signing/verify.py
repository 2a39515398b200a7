"""Say who signed a PDF, when, whether it changed afterwards and whether the signer is trusted.

Policy: a mibdesk form carries exactly one signature (the head's). A PDF with two or more
is refused rather than half-reported: a second signature means someone else's tool worked
on the file, and which one "counts" is not a question the office should have to answer.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.signing import keys


@dataclass(frozen=True)
class PdfVerdict:
    """What a signature check found; `problems` are sentences to show the user."""

    signed: bool
    signer: str = ""
    office_code: str = ""
    signed_at: dt.datetime | None = None
    intact: bool = False
    trusted: bool = False
    problems: list[str] = field(default_factory=list)
    fingerprint: str = ""

    @property
    def ok(self) -> bool:
        """Signed, unchanged since, and by a trusted office."""
        return self.signed and self.intact and self.trusted and not self.problems


def open_pdf(data: bytes, *, where: str = "") -> Any:
    """A pyHanko reader over `data`; refuse a file that is not a PDF or is encrypted."""
    if not data.lstrip()[:5] == b"%PDF-":
        raise ValidationError(_("This file is not a PDF."), where=where)
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            raise ValidationError(
                _("This PDF is encrypted; mibdesk only signs and checks unencrypted forms."),
                where=where,
            )
        reader.root  # noqa: B018 - parse the catalogue now so damage shows here
    except ValidationError:
        raise
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as error:
        raise ValidationError(
            _("This PDF is damaged and cannot be read: {reason}").format(reason=error),
            where=where,
        ) from error
    return reader


def verify_pdf(path: Path, trusted: Sequence[x509.Certificate]) -> PdfVerdict:
    """Check the one signature in the PDF at `path` against `trusted` certificates.

    Unsigned → a verdict with `signed=False` and the problem "未签名". Refused with a
    ValidationError: not a PDF, encrypted, damaged, or more than one signature.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValidationError(
            _("The file cannot be read: {reason}").format(reason=error.strerror), where=str(path)
        ) from error
    reader = open_pdf(data, where=str(path))
    signatures = reader.embedded_signatures
    if not signatures:
        return PdfVerdict(signed=False, problems=[_("Not signed.")])
    if len(signatures) > 1:
        raise ValidationError(
            _("This PDF carries {count} signatures; a mibdesk form carries exactly one.").format(
                count=len(signatures)
            ),
            where=str(path),
        )
    return _judge(signatures[0], data, trusted)


def _judge(signature: Any, data: bytes, trusted: Sequence[x509.Certificate]) -> PdfVerdict:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext

    problems: list[str] = []
    roots = [
        asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
        for cert in trusted
    ]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    signer_cert = _signer_certificate(signature)
    covers_file = _covers_whole_file(signature, data)
    try:
        status = validate_pdf_signature(signature, context)
    except (SignatureValidationError, ValueError, KeyError) as error:
        return PdfVerdict(
            signed=True,
            signer=keys.subject_name(signer_cert) if signer_cert else "",
            office_code=keys.office_code_of(signer_cert) if signer_cert else "",
            problems=[_("The signature cannot be checked: {reason}").format(reason=error)],
        )
    cryptographically_sound = bool(status.intact and status.valid)
    if not cryptographically_sound:
        problems.append(_("The document was changed after signing: the signature does not match."))
    if not covers_file:
        problems.append(_("Content was added to the file after it was signed."))
    is_trusted = bool(status.trusted)
    if not is_trusted:
        problems.append(_("The signer's certificate is not among the trusted offices."))
    signed_at = status.signer_reported_dt
    return PdfVerdict(
        signed=True,
        signer=keys.subject_name(signer_cert) if signer_cert else "",
        office_code=keys.office_code_of(signer_cert) if signer_cert else "",
        signed_at=signed_at,
        intact=cryptographically_sound and covers_file,
        trusted=is_trusted,
        problems=problems,
        fingerprint=keys.fingerprint(signer_cert) if signer_cert else "",
    )


def _signer_certificate(signature: Any) -> x509.Certificate | None:
    try:
        return x509.load_der_x509_certificate(signature.signer_cert.dump())
    except (ValueError, AttributeError, KeyError):
        return None


def _covers_whole_file(signature: Any, data: bytes) -> bool:
    """The signed byte range starts at 0 and ends at the last byte of the file."""
    try:
        start, first_length, second_start, second_length = (
            int(v) for v in signature.sig_object["/ByteRange"]
        )
    except (KeyError, ValueError, TypeError):
        return False
    return start == 0 and first_length <= second_start and second_start + second_length == len(data)
