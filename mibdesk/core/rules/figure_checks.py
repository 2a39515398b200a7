"""Checks of one month's figures (月报校验, issue #3): a pure function of the figures, their
history and the city's profile (architecture rule 3).

Every `Problem` says what (the figures), where (line, township, month), why, and its source:
a policy citation, "社会保险基金会计制度", a profile parameter's `.source`, or a documented
default "mibdesk 默认（…）". Hard problems block submission; soft ones need an explanation.

Hard: `negative_count`, `blank_line`, `subtotal_mismatch`, `balance_identity`, `ytd_gap`.
Soft: `outlier` (see `rules.outliers`), `collection_rate`, `per_head`, `current_balance`,
`negative_balance`. A month with no figure at all has no problems (nobody has started it).
Decisions and parameters: docs/decisions.md, "Monthly figure checks".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from mibdesk.core.catalog.profile import Line, Premium, Profile, SchemeProfile
from mibdesk.core.i18n import _
from mibdesk.core.money import apply_rate, format_count
from mibdesk.core.monthly import COUNTY, Cell, Problem, county_totals, with_computed
from mibdesk.core.periods import Month
from mibdesk.core.rules.outliers import DEFAULT_PARAMS, check_outlier, round_half_up
from mibdesk.core.rules.working import join_sources, percent_below, yuan

ACCOUNTING = "社会保险基金会计制度"
NEGATIVE_COUNT_SOURCE = "mibdesk 默认（参保人数是实有人数，不能为负）"
BLANK_SOURCE = "mibdesk 默认（空白不等于0：本月无发生额的须填0，以免漏报）"
OUTLIER_SOURCE = "mibdesk 默认（按上年同月×趋势预计，偏离超过历史正常波动3.5倍且超过20%时提示）"
PER_HEAD_SOURCE = "mibdesk 默认（人均缴费偏离缴费标准超过5%时提示）"
CURRENT_BALANCE_SOURCE = "mibdesk 默认（风险指标：当期结余为负即当期收不抵支）"
NEGATIVE_BALANCE_SOURCE = "mibdesk 默认（期末累计结余为负即基金累计结余已用尽）"
PER_HEAD_TOLERANCE = Fraction(1, 20)
"""Per-head contribution may differ from the standard by up to 5 % (mibdesk default)."""


@dataclass(frozen=True)
class MonthInput:
    """One scheme's month to check.

    `values`: this month's stored cells (county "" and townships). `history`: earlier months,
    county totals per input line as `county_totals` gives them (up to 10 years back); a month
    absent (or empty) was not reported. Months at or after `month` are ignored.
    `provided_totals`: line values a source (workbook, package) gave, checked against the
    sum of the parts.
    """

    scheme: SchemeProfile
    month: Month
    values: Mapping[Cell, int]
    history: Mapping[Month, Mapping[str, int]]
    provided_totals: Mapping[str, int] = field(default_factory=dict)


def check_month(data: MonthInput, profile: Profile) -> list[Problem]:
    """Every problem of the month: hard first, then in report line order (month-wide first).

    Raises ValueError when `provided_totals` names a line the scheme does not have.
    """
    scheme = data.scheme
    inputs = tuple(line for line in scheme.lines if not line.computed)
    if not any(cell.line in {line.code for line in inputs} for cell in data.values):
        return []
    figures = with_computed(scheme, county_totals(scheme, data.values))
    history = {m: h for m, h in data.history.items() if h and m < data.month}
    problems = [
        *_negative_counts(data),
        *_blank_lines(inputs, figures, data.month),
        *_subtotal_mismatches(data, figures),
        *_continuity(scheme, data.month, figures, history),
        *_outliers(inputs, figures, data.month, history),
        *_collection(scheme, figures, data.month, profile),
        *_per_head(scheme, figures, data.month),
        *_balances(scheme, figures, data.month),
    ]
    order = {line.code: index for index, line in enumerate(scheme.lines)}
    return sorted(
        problems, key=lambda p: (p.severity != "hard", order.get(p.line, -1), p.unit, p.rule)
    )


def _figure(line: Line, value: int) -> str:
    if line.unit == "persons":
        return _("{count} persons").format(count=format_count(value))
    return yuan(value)


def _percent(value: Fraction, *, signed: bool = False) -> str:
    """`value` as a percentage with one decimal, rounded half-up: 0.5289 → "+52.9%"."""
    tenths = round_half_up(value * 1000)
    sign = "-" if tenths < 0 else ("+" if signed and tenths > 0 else "")
    whole, tenth = divmod(abs(tenths), 10)
    return f"{sign}{whole}.{tenth}%"


def _rate_percent(rate: Decimal) -> str:
    """A policy rate as written: Decimal("0.074") → "7.4%", Decimal("0.08") → "8%"."""
    return f"{format((rate * 100).normalize(), 'f')}%"


def _negative_counts(data: MonthInput) -> Iterator[Problem]:
    persons = {line.code: line for line in data.scheme.lines if line.unit == "persons"}
    for cell, value in sorted(data.values.items()):
        line = persons.get(cell.line)
        if line is None or line.computed or value >= 0:
            continue
        where = line.name
        if cell.unit != COUNTY:
            where = _("{line}, township {township}").format(line=line.name, township=cell.unit)
        message = _(
            "{month}, {where}: {value}. A number of persons cannot be negative; check it and "
            "enter it again."
        ).format(month=data.month.label, where=where, value=_figure(line, value))
        yield Problem(
            "hard", "negative_count", line.code, cell.unit, message, NEGATIVE_COUNT_SOURCE
        )


def _blank_lines(
    inputs: Sequence[Line], figures: Mapping[str, int], month: Month
) -> Iterator[Problem]:
    for line in inputs:
        if line.code not in figures:
            message = _(
                "{month}, {line}: not filled in. A blank is not zero: if there was nothing "
                "this month, enter 0."
            ).format(month=month.label, line=line.name)
            yield Problem("hard", "blank_line", line.code, COUNTY, message, BLANK_SOURCE)


def _subtotal_mismatches(data: MonthInput, figures: Mapping[str, int]) -> Iterator[Problem]:
    lines = {line.code: line for line in data.scheme.lines}
    for code, provided in data.provided_totals.items():
        line = lines.get(code)
        if line is None:
            raise ValueError(f"provided total for unknown line {code!r} of {data.scheme.code}")
        computed = figures.get(code, 0)
        if provided == computed:
            continue
        message = _(
            "{month}, {line}: the source gives {provided}, but its parts add up to {computed} "
            "(difference {difference}). Correct the total or the parts in the source."
        ).format(
            month=data.month.label,
            line=line.name,
            provided=_figure(line, provided),
            computed=_figure(line, computed),
            difference=_figure(line, provided - computed),
        )
        yield Problem("hard", "subtotal_mismatch", code, COUNTY, message, ACCOUNTING)


def _continuity(
    scheme: SchemeProfile,
    month: Month,
    figures: Mapping[str, int],
    history: Mapping[Month, Mapping[str, int]],
) -> Iterator[Problem]:
    """`ytd_gap` and `balance_identity`. Months before the office's first month in mibdesk
    are not gaps; its first month has no opening balance to check against."""
    if not history:
        return
    first, previous = min(history), month.prev()
    start = max(first, Month(month.year, 1))
    wanted = [start.plus(i) for i in range(start.months_until(month))]
    if month.month == 1 and previous >= first:
        wanted.insert(0, previous)
    missing = [m for m in wanted if m not in history]
    if missing:
        message = _(
            "{month}: the figures of {missing} have not been entered, so the opening balance "
            "and the year-to-date totals cannot be right. Enter those months first."
        ).format(month=month.label, missing="、".join(m.label for m in missing))
        yield Problem("hard", "ytd_gap", "", COUNTY, message, ACCOUNTING)
    balance = scheme.balance_line.code
    opening = history.get(previous, {}).get(balance)
    income = figures.get(scheme.total("income").code)
    spent = figures.get(scheme.total("expenditure").code)
    closing = figures.get(balance)
    if opening is None or income is None or spent is None or closing is None:
        return
    expected = opening + income - spent
    if closing == expected:
        return
    message = _(
        "{month}: the closing balance does not add up. Closing balance of {previous} "
        "{opening} + income {income} − expenditure {spent} = {expected}, but the closing "
        "balance entered is {closing} (gap {gap}). Check the balance, income and expenditure."
    ).format(
        month=month.label,
        previous=previous.label,
        opening=yuan(opening),
        income=yuan(income),
        spent=yuan(spent),
        expected=yuan(expected),
        closing=yuan(closing),
        gap=yuan(closing - expected),
    )
    yield Problem("hard", "balance_identity", balance, COUNTY, message, ACCOUNTING)


def _outliers(
    inputs: Sequence[Line],
    figures: Mapping[str, int],
    month: Month,
    history: Mapping[Month, Mapping[str, int]],
) -> Iterator[Problem]:
    for line in inputs:
        actual = figures.get(line.code)
        if line.section == "balance" or actual is None:
            continue
        series = {m: h[line.code] for m, h in history.items() if line.code in h}
        result = check_outlier(series, month, actual, DEFAULT_PARAMS)
        if not result.flagged or result.forecast is None or result.deviation is None:
            continue
        if result.forecast.method == "seasonal":
            how = _("expected from the same month last year × trend")
        else:
            how = _("expected from the median of the last 3 months")
        message = _(
            "{month}, {line}: {actual}; {how}: about {expected}, a deviation of {deviation} "
            "(normal variation in the past about ±{band}). Check the figure; if it is "
            "right, explain why."
        ).format(
            month=month.label,
            line=line.name,
            actual=_figure(line, actual),
            how=how,
            expected=_figure(line, result.expected_rounded),
            deviation=_percent(result.deviation, signed=True),
            band=f"{result.normal_band * 100:.1f}%",
        )
        yield Problem("soft", "outlier", line.code, COUNTY, message, OUTLIER_SOURCE)


def _dues(
    scheme: SchemeProfile, figures: Mapping[str, int], income: str
) -> tuple[int, list[str], list[str]] | None:
    """Expected collection on `income`, its working terms and sources; None if a base or a
    head count it needs is blank."""
    expected, terms, sources = 0, [], []
    for rate in scheme.contribution_rates:
        if rate.income_line == income:
            base = figures.get(rate.base_line)
            if base is None:
                return None
            expected += apply_rate(base, rate.rate)
            terms.append(
                f"{scheme.line(rate.base_line).name} {yuan(base)} × {_rate_percent(rate.rate)}"
            )
            sources.append(rate.source)
    for premium in scheme.premiums:
        if premium.income_line == income:
            heads = _heads(figures, premium)
            if heads is None:
                return None
            expected += heads * premium.fen_per_head_month
            terms.append(_premium_term(scheme, premium, heads))
            sources.append(premium.source)
    return expected, terms, sources


def _heads(figures: Mapping[str, int], premium: Premium) -> int | None:
    counts = [figures.get(code) for code in premium.enrolment_lines]
    return None if None in counts else sum(c for c in counts if c is not None)


def _premium_term(scheme: SchemeProfile, premium: Premium, heads: int) -> str:
    return _("{lines} {count} × {amount} per head per month").format(
        lines="、".join(scheme.line(code).name for code in premium.enrolment_lines),
        count=_("{count} persons").format(count=format_count(heads)),
        amount=yuan(premium.fen_per_head_month),
    )


def _income_lines_due(scheme: SchemeProfile) -> list[str]:
    codes = [r.income_line for r in scheme.contribution_rates]
    codes += [p.income_line for p in scheme.premiums]
    return list(dict.fromkeys(codes))


def _collection(
    scheme: SchemeProfile, figures: Mapping[str, int], month: Month, profile: Profile
) -> Iterator[Problem]:
    """征收率 per income line = actual ÷ Σ base × rate (+ heads × premium), against the
    profile's target (domain.md "Contribution rules"; Shaoxing 000 附件 §4.5.1)."""
    target = profile.risk.collection_rate_target
    for code in _income_lines_due(scheme):
        actual, dues = figures.get(code), _dues(scheme, figures, code)
        if actual is None or dues is None or dues[0] <= 0:
            continue
        expected, terms, sources = dues
        rate = Fraction(actual, expected)
        if rate >= Fraction(target.value):
            continue
        message = _(
            "{month}, {line}: collected {actual}, due {expected} ({working}): collection "
            "rate {rate}, below the target of {target}. Check for arrears or under-collection."
        ).format(
            month=month.label,
            line=scheme.line(code).name,
            actual=yuan(actual),
            expected=yuan(expected),
            working=" + ".join(terms),
            rate=percent_below(rate, places=2),
            target=_rate_percent(target.value),
        )
        source = join_sources([*sources, target.source])
        yield Problem("soft", "collection_rate", code, COUNTY, message, source)


def _per_head(scheme: SchemeProfile, figures: Mapping[str, int], month: Month) -> Iterator[Problem]:
    """Income lines fed only by per-head premiums: actual ÷ heads against the standard (a
    weighted standard when several premiums feed one line)."""
    rated = {rate.income_line for rate in scheme.contribution_rates}
    for code in _income_lines_due(scheme):
        premiums = [p for p in scheme.premiums if p.income_line == code]
        actual = figures.get(code)
        counts = [_heads(figures, p) for p in premiums]
        if code in rated or actual is None or None in counts:
            continue
        heads = sum(c for c in counts if c is not None)
        if heads <= 0:
            continue
        expected = sum(
            p.fen_per_head_month * (c or 0) for p, c in zip(premiums, counts, strict=True)
        )
        deviation = Fraction(actual, expected) - 1
        if abs(deviation) <= PER_HEAD_TOLERANCE:
            continue
        standard = yuan(round_half_up(Fraction(expected, heads)))
        if len(premiums) > 1:
            parts = "；".join(
                _premium_term(scheme, p, c or 0) for p, c in zip(premiums, counts, strict=True)
            )
            standard = _("{standard} on average ({parts})").format(standard=standard, parts=parts)
        message = _(
            "{month}, {line}: {actual} for {heads}, i.e. {per_head} per head per month; the "
            "standard is {standard} per head per month, a deviation of {deviation} (tolerance "
            "±{tolerance}). Check the head counts or the contribution income."
        ).format(
            month=month.label,
            line=scheme.line(code).name,
            actual=yuan(actual),
            heads=_("{count} persons").format(count=format_count(heads)),
            per_head=yuan(round_half_up(Fraction(actual, heads))),
            standard=standard,
            deviation=_percent(deviation, signed=True),
            tolerance=_percent(PER_HEAD_TOLERANCE),
        )
        source = join_sources([*(p.source for p in premiums), PER_HEAD_SOURCE])
        yield Problem("soft", "per_head", code, COUNTY, message, source)


def _balances(scheme: SchemeProfile, figures: Mapping[str, int], month: Month) -> Iterator[Problem]:
    balance = scheme.balance_line.code
    income = figures.get(scheme.total("income").code)
    spent = figures.get(scheme.total("expenditure").code)
    if income is not None and spent is not None and income - spent < 0:
        message = _(
            "{month}: income {income} − expenditure {spent} = {current}: the fund paid out "
            "more than it took in this month (negative current balance). Explain why."
        ).format(
            month=month.label,
            income=yuan(income),
            spent=yuan(spent),
            current=yuan(income - spent),
        )
        yield Problem("soft", "current_balance", balance, COUNTY, message, CURRENT_BALANCE_SOURCE)
    closing = figures.get(balance)
    if closing is not None and closing < 0:
        message = _(
            "{month}, {line}: {closing}, below zero: the fund's accumulated balance is used "
            "up. Check the figure and explain why."
        ).format(month=month.label, line=scheme.balance_line.name, closing=yuan(closing))
        yield Problem("soft", "negative_balance", balance, COUNTY, message, NEGATIVE_BALANCE_SOURCE)


def collection_totals(scheme: SchemeProfile, figures: Mapping[str, int]) -> tuple[int, int] | None:
    """(collected, due) over every income line the scheme's rates and premiums feed, for the
    execution dashboard; None where the scheme has no rates or a base or head count is blank."""
    collected = due = 0
    for code in _income_lines_due(scheme):
        actual, dues = figures.get(code), _dues(scheme, figures, code)
        if actual is None or dues is None:
            return None
        collected += actual
        due += dues[0]
    return (collected, due) if due > 0 else None
