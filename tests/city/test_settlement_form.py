"""The settlement form (年度清算表): a real A4 landscape PDF read back with pypdf and
pdftotext, signed by the head once the year is final, the signature verified."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from city_kit import NORTH, World
from settlement_kit import TYPED, YEAR, send_year

from mibdesk.core.errors import ValidationError
from mibdesk.core.services import forms
from mibdesk.core.services.city.settlement import save
from mibdesk.core.services.city.settlement_form import settlement_pdf, sign_settlement
from mibdesk.core.services.city.settlement_run import finalise
from mibdesk.core.services.trust import pdf_trust_roots
from mibdesk.core.signing.verify import verify_pdf

KEY_PASSWORD = "Seal2026key"


def _text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    run = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, check=True)
    return run.stdout.decode("utf-8")


def test_the_settlement_form_is_signed_once_final(world: World, tmp_path: Path) -> None:
    from pypdf import PdfReader

    send_year(world)
    store, profile, head = world.city.store, world.profile, world.city.head
    save(store, head, profile, YEAR, TYPED)
    draft = settlement_pdf(store, profile, YEAR, tmp_path / "draft.pdf")
    assert not draft.approved
    forms.create_key(store, head, KEY_PASSWORD, KEY_PASSWORD)
    with pytest.raises(ValidationError, match="定稿"):
        sign_settlement(store, head, YEAR, draft, tmp_path / "no.pdf", KEY_PASSWORD)

    finalise(store, head, profile, YEAR)
    form = settlement_pdf(store, profile, YEAR, tmp_path / "settlement.pdf")
    page = PdfReader(form.path).pages[0]
    assert form.approved and page.mediabox.width > page.mediabox.height  # landscape A4
    text = _text(form.path)
    assert "2025年度医疗保障基金清算表" in text and "医保市清01表" in text
    assert "北城区医疗保障局" in text and "（330602）" in text and "缺口分担" in text
    assert "1,212,000.00" in text and "1,340,000.00" in text  # 北城区 EMP income, spending
    assert "1,035,000.00" in text  # EMP pooled fund after settlement
    assert "计算过程" in text and "000 附件 §4.5.3" in text
    signed = sign_settlement(store, head, YEAR, form, tmp_path / "signed.pdf", KEY_PASSWORD)
    verdict = verify_pdf(signed.value, pdf_trust_roots(store))
    assert verdict.signed and verdict.intact and verdict.trusted, verdict.problems
    assert verdict.signer == "绍兴市医疗保障事务中心" and verdict.office_code == "330600"
    assert NORTH in _text(signed.value)


def test_an_english_session_still_writes_a_chinese_form(world: World, tmp_path: Path) -> None:
    """The working-step labels come from the rules in the interface language; the form is an
    official document and is Chinese whatever the interface language."""
    from mibdesk.core.i18n import _, current_language, set_language
    from mibdesk.core.services.city.settlement_run import compute

    send_year(world)
    store, profile, head = world.city.store, world.profile, world.city.head
    save(store, head, profile, YEAR, TYPED)
    set_language("en")
    labels = {s.label for s in compute(store, profile, YEAR).result.scheme("EMP").working}
    assert "Pooled fund before settlement" in labels  # the screen speaks English
    form = settlement_pdf(store, profile, YEAR, tmp_path / "english-session.pdf")
    assert current_language() == "en" and _("Save") == "Save"  # the session stays English
    text = _text(form.path).replace("\n", "")
    assert "清算前归集基金" in text and "动用县区基金累计结余" in text
    assert "Pooled fund" not in text and "accumulated balance" not in text
