"""The plan form's signature row names whoever prepared, reviewed and signed the plan off."""

from __future__ import annotations

from pathlib import Path

import pypdf

from mibdesk.core.periods import Month
from mibdesk.core.services import accounts, forms, plan_flow
from mibdesk.core.services.demo import DEMO_HEAD, DEMO_PASSWORD, DEMO_REVIEWER
from mibdesk.core.services.profiles import office_profile
from mibdesk.core.services.store import Store

DECEMBER = Month(2026, 12)


def _text(path: Path) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def test_reviewer_and_head_appear_once_they_have_acted(demo_store: Store, tmp_path: Path) -> None:
    profile = office_profile(demo_store)
    before = _text(forms.plan_pdf(demo_store, profile, "RES", DECEMBER, tmp_path / "a.pdf").path)
    assert "王芳" in before and "刘强" not in before and "张丽" not in before
    reviewer = accounts.login(demo_store, DEMO_REVIEWER, DEMO_PASSWORD).value
    head = accounts.login(demo_store, DEMO_HEAD, DEMO_PASSWORD).value
    plan_flow.review_plan(demo_store, reviewer, profile, "RES", DECEMBER)
    plan_flow.sign_plan(demo_store, head, profile, "RES", DECEMBER)
    after = _text(forms.plan_pdf(demo_store, profile, "RES", DECEMBER, tmp_path / "b.pdf").path)
    assert "刘强" in after and "张丽" in after
