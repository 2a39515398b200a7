"""Policy profiles: the bundled files load, match their policy texts, and bad ones are refused.

Each city test names the text and section its numbers come from (seeds/000 … 004).
Refusals are asserted on the error class, `.where` (the file) and `.field` (the path), never
on wording (the interface is translated).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from mibdesk.core.catalog import (
    PLAN_STEP_CODES,
    SCHEMES,
    MonthDay,
    ProfileFieldError,
    Sourced,
    is_default,
    iter_sources,
    list_profiles,
    load_profile,
    parse_profile,
    profile_problems,
    profile_to_json,
)
from mibdesk.core.catalog.schemes import SCHEME_CODES
from mibdesk.core.catalog.values import source_titles
from mibdesk.core.errors import ProfileError
from mibdesk.core.resources import resource_path

PROFILE_IDS = ("generic", "jilin", "jining", "shaoxing", "suzhou")
D = Decimal


def as_data(profile_id: str) -> dict[str, Any]:
    """A bundled profile as plain JSON data, to break in tests."""
    data: dict[str, Any] = json.loads(profile_to_json(load_profile(profile_id)))
    return data


def line_index(data: dict[str, Any], scheme: int, code: str) -> int:
    lines = data["schemes"][scheme]["lines"]
    return next(i for i, line in enumerate(lines) if line["code"] == code)


# ------------------------------------------------------------------ every bundled profile


def test_list_profiles_names_every_bundled_profile() -> None:
    summaries = list_profiles()
    assert tuple(s.id for s in summaries) == PROFILE_IDS
    names = {s.id: s.name for s in summaries}
    assert names["shaoxing"] == "绍兴市" and names["jining"] == "济宁市"
    assert names["suzhou"] == "苏州市" and names["jilin"] == "吉林市"
    assert all(s.version >= 1 for s in summaries)


@pytest.mark.parametrize("profile_id", PROFILE_IDS)
def test_bundled_profile_loads_consistent_and_cached(profile_id: str) -> None:
    profile = load_profile(profile_id)
    assert profile.id == profile_id
    assert profile_problems(profile) == []
    assert load_profile(profile_id) is profile
    assert len(profile.city_code) == 6


@pytest.mark.parametrize("profile_id", PROFILE_IDS)
def test_bundled_file_is_canonical_and_round_trips(profile_id: str) -> None:
    profile = load_profile(profile_id)
    text = resource_path("profiles", f"{profile_id}.json").read_text(encoding="utf-8")
    assert profile_to_json(profile) == text
    assert parse_profile(profile_to_json(profile), where="again.json") == profile


@pytest.mark.parametrize("profile_id", PROFILE_IDS)
def test_every_parameter_has_a_source(profile_id: str) -> None:
    """Every `source` is non-empty and cites a listed document or is a documented default."""
    profile = load_profile(profile_id)
    found = list(iter_sources(profile))
    assert len(found) > 50
    for path, source in found:
        assert source.strip(), path
        assert is_default(source) or source.split(" ", 1)[0] in profile.sources, path
    assert list(_unsourced_values(profile)) == []


_IDENTITY = {"format_version", "id", "name", "version", "city_code", "sources", "code"}


def _unsourced_values(value: Any, path: str = "", sourced: bool = False) -> Iterator[str]:
    """Scalar values that are neither identity nor covered by a source (there must be none)."""
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        covered = sourced or "source" in fields or isinstance(value, Sourced)
        for name in fields:
            child = getattr(value, name)
            child_path = f"{path}.{name}" if path else name
            if isinstance(child, BaseModel | tuple):
                yield from _unsourced_values(child, child_path, covered)
            elif not covered and name not in _IDENTITY and not _is_container(child):
                yield child_path
            elif _is_container(child) and name != "sources":
                for key, item in child.items():
                    yield from _unsourced_values(item, f"{child_path}.{key}", covered)
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _unsourced_values(item, f"{path}[{index}]", sourced)


def _is_container(value: Any) -> bool:
    return hasattr(value, "items")


@pytest.mark.parametrize("profile_id", PROFILE_IDS)
def test_every_pooled_scheme_has_the_monthly_report_lines(profile_id: str) -> None:
    """Totals for enrolment, income and expenditure (参保人数合计, 基金收入合计, 基金支出合计),
    a balance line, income and expenditure lines to enter."""
    profile = load_profile(profile_id)
    for scheme in profile.schemes:
        assert scheme.code in SCHEMES
        for section in ("enrolment", "income", "expenditure"):
            total = scheme.total(section)
            assert total.computed and total.section == section
            assert any(not line.computed for line in scheme.lines_in(section))
        assert scheme.balance_line.code == "BAL_END"
        for line in scheme.lines:
            assert line.unit == ("persons" if line.section == "enrolment" else "fen")
        if scheme.code == "RES":
            township = {line.code for line in scheme.township_lines}
            assert "INC_PERSONAL" in township and "ENR_ADULT" in township


@pytest.mark.parametrize("profile_id", PROFILE_IDS)
def test_timetable_shape_and_holiday_default(profile_id: str) -> None:
    timetable = load_profile(profile_id).timetable
    assert tuple(step.code for step in timetable.plan_steps) == PLAN_STEP_CODES
    assert [step.who for step in timetable.plan_steps] == ["county", "city", "finance", "city"]
    assert timetable.holiday_shift.value == "next"
    assert is_default(timetable.holiday_shift.source)
    assert timetable.monthly_report_due.day == 10 and timetable.monthly_report_due.month_offset == 1


def test_schemes_table_matches_scheme_code_literal() -> None:
    assert tuple(SCHEMES) == SCHEME_CODES == ("EMP", "EMP_PA", "RES", "CI", "LTC", "MA", "SUP")


def test_profiles_are_immutable_and_hashable() -> None:
    profile = load_profile("jining")
    with pytest.raises(PydanticValidationError):
        profile.version = 2
    with pytest.raises(TypeError):
        profile.sources["x"] = "y"  # type: ignore[index]
    assert hash(profile) == hash(parse_profile(profile_to_json(profile), where="x.json"))


def test_scheme_and_line_lookups_refuse_what_is_not_there() -> None:
    profile = load_profile("jining")
    with pytest.raises(ProfileError) as caught:
        profile.scheme("RES")
    assert caught.value.where == "jining"
    with pytest.raises(ProfileError):
        profile.scheme("EMP").line("EXP_NOPE")
    assert profile.scheme("EMP").line("EXP_INPATIENT").name == "住院医疗费用支出"


@pytest.mark.parametrize("profile_id", ["nope", "../generic", "Generic", ""])
def test_load_profile_refuses_unknown_ids(profile_id: str) -> None:
    with pytest.raises(ProfileError):
        load_profile(profile_id)


# ------------------------------------------------------------------ Jining (004)


def test_jining_pools_the_employee_schemes() -> None:
    """004 §三: 职工基本医保统筹基金、个人账户基金、大病保险基金, 长期护理保险; no residents;
    公务员医疗补助 另行制定."""
    assert load_profile("jining").scheme_codes == ("EMP", "EMP_PA", "CI", "LTC")


def test_jining_contribution_rates() -> None:
    """004 §2.1: 机关事业单位 7.4 %, 其他单位 8 %, 个人 2 %, 灵活就业 9 %, 退休 0."""
    emp = load_profile("jining").scheme("EMP")
    rates = {(r.base_line, r.income_line): r.rate for r in emp.contribution_rates}
    assert rates == {
        ("BASE_PAYROLL_PUBLIC", "INC_EMPLOYER"): D("0.074"),
        ("BASE_PAYROLL_ENTERPRISE", "INC_EMPLOYER"): D("0.08"),
        ("BASE_WAGE_PERSONAL", "INC_PERSONAL"): D("0.02"),
        ("BASE_FLEXIBLE", "INC_PERSONAL"): D("0.09"),
    }
    assert all(type(r.rate) is Decimal and r.source == "004 §2.1" for r in emp.contribution_rates)


def test_jining_critical_illness_premium() -> None:
    """004 §2.2: 10 元/人/月 (单位 6 + 个人 4); 灵活就业人员本人 10 元."""
    ci = load_profile("jining").scheme("CI")
    per_head: dict[str, int] = {}
    for premium in ci.premiums:
        assert premium.source == "004 §2.2"
        for line in premium.enrolment_lines:
            per_head[line] = per_head.get(line, 0) + premium.fen_per_head_month
    assert per_head == {
        "ENR_PUBLIC": 1000,
        "ENR_ENTERPRISE": 1000,
        "ENR_RETIRED": 1000,
        "ENR_FLEXIBLE": 1000,
    }
    employer = [p for p in ci.premiums if p.payer == "employer"]
    assert [p.fen_per_head_month for p in employer] == [600]


def test_jining_plan_timetable() -> None:
    """004 §4.4: plan by the 25th, then 3, 5 and 3 working days."""
    timetable = load_profile("jining").timetable
    county, apply, disburse, forward = timetable.plan_steps
    assert (county.rule, county.day, county.month_offset) == ("day_of_month", 25, 0)
    assert [(s.rule, s.after, s.days) for s in (apply, disburse, forward)] == [
        ("working_days_after", "county_plan", 3),
        ("working_days_after", "city_apply", 5),
        ("working_days_after", "finance_disburse", 3),
    ]
    assert {s.source for s in timetable.plan_steps} == {"004 §4.4"}


def test_jining_quota_transfer_and_settlement() -> None:
    """004 §4.3 carry-over; §4.5 30 % by end of January; §4.6 balance first, then a ratio."""
    profile = load_profile("jining")
    assert profile.carry_over == Sourced[bool](value=True, source="004 §4.3")
    transfer = profile.balance_transfer
    assert transfer.method == "fixed_share"
    assert transfer.share is not None and transfer.share.value == D("0.30")
    assert transfer.due is not None and transfer.due.value == MonthDay(month=1)
    assert transfer.schemes is not None and transfer.schemes.value == ("EMP",)
    settlement = profile.settlement
    assert settlement.method == "ratio" and settlement.ratio is not None
    assert settlement.ratio.first_from.value == "county_balance"
    assert is_default(settlement.ratio.city_share.source)  # "具体承担责任另行确定"
    assert profile.remittance.income.value == "monthly"  # 004 §4.2


# ------------------------------------------------------------------ Shaoxing (000)


def test_shaoxing_pools_employee_and_resident_schemes() -> None:
    """000 附件 导语: 职工医保（含生育保险）和居民医保基金统收统支."""
    profile = load_profile("shaoxing")
    assert profile.scheme_codes == ("EMP", "RES")
    assert "EXP_MATERNITY_ALLOWANCE" in {line.code for line in profile.scheme("EMP").lines}


def test_shaoxing_plan_timetable() -> None:
    """000 附件 §2.3: city applies before the 30th, finance by the 10th of next month, the city
    forwards within 2 working days."""
    timetable = load_profile("shaoxing").timetable
    county, apply, disburse, forward = timetable.plan_steps
    assert is_default(county.source)  # the text fixes only the city's deadline
    assert (apply.rule, apply.day, apply.month_offset) == ("day_of_month", 30, 0)
    assert (disburse.rule, disburse.day, disburse.month_offset) == ("day_of_month", 10, 1)
    assert (forward.rule, forward.after, forward.days) == (
        "working_days_after",
        "finance_disburse",
        2,
    )
    assert {apply.source, disburse.source, forward.source} == {"000 附件 §2.3"}


def test_shaoxing_settlement() -> None:
    """000 附件 §4.4 surplus 50/50; §4.5.3 deficit 50/50 then 20/80; §4.6 +5 points below 优秀,
    settled by 31 March; §4.5.2 the county makes up 少收多支 in full."""
    settlement = load_profile("shaoxing").settlement
    assert settlement.method == "shaoxing" and settlement.shaoxing is not None
    rules = settlement.shaoxing
    assert (rules.surplus_pooled_share.value, rules.surplus_county_share.value) == (
        D("0.5"),
        D("0.5"),
    )
    assert (rules.deficit_pooled_share.value, rules.deficit_county_share.value) == (
        D("0.5"),
        D("0.5"),
    )
    assert (rules.overflow_city_share.value, rules.overflow_county_share.value) == (
        D("0.2"),
        D("0.8"),
    )
    assert rules.below_excellent_county_extra.value == D("0.05")
    assert rules.below_excellent_county_extra.source == "000 附件 §4.6"
    assert settlement.settle_by.value == MonthDay(month=3, day=31)
    assert settlement.county_caused_share.value == 1
    assert settlement.suzhou is None and settlement.ratio is None


def test_shaoxing_balance_transfer_and_remittance() -> None:
    """000 附件 §3.4–3.5: 3 months (employee), 1 month (resident), topped up yearly;
    §2.2: interest quarterly, subsidies Q1 by end Feb, Q2/Q3 by end of the first month,
    Q4 by 30 September."""
    profile = load_profile("shaoxing")
    transfer = profile.balance_transfer
    assert transfer.method == "shaoxing_share" and transfer.months is not None
    assert {code: months.value for code, months in transfer.months.items()} == {
        "EMP": D("3"),
        "RES": D("1"),
    }
    assert transfer.yearly_top_up is not None and transfer.yearly_top_up.value is True
    remittance = profile.remittance
    assert remittance.interest == Sourced[str](value="quarterly", source="000 附件 §2.2")
    assert [(d.quarter, d.by.month, d.by.day) for d in remittance.resident_subsidy.value] == [
        (1, 2, None),
        (2, 4, None),
        (3, 7, None),
        (4, 9, 30),
    ]


def test_shaoxing_assisted_groups() -> None:
    """000 §6.2: 贫困人员、重点优抚对象、二级及以上残疾人, entered per township."""
    res = load_profile("shaoxing").scheme("RES")
    assisted = res.line("ENR_ASSISTED").sum_of
    assert "ENR_VETERANS" in assisted and res.line("ENR_DISABLED").name == "二级及以上残疾人"
    assert all(res.line(code).township for code in assisted)


# ------------------------------------------------------------------ Suzhou (003), Jilin (001)


def test_suzhou_settlement_and_reserve_warning() -> None:
    """003 §3.3: the county pays 20 % of its actual employee deficit; warn below 6 months."""
    profile = load_profile("suzhou")
    assert profile.scheme_codes == ("EMP", "RES")
    settlement = profile.settlement
    assert settlement.method == "suzhou" and settlement.suzhou is not None
    assert settlement.suzhou.county_deficit_share.value == D("0.2")
    assert settlement.suzhou.county_deficit_schemes.value == ("EMP",)
    assert settlement.suzhou.county_deficit_share.source == "003 §3.3"
    assert profile.risk.reserve_months_amber == Sourced[Decimal](value=D(6), source="003 §3.3")


def test_jilin_pools_every_scheme_its_plan_names() -> None:
    """001 §1.1 居民医保、居民大病保险、医疗救助; §1.2 职工医保、补充保险; §2.1.4 长期护理."""
    profile = load_profile("jilin")
    assert set(profile.scheme_codes) == {"EMP", "RES", "CI", "MA", "LTC", "SUP"}
    assert "ENR_ORPHAN" in {line.code for line in profile.scheme("MA").lines}  # 001 §3.2
    ratio = profile.settlement.ratio
    assert ratio is not None and ratio.first_from == Sourced[str](
        value="pooled_balance", source="001 §2.3.2"
    )
    assert profile.settlement.county_caused_share.source == "001 §2.3.2"


def test_generic_profile_uses_the_004_contribution_defaults() -> None:
    """domain.md "Contribution rules (004, as a default profile)"."""
    generic, jining = load_profile("generic"), load_profile("jining")
    assert generic.scheme("EMP").contribution_rates == jining.scheme("EMP").contribution_rates
    assert generic.scheme("CI").premiums == jining.scheme("CI").premiums
    assert generic.timetable == jining.timetable
    assert "RES" in generic.scheme_codes
    assert generic.risk.reserve_months_red.value < generic.risk.reserve_months_amber.value


# ------------------------------------------------------------------ properties


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    pooled=st.decimals(min_value=0, max_value=1, places=3),
    city=st.decimals(min_value=0, max_value=D("0.9"), places=2),
    extra=st.decimals(min_value=0, max_value=D("0.1"), places=2),
)
def test_valid_sharing_ratios_round_trip(pooled: Decimal, city: Decimal, extra: Decimal) -> None:
    """Any shares that add up to 1 are accepted and survive the canonical round trip exactly."""
    data = as_data("shaoxing")
    rules = data["settlement"]["shaoxing"]
    rules["deficit_pooled_share"]["value"] = str(pooled)
    rules["deficit_county_share"]["value"] = str(1 - pooled)
    rules["overflow_city_share"]["value"] = str(city)
    rules["overflow_county_share"]["value"] = str(1 - city)
    rules["below_excellent_county_extra"]["value"] = str(extra)
    if max(1 - pooled, 1 - city) + extra > 1:
        with pytest.raises(ProfileFieldError):
            parse_profile(json.dumps(data), where="shares.json")
        return
    profile = parse_profile(json.dumps(data), where="shares.json")
    assert profile.settlement.shaoxing is not None
    assert profile.settlement.shaoxing.deficit_pooled_share.value == pooled
    text = profile_to_json(profile)
    assert parse_profile(text, where="again.json") == profile
    assert profile_to_json(parse_profile(text, where="again.json")) == text


def test_a_citation_names_the_documents_it_cites() -> None:
    titles = {"000": "绍兴市……试点方案", "004": "济宁市……实施办法"}
    assert source_titles("000 附件 §4.5.3", titles) == "000：绍兴市……试点方案"
    both = "004 §4.5；000 附件 §3.4；000 §2.1"
    assert source_titles(both, titles) == "004：济宁市……实施办法\n000：绍兴市……试点方案"
    assert source_titles("mibdesk 默认（文件未规定）", titles) == ""
    assert source_titles("not a citation", titles) == ""
