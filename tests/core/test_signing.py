"""Office keys, PAdES signing and verification on real PDFs (ReportLab, pyHanko)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509

from mibdesk.core.errors import ValidationError
from mibdesk.core.signing import keys
from mibdesk.core.signing.sign import sign_pdf
from mibdesk.core.signing.verify import verify_pdf

OFFICE = "青溪县医疗保障事务中心"
CODE = "330699"
PASSWORD = "正确的口令-2026"


def _pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    drawing = canvas.Canvas(str(path), pageCompression=0)
    drawing.drawString(72, 720, "Hello form 330699 total 12345.67")
    drawing.showPage()
    drawing.save()
    return path


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, x509.Certificate]:
    folder = tmp_path_factory.mktemp("key")
    p12 = folder / "office.p12"
    certificate = keys.create_office_key(p12, PASSWORD, office_name=OFFICE, office_code=CODE)
    return p12, certificate


@pytest.fixture(scope="module")
def signed(office: tuple[Path, x509.Certificate], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pdf")
    target = folder / "signed.pdf"
    sign_pdf(
        _pdf(folder / "form.pdf"),
        target,
        office[0],
        PASSWORD,
        signer_name="张三",
        box=(380, 60, 560, 130),
    )
    return target


def test_created_key_loads_and_names_the_office(office: tuple[Path, x509.Certificate]) -> None:
    p12, certificate = office
    loaded = keys.load(p12, PASSWORD)
    assert loaded.office_code == CODE
    assert loaded.office_name == OFFICE
    assert loaded.certificate == certificate
    remaining = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert remaining.days >= 3 * 365
    groups = keys.fingerprint(certificate).split(" ")
    assert len(groups) == 16 and all(len(g) == 4 for g in groups)


def test_signed_form_is_intact_and_trusted(
    signed: Path, office: tuple[Path, x509.Certificate]
) -> None:
    verdict = verify_pdf(signed, [office[1]])
    assert verdict.signed and verdict.intact and verdict.trusted, verdict.problems
    assert verdict.ok
    assert verdict.signer == OFFICE
    assert verdict.office_code == CODE
    assert verdict.signed_at is not None
    assert abs(verdict.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def test_unknown_signer_is_not_trusted(signed: Path) -> None:
    verdict = verify_pdf(signed, [])
    assert verdict.signed and verdict.intact
    assert not verdict.trusted and not verdict.ok
    assert verdict.problems


def test_a_changed_byte_is_tampering(
    signed: Path, office: tuple[Path, x509.Certificate], tmp_path: Path
) -> None:
    data = signed.read_bytes()
    assert data.count(b"12345.67") == 1
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(data.replace(b"12345.67", b"92345.67"))
    verdict = verify_pdf(tampered, [office[1]])
    assert verdict.signed and not verdict.intact and not verdict.ok
    assert verdict.problems


def test_bytes_appended_after_signing_are_reported(
    signed: Path, office: tuple[Path, x509.Certificate], tmp_path: Path
) -> None:
    from pyhanko.pdf_utils.generic import pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    appended = tmp_path / "appended.pdf"
    with signed.open("rb") as source:
        writer = IncrementalPdfFileWriter(source)
        writer.root["/Lang"] = pdf_string("en")  # an incremental update after %%EOF
        writer.update_root()
        with appended.open("wb") as out:
            writer.write(out)
    assert appended.read_bytes().startswith(signed.read_bytes())
    verdict = verify_pdf(appended, [office[1]])
    assert verdict.signed and not verdict.intact and not verdict.ok
    assert any("签名后" in p or "after" in p for p in verdict.problems)


def test_unsigned_pdf_is_a_verdict_not_an_error(tmp_path: Path) -> None:
    verdict = verify_pdf(_pdf(tmp_path / "plain.pdf"), [])
    assert not verdict.signed and not verdict.ok
    assert verdict.problems == ["未签名。"] or verdict.problems


def test_signing_twice_is_refused_and_target_untouched(
    signed: Path, office: tuple[Path, x509.Certificate], tmp_path: Path
) -> None:
    target = tmp_path / "again.pdf"
    with pytest.raises(ValidationError):
        sign_pdf(signed, target, office[0], PASSWORD, signer_name="李四", box=None)
    assert not target.exists()


def test_wrong_password_is_a_clear_error(
    office: tuple[Path, x509.Certificate], tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match=r"密码|password"):
        keys.load(office[0], "wrong")
    target = tmp_path / "out.pdf"
    with pytest.raises(ValidationError):
        sign_pdf(_pdf(tmp_path / "f.pdf"), target, office[0], "wrong", signer_name="张三", box=None)
    assert not target.exists()


def _ca_p12(
    tmp_path: Path, *, code: str, start: dt.datetime, end: dt.datetime, name: str = "x.p12"
) -> Path:
    """A PKCS#12 file with a certificate valid from `start` to `end` for `code`."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, OFFICE),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, code),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / name
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"ca", key, certificate, None, serialization.BestAvailableEncryption(b"ca-pass")
        )
    )
    return path


def test_import_accepts_a_valid_ca_file(tmp_path: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    source = _ca_p12(
        tmp_path, code=CODE, start=now - dt.timedelta(days=1), end=now + dt.timedelta(days=300)
    )
    target = tmp_path / "office.p12"
    certificate = keys.import_pkcs12(
        source, target, "ca-pass", office_code=CODE, new_password=PASSWORD
    )
    assert keys.load(target, PASSWORD).certificate == certificate


@pytest.mark.parametrize(
    ("days_from", "days_to", "words"), [(-400, -10, "过期|expired"), (10, 400, "生效|valid")]
)
def test_import_refuses_a_certificate_outside_its_validity(
    tmp_path: Path, days_from: int, days_to: int, words: str
) -> None:
    now = dt.datetime.now(dt.UTC)
    source = _ca_p12(
        tmp_path,
        code=CODE,
        start=now + dt.timedelta(days=days_from),
        end=now + dt.timedelta(days=days_to),
    )
    target = tmp_path / "office.p12"
    with pytest.raises(ValidationError, match=words):
        keys.import_pkcs12(source, target, "ca-pass", office_code=CODE)
    assert not target.exists()


def test_import_refuses_another_offices_certificate(tmp_path: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    source = _ca_p12(
        tmp_path, code="330101", start=now - dt.timedelta(days=1), end=now + dt.timedelta(days=30)
    )
    with pytest.raises(ValidationError, match="330101"):
        keys.import_pkcs12(source, tmp_path / "office.p12", "ca-pass", office_code=CODE)


def test_not_a_pdf_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "report.pdf"
    bogus.write_bytes(b"PK\x03\x04 this is a zip, not a pdf")
    with pytest.raises(ValidationError, match="PDF"):
        verify_pdf(bogus, [])


def test_not_a_key_file_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "key.p12"
    bogus.write_bytes(b"not a key at all")
    with pytest.raises(ValidationError, match="PKCS#12"):
        keys.load(bogus, PASSWORD)


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(_pdf(tmp_path / "plain.pdf")))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt("user-pass", "owner-pass")
    encrypted = tmp_path / "encrypted.pdf"
    with encrypted.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(ValidationError, match=r"加密|encrypted"):
        verify_pdf(encrypted, [])
