"""Checks of one month's figures (issue #3): worked numbers traced to their sources.

Each test's docstring names the rule's source: domain.md sections, the policy texts in
/work/shared/seeds (004 Jining, 000 Shaoxing) or the accounting identity of the social-insurance
fund accounting system (社会保险基金会计制度: 期末结余 = 期初结余 + 本期收入 − 本期支出).
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mibdesk.core.catalog import SchemeProfile, load_profile
from mibdesk.core.i18n import set_language
from mibdesk.core.monthly import COUNTY, Cell, Problem, county_totals, with_computed
from mibdesk.core.periods import Month
from mibdesk.core.rules.figure_checks import ACCOUNTING, MonthInput, check_month

SHAOXING = load_profile("shaoxing")
JINING = load_profile("jining")
TOWNSHIPS = ("330602001", "330602002")
MARCH = Month(2026, 3)

OPENING = 12_345_678_901  # 123,456,789.01 yuan at the end of February 2026
EMP_FLOWS = {
    "ENR_PUBLIC": 12_345,
    "ENR_ENTERPRISE": 56_789,
    "ENR_FLEXIBLE": 8_000,
    "ENR_RETIRED": 30_000,
    "BASE_PAYROLL_PUBLIC": 1_500_000_000_00,
    "BASE_PAYROLL_ENTERPRISE": 3_000_000_000_00,
    "BASE_WAGE_PERSONAL": 4_000_000_000_00,
    "BASE_FLEXIBLE": 100_000_000_00,
    "INC_EMPLOYER": 30_000_000_00,
    "INC_PERSONAL": 8_000_000_00,
    "INC_SUBSIDY": 0,
    "INC_INTEREST": 0,
    "INC_TRANSFER_IN": 120_000_00,
    "INC_GRANT": 0,
    "INC_OTHER": 3_456_78,  # income total 38,123,456.78
    "EXP_INPATIENT": 21_000_000_00,
    "EXP_OUTPATIENT": 6_500_000_00,
    "EXP_CHRONIC": 2_400_000_00,
    "EXP_MATERNITY_MED": 800_000_00,
    "EXP_MATERNITY_ALLOWANCE": 1_200_000_00,
    "EXP_REMOTE": 1_500_000_00,
    "EXP_PERSONAL_ACCOUNT": 3_000_000_00,
    "EXP_TRANSFER_OUT": 50_000_00,
    "EXP_REMIT_UP": 0,
    "EXP_OTHER": 1_234_56,  # expenditure total 36,451,234.56
}
CLOSING = 12_512_901_123  # 123,456,789.01 + 38,123,456.78 − 36,451,234.56 = 125,129,011.23


def cells(scheme: SchemeProfile, totals: Mapping[str, int]) -> dict[Cell, int]:
    """Cells for county totals: township lines split between two townships."""
    township = {line.code for line in scheme.township_lines}
    out: dict[Cell, int] = {}
    for code, value in totals.items():
        if code in township:
            out[Cell(code, TOWNSHIPS[0])] = value // 2
            out[Cell(code, TOWNSHIPS[1])] = value - value // 2
        else:
            out[Cell(code)] = value
    return out


def balanced(scheme: SchemeProfile, flows: Mapping[str, int], opening: int) -> dict[Cell, int]:
    """`flows` plus a closing balance that satisfies the identity."""
    figures = with_computed(scheme, flows)
    closing = opening + figures["INC_TOTAL"] - figures["EXP_TOTAL"]
    return cells(scheme, {**flows, scheme.balance_line.code: closing})


def emp_month(
    values: Mapping[Cell, int] | None = None,
    *,
    history: Mapping[Month, Mapping[str, int]] | None = None,
    provided_totals: Mapping[str, int] | None = None,
) -> MonthInput:
    """Shaoxing employee scheme, March 2026; by default January and February reported."""
    scheme = SHAOXING.scheme("EMP")
    if history is None:
        history = {Month(2026, 1): {"BAL_END": 1_000_00}, Month(2026, 2): {"BAL_END": OPENING}}
    if values is None:
        values = balanced(scheme, EMP_FLOWS, OPENING)
    return MonthInput(scheme, MARCH, values, history, provided_totals or {})


def only(problems: list[Problem], rule: str) -> Problem:
    found = [p for p in problems if p.rule == rule]
    assert len(found) == 1, problems
    return found[0]


def test_a_clean_shaoxing_employee_month_has_no_problems() -> None:
    """Every input line filled, the balance identity holding (社会保险基金会计制度):
    123,456,789.01 + 38,123,456.78 − 36,451,234.56 = 125,129,011.23. Shaoxing has no
    contribution rates (000 gives none), so no collection check."""
    data = emp_month()
    assert data.values[Cell("BAL_END")] == CLOSING
    assert check_month(data, SHAOXING) == []


def test_an_untouched_month_has_no_problems() -> None:
    """Nobody has started the month: nothing is blank yet (domain.md: blank ≠ 0 once entering)."""
    assert check_month(emp_month({}), SHAOXING) == []


def test_a_negative_head_count_names_the_township() -> None:
    """Enrolment is a number of persons (domain.md "Monthly figures"): never negative. Township
    330602002 typed −5 adults in the resident scheme (000 §4.1)."""
    scheme = SHAOXING.scheme("RES")
    flows = {line.code: 1_000 for line in scheme.lines if not line.computed}
    values = balanced(scheme, flows, 0) | {Cell("ENR_ADULT", "330602002"): -5}
    problems = check_month(MonthInput(scheme, MARCH, values, {}), SHAOXING)
    problem = only(problems, "negative_count")
    assert (problem.severity, problem.line, problem.unit) == ("hard", "ENR_ADULT", "330602002")
    assert "330602002" in problem.message and "-5 人" in problem.message
    assert "成年居民" in problem.message and "2026年3月" in problem.message


def test_a_negative_county_head_count() -> None:
    """−3 retirees entered by the county itself: the message names no township."""
    values = {**emp_month().values, Cell("ENR_RETIRED"): -3}
    problem = only(check_month(emp_month(values), SHAOXING), "negative_count")
    assert (problem.severity, problem.line, problem.unit) == ("hard", "ENR_RETIRED", COUNTY)
    assert "退休人员" in problem.message and "-3 人" in problem.message
    assert "乡镇" not in problem.message


def test_a_blank_line_is_not_zero() -> None:
    """上级补助收入 left blank: the preparer must type 0 (domain.md: blank ≠ 0)."""
    values = dict(emp_month().values)
    del values[Cell("INC_GRANT")]
    problems = check_month(emp_month(values), SHAOXING)
    assert [(p.severity, p.rule, p.line, p.unit) for p in problems] == [
        ("hard", "blank_line", "INC_GRANT", COUNTY)
    ]
    assert "上级补助收入" in problems[0].message and "0" in problems[0].message


def test_a_township_line_counts_as_filled_when_townships_report_it() -> None:
    """Resident adults are entered by townships only (000 §4.1): not blank for the county."""
    scheme = SHAOXING.scheme("RES")
    flows = {line.code: 100 for line in scheme.lines if not line.computed}
    values = balanced(scheme, flows, 0)
    assert Cell("ENR_ADULT") not in values
    assert [p.rule for p in check_month(MonthInput(scheme, MARCH, values, {}), SHAOXING)] == []


def test_a_provided_total_that_is_not_the_sum_of_its_parts() -> None:
    """A workbook's 基金收入合计 says 38,123,457.78 but its lines add up to 38,123,456.78
    (社会保险基金会计制度: a total is the sum of its lines). The right 待遇支出小计 passes."""
    provided = {"INC_TOTAL": 3_812_345_778, "EXP_BENEFITS": 3_640_000_000}
    problems = check_month(emp_month(provided_totals=provided), SHAOXING)
    problem = only(problems, "subtotal_mismatch")
    assert (problem.severity, problem.line, problem.unit) == ("hard", "INC_TOTAL", COUNTY)
    for figure in ("38,123,457.78", "38,123,456.78", "1.00 元", "基金收入合计"):
        assert figure in problem.message
    assert problem.source == ACCOUNTING


def test_a_township_sum_that_differs_from_the_county_figure() -> None:
    """The county's sheet gives 2,001 adults; its townships' rows add up to 2,000."""
    scheme = SHAOXING.scheme("RES")
    flows = {line.code: 2_000 for line in scheme.lines if not line.computed}
    data = MonthInput(scheme, MARCH, balanced(scheme, flows, 0), {}, {"ENR_ADULT": 2_001})
    problem = only(check_month(data, SHAOXING), "subtotal_mismatch")
    assert problem.line == "ENR_ADULT"
    assert "2,001 人" in problem.message and "2,000 人" in problem.message


def test_a_provided_total_for_an_unknown_line_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="NO_SUCH_LINE"):
        check_month(emp_month(provided_totals={"NO_SUCH_LINE": 1}), SHAOXING)


def test_the_balance_identity() -> None:
    """社会保险基金会计制度: closing = opening + income − expenditure. 123,456,789.01 +
    38,123,456.78 − 36,451,234.56 = 125,129,011.23, but 125,129,111.23 was entered: gap 100.00."""
    values = {**emp_month().values, Cell("BAL_END"): CLOSING + 100_00}
    problem = only(check_month(emp_month(values), SHAOXING), "balance_identity")
    assert (problem.severity, problem.line, problem.unit) == ("hard", "BAL_END", COUNTY)
    for figure in (
        "2026年2月",
        "123,456,789.01",
        "38,123,456.78",
        "36,451,234.56",
        "125,129,011.23",
        "125,129,111.23",
        "相差 100.00 元",
    ):
        assert figure in problem.message
    assert problem.source == ACCOUNTING


def test_january_opens_with_decembers_balance() -> None:
    """January's opening balance is December's closing balance of the year before."""
    january = Month(2026, 1)
    history = {Month(2025, 11): {"BAL_END": 1}, Month(2025, 12): {"BAL_END": OPENING}}
    scheme = SHAOXING.scheme("EMP")
    clean = MonthInput(scheme, january, balanced(scheme, EMP_FLOWS, OPENING), history)
    assert check_month(clean, SHAOXING) == []
    values = {**clean.values, Cell("BAL_END"): CLOSING - 1}
    problem = only(
        check_month(MonthInput(scheme, january, values, history), SHAOXING), "balance_identity"
    )
    assert "2025年12月末累计结余 123,456,789.01 元" in problem.message
    assert "相差 -0.01 元" in problem.message


def test_the_first_month_in_mibdesk_has_no_opening_balance_to_check() -> None:
    """No earlier month at all (months after this one do not count): the identity is skipped."""
    values = {**emp_month().values, Cell("BAL_END"): 7}
    assert check_month(emp_month(values, history={}), SHAOXING) == []
    later = {Month(2026, 6): {"BAL_END": 1}}
    assert check_month(emp_month(values, history=later), SHAOXING) == []


def test_year_to_date_gaps_are_named() -> None:
    """Year-to-date figures add up every month of the year (domain.md "Annual budget and
    quota": spent to date): February and April 2026 are missing before May 2026. Without
    April the opening balance is unknown, so the identity is not checked."""
    scheme = SHAOXING.scheme("EMP")
    history = {
        Month(2025, 12): {"BAL_END": 1},
        Month(2026, 1): {"BAL_END": 2},
        Month(2026, 3): {"BAL_END": 3},
    }
    data = MonthInput(scheme, Month(2026, 5), balanced(scheme, EMP_FLOWS, 99), history)
    problems = check_month(data, SHAOXING)
    assert [p.rule for p in problems] == ["ytd_gap"]
    assert (problems[0].severity, problems[0].line, problems[0].unit) == ("hard", "", COUNTY)
    assert "2026年2月、2026年4月" in problems[0].message
    assert "2026年5月" in problems[0].message


def test_a_missing_december_is_a_gap_for_january() -> None:
    """November 2025 was reported but December was not: January's opening is unknown."""
    scheme = SHAOXING.scheme("EMP")
    data = MonthInput(
        scheme, Month(2026, 1), balanced(scheme, EMP_FLOWS, 0), {Month(2025, 11): {"BAL_END": 5}}
    )
    problem = only(check_month(data, SHAOXING), "ytd_gap")
    assert "2025年12月" in problem.message


def test_months_before_the_office_started_are_not_gaps() -> None:
    """An office that started with March 2026: January and February are not gaps."""
    history = {Month(2026, 3): {"BAL_END": 5}, Month(2026, 4): {"BAL_END": OPENING}}
    scheme = SHAOXING.scheme("EMP")
    data = MonthInput(scheme, Month(2026, 5), balanced(scheme, EMP_FLOWS, OPENING), history)
    assert check_month(data, SHAOXING) == []


def inpatient_history() -> dict[Month, dict[str, int]]:
    """Inpatient spending 15,000,000.00 yuan × season × 1.06 a year, 2023–2025, no noise
    (January 1.300, February 0.700, December 1.250: domain.md "Orders of magnitude")."""
    season = {1: 1300, 2: 700, 3: 950, 4: 980, 5: 1000, 6: 990, 7: 1010, 8: 1000}
    season |= {9: 980, 10: 990, 11: 1020, 12: 1250}
    history: dict[Month, dict[str, int]] = {}
    for year in (2023, 2024, 2025):
        for month in range(1, 13):
            value = 1_500_000 * season[month] * 106 ** (year - 2023) // 100 ** (year - 2023)
            history[Month(year, month)] = {"EXP_INPATIENT": value, "BAL_END": OPENING}
    return history


def test_an_outlier_is_explained_with_its_working() -> None:
    """January 2026 expected = January 2025 21,910,200.00 × (Σ 2025 ÷ Σ 2024 = 1.06) =
    23,224,812.00; 34,837,218.00 entered is +50.0 %. The ordinary January passes."""
    history = inpatient_history()
    assert history[Month(2025, 1)]["EXP_INPATIENT"] == 2_191_020_000
    scheme, january = SHAOXING.scheme("EMP"), Month(2026, 1)
    flows = EMP_FLOWS | {"INC_EMPLOYER": 50_000_000_00}  # January income covers the peak
    ordinary = balanced(scheme, flows | {"EXP_INPATIENT": 2_322_481_200}, OPENING)
    assert check_month(MonthInput(scheme, january, ordinary, history), SHAOXING) == []
    spike = balanced(scheme, flows | {"EXP_INPATIENT": 3_483_721_800}, OPENING)
    problems = check_month(MonthInput(scheme, january, spike, history), SHAOXING)
    problem = only(problems, "outlier")
    assert (problem.severity, problem.line, problem.unit) == ("soft", "EXP_INPATIENT", COUNTY)
    assert problem.message.startswith("2026年1月住院医疗费用支出 34,837,218.00 元")
    assert "按上年同月×增长趋势预计约 23,224,812.00 元" in problem.message
    assert "偏离 +50.0%" in problem.message and "±1.0%" in problem.message
    assert problem.source.startswith("mibdesk 默认（")


def jining(scheme_code: str, flows: Mapping[str, int]) -> list[Problem]:
    scheme = JINING.scheme(scheme_code)
    full = {
        line.code: 0 for line in scheme.lines if not line.computed and line.section != "balance"
    }
    values = balanced(scheme, full | dict(flows), 500_000_000_00)
    return check_month(MonthInput(scheme, MARCH, values, {}), JINING)


JINING_BASES = {
    "BASE_PAYROLL_PUBLIC": 1_234_567_890,  # × 7.4 % = 91,358.0238… → 913,580.24 yuan
    "BASE_PAYROLL_ENTERPRISE": 2_500_000_000,  # × 8 % = 2,000,000.00
    "BASE_WAGE_PERSONAL": 4_000_000_000,  # × 2 % = 800,000.00
    "BASE_FLEXIBLE": 222_222_222,  # × 9 % = 199,999.9998 → 200,000.00
}


def test_jining_collection_rate_below_the_target() -> None:
    """004 §2.1: employers pay 7.4 % (机关事业单位) or 8 % of payroll. Due on 单位缴费收入:
    913,580.24 + 2,000,000.00 = 2,913,580.24; 2,700,000.00 collected = 92.66 % < 95 %
    (Jining's target is a mibdesk default: the text sets none)."""
    problems = jining(
        "EMP", JINING_BASES | {"INC_EMPLOYER": 270_000_000, "INC_PERSONAL": 100_000_000}
    )
    problem = only(problems, "collection_rate")
    assert (problem.severity, problem.line, problem.unit) == ("soft", "INC_EMPLOYER", COUNTY)
    for figure in (
        "2,700,000.00",
        "2,913,580.24",
        "92.66%",
        "95%",
        "× 7.4%",
        "× 8%",
        "12,345,678.90",
    ):
        assert figure in problem.message
    assert problem.source.startswith("004 §2.1；mibdesk 默认（")
    assert JINING.risk.collection_rate_target.source in problem.source


def test_jining_collection_rate_at_and_just_below_the_target() -> None:
    """004 §2.1: employees 2 % of wages, flexible workers 9 % of their base: due on 个人缴费收入
    800,000.00 + 200,000.00 = 1,000,000.00. 950,000.00 is exactly 95 %: no warning;
    949,999.99 is 94.99 %: a warning (the rate is shown rounded down, never as 95 %)."""
    employer = {"INC_EMPLOYER": 291_358_024}
    at_target = jining("EMP", JINING_BASES | employer | {"INC_PERSONAL": 95_000_000})
    assert [p.rule for p in at_target] == []
    below = jining("EMP", JINING_BASES | employer | {"INC_PERSONAL": 94_999_999})
    problem = only(below, "collection_rate")
    assert problem.line == "INC_PERSONAL"
    assert "94.99%" in problem.message and "1,000,000.00" in problem.message
    assert "× 9%" in problem.message and "× 2%" in problem.message


CI_HEADS = {"ENR_PUBLIC": 1_000, "ENR_ENTERPRISE": 3_000, "ENR_FLEXIBLE": 500, "ENR_RETIRED": 2_000}
CI_SPENT = {"EXP_CI_CITY": 4_000_000}


def test_jining_premium_collection_with_the_flexible_workers_ten_yuan() -> None:
    """004 §2.2: 10 yuan per head per month, employer 6 + employee 4; flexible workers pay 10.
    Due on 个人缴纳大病保险费: 6,000 × 4.00 + 500 × 10.00 = 29,000.00. 27,000.00 = 93.10 %;
    per head 27,000.00 ÷ 6,500 = 4.15 against a weighted standard of 4.46: −6.9 % (> 5 %)."""
    ok = jining("CI", CI_HEADS | CI_SPENT | {"INC_EMPLOYER": 3_600_000, "INC_PERSONAL": 2_900_000})
    assert ok == []
    low = jining("CI", CI_HEADS | CI_SPENT | {"INC_EMPLOYER": 3_600_000, "INC_PERSONAL": 2_700_000})
    rate = only(low, "collection_rate")
    assert rate.line == "INC_PERSONAL"
    for figure in ("27,000.00", "29,000.00", "93.10%", "6,000 人", "500 人", "10.00 元", "4.00 元"):
        assert figure in rate.message
    assert rate.source.startswith("004 §2.2；")
    per_head = only(low, "per_head")
    assert (per_head.severity, per_head.line) == ("soft", "INC_PERSONAL")
    for figure in ("6,500 人", "4.15 元", "4.46 元", "-6.9%", "±5.0%"):
        assert figure in per_head.message


def test_per_head_contribution_off_the_standard() -> None:
    """004 §2.2: employers pay 6 yuan per head per month. 39,000.00 for 6,000 heads is 6.50:
    +8.3 % (over the 5 % tolerance, a mibdesk default); 34,800.00 is 5.80: −3.3 %, within it."""
    high = jining(
        "CI", CI_HEADS | CI_SPENT | {"INC_EMPLOYER": 3_900_000, "INC_PERSONAL": 2_900_000}
    )
    problem = only(high, "per_head")
    assert (problem.severity, problem.line, problem.unit) == ("soft", "INC_EMPLOYER", COUNTY)
    for figure in ("39,000.00", "6,000 人", "6.50 元", "6.00 元", "+8.3%"):
        assert figure in problem.message
    assert [p.rule for p in high] == ["per_head"]  # collected 108 %: no collection warning
    assert problem.source.startswith("004 §2.2；mibdesk 默认（")
    near = jining(
        "CI", CI_HEADS | CI_SPENT | {"INC_EMPLOYER": 3_480_000, "INC_PERSONAL": 2_900_000}
    )
    assert near == []


def test_a_negative_current_balance() -> None:
    """domain.md "Risk indicators": 当期结余 = income − spending, negative → warning.
    38,123,456.78 − 45,451,234.56 = −7,327,777.78 (inpatient 30,000,000.00)."""
    scheme = SHAOXING.scheme("EMP")
    values = balanced(scheme, EMP_FLOWS | {"EXP_INPATIENT": 30_000_000_00}, OPENING)
    problems = check_month(emp_month(values), SHAOXING)
    assert [(p.severity, p.rule, p.line) for p in problems] == [
        ("soft", "current_balance", "BAL_END")
    ]
    for figure in ("38,123,456.78", "45,451,234.56", "-7,327,777.78"):
        assert figure in problems[0].message


def test_a_negative_closing_balance() -> None:
    """Opening 1,000,000.00 − 7,327,777.78 this month = closing −6,327,777.78: the
    accumulated balance is used up (both balance warnings, in rule order)."""
    scheme = SHAOXING.scheme("EMP")
    history = {Month(2026, 1): {"BAL_END": 1}, Month(2026, 2): {"BAL_END": 100_000_000}}
    values = balanced(scheme, EMP_FLOWS | {"EXP_INPATIENT": 30_000_000_00}, 100_000_000)
    problems = check_month(emp_month(values, history=history), SHAOXING)
    assert [p.rule for p in problems] == ["current_balance", "negative_balance"]
    assert "-6,327,777.78" in problems[1].message and "期末累计结余" in problems[1].message


def test_hard_problems_come_first_then_report_line_order() -> None:
    """Month-wide problems first, then lines in print order; soft ones after all hard ones."""
    scheme = SHAOXING.scheme("EMP")
    values = balanced(scheme, EMP_FLOWS | {"EXP_INPATIENT": 30_000_000_00}, OPENING)
    del values[Cell("INC_GRANT")]
    values |= {Cell("ENR_RETIRED"): -3, Cell("BAL_END"): 1}
    history = {Month(2025, 12): {"BAL_END": 1}, Month(2026, 2): {"BAL_END": OPENING}}
    problems = check_month(emp_month(values, history=history), SHAOXING)
    assert [(p.severity, p.rule, p.line) for p in problems] == [
        ("hard", "ytd_gap", ""),
        ("hard", "negative_count", "ENR_RETIRED"),
        ("hard", "blank_line", "INC_GRANT"),
        ("hard", "balance_identity", "BAL_END"),
        ("soft", "current_balance", "BAL_END"),
    ]


def test_messages_in_english() -> None:
    """The catalog's msgids are English; the figures are the same."""
    set_language("en")
    values = {**emp_month().values, Cell("BAL_END"): CLOSING + 100_00}
    problem = only(check_month(emp_month(values), SHAOXING), "balance_identity")
    assert "gap 100.00 yuan" in problem.message and "2026年2月" in problem.message


SCHEMES = [
    SHAOXING.scheme("EMP"),
    SHAOXING.scheme("RES"),
    JINING.scheme("EMP"),
    JINING.scheme("CI"),
]


@st.composite
def clean_months(draw: st.DrawFn) -> MonthInput:
    """A random month with every input line filled, no negative count, consistent totals and
    a closing balance that satisfies the identity, after 0–15 contiguous earlier months."""
    scheme = draw(st.sampled_from(SCHEMES))
    month = Month(2026, draw(st.integers(1, 12)))
    flows = {
        line.code: draw(st.integers(0, 10**6 if line.unit == "persons" else 10**11))
        for line in scheme.lines
        if not line.computed and line.section != "balance"
    }
    opening = draw(st.integers(-(10**11), 10**12))
    months = draw(st.integers(0, 15))
    history: dict[Month, Mapping[str, int]] = {}
    for back in range(months, 0, -1):
        past = {code: draw(st.integers(0, 10**11)) for code in flows}
        history[month.plus(-back)] = past | {scheme.balance_line.code: opening}
    values = balanced(scheme, flows, opening)
    computed = with_computed(scheme, county_totals(scheme, values))
    provided = {c: v for c, v in computed.items() if draw(st.booleans())}
    return MonthInput(scheme, month, values, history, provided)


@settings(max_examples=60, deadline=None)
@given(clean_months())
def test_clean_months_have_no_hard_problems_and_checks_are_deterministic(data: MonthInput) -> None:
    """Consistent figures (社会保险基金会计制度 identity, totals = sums) never block submission;
    the same figures in any order give the same problems."""
    profile = SHAOXING if data.scheme in SHAOXING.schemes else JINING
    problems = check_month(data, profile)
    assert [p for p in problems if p.severity == "hard"] == []
    shuffled = MonthInput(
        data.scheme,
        data.month,
        dict(reversed(list(data.values.items()))),
        dict(reversed(list(data.history.items()))),
        dict(reversed(list(data.provided_totals.items()))),
    )
    assert check_month(shuffled, profile) == problems
