"""The balance-transfer form (基金累计结余上划清单): a real A4 PDF read back with pypdf and
pdftotext; a draft cannot be signed; the issued version is signed by the head and the
signature verifies; a form of a version no longer in force is refused."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from city_kit import NORTH, SOUTH, World

from mibdesk.core.catalog import load_profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.services import forms
from mibdesk.core.services.city import transfer_issue
from mibdesk.core.services.city.transfer_form import sign_transfer, transfer_pdf
from mibdesk.core.services.city.transfers import TransferInputs
from mibdesk.core.services.trust import pdf_trust_roots
from mibdesk.core.signing.verify import verify_pdf

KEY_PASSWORD = "Seal2026key"
YEAR = 2027
YI = 10**10
WAN = 10**6
SHAOXING = TransferInputs(YI // 2, 12 * YI, {NORTH: (6 * YI, None), SOUTH: (4 * YI, None)})


def _text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    run = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, check=True)
    return run.stdout.decode("utf-8")


def test_the_issued_transfer_is_signed_and_verifies(world: World, tmp_path: Path) -> None:
    from pypdf import PdfReader

    store, profile, head = world.city.store, world.profile, world.city.head
    draft = transfer_pdf(store, profile, YEAR, "EMP", tmp_path / "draft.pdf", SHAOXING)
    assert not draft.approved and "草稿" in _text(draft.path)
    forms.create_key(store, head, KEY_PASSWORD, KEY_PASSWORD)
    with pytest.raises(ValidationError, match="下达"):
        sign_transfer(store, head, profile, YEAR, "EMP", draft, tmp_path / "no.pdf", KEY_PASSWORD)

    transfer_issue.issue(
        store, head, profile, YEAR, "EMP", SHAOXING, "绍医保〔2027〕3号", date(2027, 1, 15)
    )
    form = transfer_pdf(store, profile, YEAR, "EMP", tmp_path / "transfer.pdf")
    page = PdfReader(form.path).pages[0]
    assert form.approved and page.mediabox.height > page.mediabox.width  # A4 portrait
    text = _text(form.path)
    assert "2027年职工基本医疗保险" in text and "累计结余上划清单" in text.replace("\n", "")
    assert "医保市划01表" in text
    assert "北城区医疗保障局（330602）" in text and "南湖县医疗保障局（330603）" in text
    assert "600,000,000.00" in text and "150,000,000.00" in text  # 北城区 balance, transfer
    assert "450,000,000.00" in text and "250,000,000.00" in text  # kept, the total
    assert "贰亿伍仟万元整" in text  # the total in 大写
    assert "绍医保〔2027〕3号" in text and "第 1 版" in text
    assert "计算过程" in text and "25.0000%" in text and "000 附件 §3.4" in text
    signed = sign_transfer(
        store, head, profile, YEAR, "EMP", form, tmp_path / "signed.pdf", KEY_PASSWORD
    )
    verdict = verify_pdf(signed.value, pdf_trust_roots(store))
    assert verdict.signed and verdict.intact and verdict.trusted, verdict.problems
    assert verdict.signer == "绍兴市医疗保障事务中心" and verdict.office_code == "330600"
    kept = transfer_issue.issued(store, YEAR, "EMP")
    assert kept is not None and kept.pdf_fingerprint == form.fingerprint

    # a new version: the form of version 1 is no longer signed
    transfer_issue.issue(
        store,
        head,
        profile,
        YEAR,
        "EMP",
        SHAOXING,
        "绍医保〔2027〕5号",
        date(2027, 1, 20),
        replaces=1,
        reason="文号更正",
    )
    with pytest.raises(ValidationError, match="第 2 版"):
        sign_transfer(store, head, profile, YEAR, "EMP", form, tmp_path / "old.pdf", KEY_PASSWORD)
    assert not (tmp_path / "old.pdf").exists()
    newer = _text(transfer_pdf(store, profile, YEAR, "EMP", tmp_path / "v2.pdf").path)
    assert "第 2 版" in newer and "文号更正" in newer


def test_jining_form_shows_what_follows_at_maturity(world: World, tmp_path: Path) -> None:
    """004 §4.5: 南湖县 has 1,000万 in demand deposits of the 6,000万 due."""
    jining = load_profile("jining")
    inputs = TransferInputs(balances={NORTH: (YI, None), SOUTH: (2 * YI, 1_000 * WAN)})
    store, head = world.city.store, world.city.head
    transfer_issue.issue(
        store, head, jining, YEAR, "EMP", inputs, "济医保〔2027〕1号", date(2027, 1, 10)
    )
    form = transfer_pdf(store, jining, YEAR, "EMP", tmp_path / "jining.pdf")
    text = _text(form.path).replace("\n", "")
    assert "定期到期后补足" in text and "暂存县区（冻结）" in text
    assert "50,000,000.00" in text and "140,000,000.00" in text  # deferred, kept frozen
    assert "004 §4.5" in text
