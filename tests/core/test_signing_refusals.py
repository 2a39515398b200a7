"""What signing and verification refuse, each with a clear message and nothing half-written:
an expired or not-yet-valid key, another office's key, a file that is not a PDF or is
encrypted, a PDF that carries two signatures; and a refused signature leaves the target as it
was."""

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
BOX = (380.0, 60.0, 560.0, 130.0)


def _pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    drawing = canvas.Canvas(str(path))
    drawing.drawString(72, 720, "form 330699")
    drawing.showPage()
    drawing.save()
    return path


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, x509.Certificate]:
    p12 = tmp_path_factory.mktemp("key") / "office.p12"
    return p12, keys.create_office_key(p12, PASSWORD, office_name=OFFICE, office_code=CODE)


def _refused(
    tmp_path: Path, source: Path, p12: Path, words: str, **options: object
) -> ValidationError:
    """Signing `source` is refused with a message matching `words`; an existing target is
    left exactly as it was and no temporary file remains."""
    target = tmp_path / "filed.pdf"
    target.write_bytes(b"%PDF- yesterday's signed copy")
    with pytest.raises(ValidationError, match=words) as refused:
        sign_pdf(source, target, p12, PASSWORD, signer_name="张丽", box=BOX, **options)  # type: ignore[arg-type]
    assert target.read_bytes() == b"%PDF- yesterday's signed copy"
    assert not list(tmp_path.glob(".*.tmp"))
    return refused.value


def test_wrong_password_leaves_the_filed_copy(
    office: tuple[Path, x509.Certificate], tmp_path: Path
) -> None:
    target = tmp_path / "filed.pdf"
    target.write_bytes(b"%PDF- yesterday's signed copy")
    with pytest.raises(ValidationError, match="密码"):
        sign_pdf(_pdf(tmp_path / "f.pdf"), target, office[0], "wrong", signer_name="张丽", box=BOX)
    assert target.read_bytes() == b"%PDF- yesterday's signed copy"


@pytest.mark.parametrize(("years", "words"), [(4, "过期"), (-1, "生效")])
def test_a_key_outside_its_validity_does_not_sign(
    office: tuple[Path, x509.Certificate], tmp_path: Path, years: int, words: str
) -> None:
    """Four years on the three-year certificate has expired; a year before it was issued
    it is not valid yet (a computer clock set wrong)."""
    moment = dt.datetime.now(dt.UTC) + dt.timedelta(days=365 * years)
    _refused(tmp_path, _pdf(tmp_path / "f.pdf"), office[0], words, now=moment)


def test_another_offices_key_does_not_sign(
    office: tuple[Path, x509.Certificate], tmp_path: Path
) -> None:
    error = _refused(tmp_path, _pdf(tmp_path / "f.pdf"), office[0], "330101", office_code="330101")
    assert CODE in str(error)


def test_a_file_that_is_not_a_pdf_is_not_signed(
    office: tuple[Path, x509.Certificate], tmp_path: Path
) -> None:
    bogus = tmp_path / "report.pdf"
    bogus.write_bytes("月报表，其实是一个文本文件".encode())
    _refused(tmp_path, bogus, office[0], "不是 ?PDF")


def test_an_encrypted_pdf_is_not_signed(
    office: tuple[Path, x509.Certificate], tmp_path: Path
) -> None:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=_pdf(tmp_path / "plain.pdf"))
    writer.encrypt("user-pass", "owner-pass")
    encrypted = tmp_path / "encrypted.pdf"
    with encrypted.open("wb") as handle:
        writer.write(handle)
    _refused(tmp_path, encrypted, office[0], "加密")


def test_a_pdf_with_two_signatures_is_refused_on_verification(
    office: tuple[Path, x509.Certificate], tmp_path: Path
) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    once = tmp_path / "once.pdf"
    sign_pdf(_pdf(tmp_path / "f.pdf"), once, office[0], PASSWORD, signer_name="张丽", box=BOX)
    assert verify_pdf(once, [office[1]]).ok
    other = tmp_path / "other.p12"
    keys.create_office_key(other, "other-pass", office_name="另一县医保中心", office_code="330101")
    signer = signers.SimpleSigner.load_pkcs12(other, passphrase=b"other-pass")  # type: ignore[no-untyped-call]
    assert signer is not None
    twice = tmp_path / "twice.pdf"
    with once.open("rb") as source, twice.open("wb") as out:
        signers.PdfSigner(
            signers.PdfSignatureMetadata(field_name="第二签名"),
            signer=signer,
            new_field_spec=fields.SigFieldSpec(sig_field_name="第二签名"),
        ).sign_pdf(IncrementalPdfFileWriter(source), output=out)
    with pytest.raises(ValidationError, match="2"):
        verify_pdf(twice, [office[1]])
    with pytest.raises(ValidationError, match="已签名"):
        sign_pdf(twice, tmp_path / "thrice.pdf", office[0], PASSWORD, signer_name="张丽", box=None)


def test_a_signature_by_another_office_is_not_trusted(
    office: tuple[Path, x509.Certificate], tmp_path: Path
) -> None:
    other = tmp_path / "other.p12"
    keys.create_office_key(other, "other-pass", office_name="另一县医保中心", office_code="330101")
    signed = tmp_path / "signed.pdf"
    sign_pdf(_pdf(tmp_path / "f.pdf"), signed, other, "other-pass", signer_name="李四", box=BOX)
    verdict = verify_pdf(signed, [office[1]])  # this office trusts only itself
    assert verdict.signed and verdict.intact and not verdict.trusted
    assert verdict.office_code == "330101"
    assert any("信任" in problem for problem in verdict.problems)
