"""An office's signing key and certificate, kept in a password-protected PKCS#12 file.

The key is RSA 2048: every PDF viewer offices and the city use (Adobe, Foxit, WPS, old
versions included) validates RSA signatures, while ECDSA support is patchy in older ones;
the size and speed cost is negligible for a few signatures a month.

The office's division code (6 digits) is carried in the subject's serialNumber attribute
(and OU); an imported CA certificate must carry the office's code in one of the two.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.signing._files import write_atomically

KEY_SIZE = 2048
DEFAULT_YEARS = 3
_CODE = re.compile(r"^\d{6}$")
_CLOCK_SKEW = dt.timedelta(minutes=5)

# The key types a PDF signature may use here (what viewers validate).
SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class OfficeKey:
    """A loaded PKCS#12 file: the private key, its certificate and any CA chain."""

    key: SigningKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def office_code(self) -> str:
        return office_code_of(self.certificate)

    @property
    def office_name(self) -> str:
        return subject_name(self.certificate)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _check_code(office_code: str) -> None:
    if not _CODE.match(office_code):
        raise ValidationError(
            _("The division code must be 6 digits, not {code}.").format(code=office_code)
        )


def _check_password(password: str) -> None:
    if not password:
        raise ValidationError(_("The signing key file needs a password."))


def create_office_key(
    path: Path,
    password: str,
    *,
    office_name: str,
    office_code: str,
    years: int = DEFAULT_YEARS,
    now: dt.datetime | None = None,
) -> x509.Certificate:
    """Create a key and a self-signed certificate for the office; store them at `path`.

    The file is written atomically and encrypted with `password` (AES-256, PBKDF2).
    Returns the certificate (give its `fingerprint` to whoever must trust it).
    """
    _check_code(office_code)
    _check_password(password)
    if not office_name.strip():
        raise ValidationError(_("The office name is empty."))
    start = (now or _now()) - _CLOCK_SKEW
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, office_name),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, office_code),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, office_code),
            x509.NameAttribute(NameOID.COMMON_NAME, office_name),
        ]
    )
    public = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365 * years + years // 4 + 1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    _store(path, password, OfficeKey(key, certificate))
    return certificate


def import_pkcs12(
    source: Path,
    target: Path,
    password: str,
    *,
    office_code: str,
    new_password: str | None = None,
    now: dt.datetime | None = None,
) -> x509.Certificate:
    """Check a CA-issued PKCS#12 file and store it at `target` (re-encrypted).

    Refused: no key or no certificate, a key that does not match the certificate, a
    certificate not valid now, or one issued to another division code.
    """
    _check_code(office_code)
    loaded = load(source, password)
    check_validity(loaded.certificate, now)
    found = office_code_of(loaded.certificate)
    if not found:
        raise ValidationError(
            _(
                "The certificate carries no division code; it cannot be used by office {code}."
            ).format(code=office_code)
        )
    if found != office_code:
        raise ValidationError(
            _("The certificate belongs to office {found}, not to this office {code}.").format(
                found=found, code=office_code
            )
        )
    _store(target, new_password or password, loaded)
    return loaded.certificate


def load(path: Path, password: str) -> OfficeKey:
    """Open the PKCS#12 file at `path`; a wrong password or a damaged file is refused."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(_("The signing key file does not exist."), where=str(path)) from None
    except OSError as error:
        raise ValidationError(
            _("The signing key file cannot be read: {reason}").format(reason=error.strerror),
            where=str(path),
        ) from error
    if not _looks_like_pkcs12(data):
        raise ValidationError(_("This is not a PKCS#12 (.p12/.pfx) key file."), where=str(path))
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(
            data, password.encode("utf-8") if password else None
        )
    except ValueError:
        raise ValidationError(
            _("Wrong password for the signing key file."), where=str(path)
        ) from None
    if key is None:
        raise ValidationError(_("The key file holds no private key."), where=str(path))
    if certificate is None:
        raise ValidationError(_("The key file holds no certificate."), where=str(path))
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise ValidationError(
            _("The key in the file is neither RSA nor ECDSA; it cannot sign PDF forms."),
            where=str(path),
        )
    public = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    if public != key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ):
        raise ValidationError(
            _("The private key in the file does not belong to its certificate."), where=str(path)
        )
    return OfficeKey(key, certificate, tuple(chain))


def check_validity(certificate: x509.Certificate, now: dt.datetime | None = None) -> None:
    """Refuse a certificate that has expired or is not yet valid at `now`."""
    moment = now or _now()
    if moment < certificate.not_valid_before_utc:
        raise ValidationError(
            _("The certificate is not valid until {date}; check the computer's clock.").format(
                date=certificate.not_valid_before_utc.date().isoformat()
            )
        )
    if moment > certificate.not_valid_after_utc:
        raise ValidationError(
            _("The certificate expired on {date}; ask for a new one.").format(
                date=certificate.not_valid_after_utc.date().isoformat()
            )
        )


def office_code_of(certificate: x509.Certificate) -> str:
    """The 6-digit division code in the subject (serialNumber first, then OU), or ''."""
    for oid in (NameOID.SERIAL_NUMBER, NameOID.ORGANIZATIONAL_UNIT_NAME):
        for attribute in certificate.subject.get_attributes_for_oid(oid):
            value = attribute.value
            text = value if isinstance(value, str) else value.decode("utf-8", "replace")
            if _CODE.match(text.strip()):
                return text.strip()
    return ""


def subject_name(certificate: x509.Certificate) -> str:
    """The subject's common name (else organisation), as a readable string."""
    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
        for attribute in certificate.subject.get_attributes_for_oid(oid):
            value = attribute.value
            return value if isinstance(value, str) else value.decode("utf-8", "replace")
    return certificate.subject.rfc4514_string()


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the certificate, upper-case hex in 16 groups of 4 for reading aloud.

    e.g. ``"3A7F 09C2 …"``; two people compare it over the phone or on paper.
    """
    digest = hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()
    groups = [digest[i : i + 4].upper() for i in range(0, len(digest), 4)]
    return " ".join(groups)


def _looks_like_pkcs12(data: bytes) -> bool:
    from asn1crypto import pkcs12 as asn1_pkcs12  # pyHanko's dependency; parse only the shell

    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return bool(pfx["version"].native == "v3")
    except (ValueError, TypeError, KeyError):
        return False


def _store(path: Path, password: str, office_key: OfficeKey) -> None:
    _check_password(password)
    blob = pkcs12.serialize_key_and_certificates(
        name=subject_name(office_key.certificate).encode("utf-8"),
        key=office_key.key,
        cert=office_key.certificate,
        cas=list(office_key.chain) or None,
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode("utf-8")),
    )
    write_atomically(path, lambda temp: temp.write_bytes(blob))
    pem = office_key.certificate.public_bytes(serialization.Encoding.PEM)
    write_atomically(certificate_copy(path), lambda temp: temp.write_bytes(pem))


def certificate_copy(path: Path) -> Path:
    """The certificate alone (PEM, no key) kept beside the key file at `path`, written with it:
    readable without the password, for the health check's expiry warning and for giving the
    office's certificate to whoever must trust it."""
    return path.with_suffix(".crt")


def certificates_from(paths: Sequence[Path]) -> list[x509.Certificate]:
    """Read trusted certificates (PEM or DER files), e.g. those the city distributes."""
    certificates: list[x509.Certificate] = []
    for path in paths:
        data = path.read_bytes()
        try:
            if b"-----BEGIN CERTIFICATE-----" in data:
                certificates.extend(x509.load_pem_x509_certificates(data))
            else:
                certificates.append(x509.load_der_x509_certificate(data))
        except ValueError:
            raise ValidationError(_("This is not a certificate file."), where=str(path)) from None
    return certificates
