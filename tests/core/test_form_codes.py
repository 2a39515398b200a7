"""The 表号 on the official forms comes from the policy profile: a city that numbers its
forms says so in its profile; without that, mibdesk's own numbering is printed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
from form_samples import Demo, cover, monthly, open_demo, plan

from mibdesk.core.catalog import (
    ProfileFieldError,
    list_profiles,
    load_profile,
    parse_profile,
    profile_to_json,
)
from mibdesk.core.catalog.profile import FormCodes
from mibdesk.core.services import forms

CITY_CODES = {
    "monthly_report": "绍医保月报1表",
    "fund_plan": "绍医保计划2表",
    "execution": "绍医保执行3表",
    "cover": "绍医保报送4表",
    "source": "000 §3",  # a city cites where it numbers its forms
}


def with_codes(codes: dict[str, Any]) -> str:
    """The Shaoxing profile as JSON text, with `form_codes` set to `codes`."""
    data = json.loads(profile_to_json(load_profile("shaoxing")))
    data["form_codes"] = codes
    return json.dumps(data, ensure_ascii=False)


@pytest.fixture(scope="module")
def office(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    yield from open_demo(demo_template, tmp_path_factory.mktemp("codes") / "demo")


def test_without_codes_in_the_profile_mibdesk_numbering_is_printed(office: Demo) -> None:
    for summary in list_profiles():
        profile = load_profile(summary.id)
        assert profile.form_codes == FormCodes()
        assert "form_codes" not in profile_to_json(profile)  # the files stay as they were
    assert monthly(office).form_code == "医保月01表"
    assert plan(office).form_code == "医保计01表"
    assert cover(office).form_code == "医保报01表"


def test_the_city_s_codes_are_printed_on_every_county_form(office: Demo, tmp_path: Path) -> None:
    profile = parse_profile(with_codes(CITY_CODES), where="shaoxing.json")
    assert profile.form_codes.source == CITY_CODES["source"]
    assert "form_codes" in profile_to_json(profile)  # a city update carries them on
    city = Demo(office.store, profile, office.office)
    assert monthly(city).form_code == "绍医保月报1表"
    assert plan(city).form_code == "绍医保计划2表"
    assert cover(city).form_code == "绍医保报送4表"

    # the real form, through the service a screen calls
    target = tmp_path / "execution.pdf"
    forms.execution_pdf(office.store, profile, 2026, target)
    first = pypdf.PdfReader(target).pages[0].extract_text()
    assert "表号 绍医保执行3表" in first and "医保执01表" not in first


def test_a_city_may_number_only_some_forms() -> None:
    profile = parse_profile(with_codes({"fund_plan": "计2"}), where="shaoxing.json")
    assert profile.form_codes.fund_plan == "计2"
    assert profile.form_codes.monthly_report == "医保月01表"


@pytest.mark.parametrize("bad", ["", "   ", "表" * 21])
def test_an_empty_or_overlong_code_refuses_the_profile(bad: str) -> None:
    with pytest.raises(ProfileFieldError) as refused:
        parse_profile(with_codes({**CITY_CODES, "cover": bad}), where="shaoxing.json")
    assert (refused.value.where, refused.value.field) == ("shaoxing.json", "form_codes.cover")


def test_an_unknown_form_is_refused() -> None:
    with pytest.raises(ProfileFieldError) as refused:
        parse_profile(with_codes({"quarterly": "季1表"}), where="shaoxing.json")
    assert refused.value.field.startswith("form_codes")
