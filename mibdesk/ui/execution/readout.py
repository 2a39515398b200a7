"""How the execution screen reads out a scheme's year, without widgets: the figures of the
summary band, the indicators as traffic lights, the projection sentence, and the rows of the
line, document and working tables.

Everything comes from `mibdesk.core.services.execution` as it is; nothing here recomputes a
quota, an indicator or a projection (the year-on-year change of a line is the one ratio
worked out here, for display).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from mibdesk.core.catalog import SchemeProfile
from mibdesk.core.i18n import N_, _
from mibdesk.core.rules.execution import Indicator, State
from mibdesk.core.rules.quota import ADJUSTMENT_SOURCE, QUOTA_SOURCE
from mibdesk.core.rules.working import Step, large_yuan, yuan
from mibdesk.core.services.execution import SchemeExecution
from mibdesk.core.services.quotas import QuotaDocument
from mibdesk.core.table import Column

AMOUNT_WIDTH = 9
"""Amount columns, in Chinese characters: a county's year runs to 9,999,999,999.99 yuan."""
QUOTA_SOURCES = (QUOTA_SOURCE, ADJUSTMENT_SOURCE)
"""The sources of the working steps that make the available quota (quota, adjustments,
carry-over), as opposed to the plans, funds and spending measured against it."""

INDICATOR_NAMES = {
    "spending_progress": N_("Spending progress"),
    "reserve_months": N_("Reserve months"),
    "collection_rate": N_("Collection rate"),
    "current_balance": N_("Current balance"),
}
STATE_WORDS: dict[State, str] = {
    "green": N_("Normal"),
    "amber": N_("Watch"),
    "red": N_("Warning (red)"),
    "unknown": N_("No data"),
}


@dataclass(frozen=True)
class Figure:
    """One figure of the summary band: exact fen, a note under it, the working on hover."""

    key: str
    caption: str
    amount: int
    note: str
    tooltip: str


@dataclass(frozen=True)
class IndicatorLine:
    """An indicator as the traffic-light list shows it."""

    key: str
    state: State
    name: str
    state_word: str
    sentence: str
    tooltip: str


@dataclass(frozen=True)
class LineRow:
    """A row of the per-line table; the last row is the scheme's expenditure total."""

    name: str
    quota: int | None
    approved: int | None
    spent: int
    last_year: int
    remaining: int | None

    @property
    def change(self) -> Fraction | None:
        """Spending against the same months last year (+5 % = 0.05)."""
        return Fraction(self.spent - self.last_year, self.last_year) if self.last_year else None


@dataclass(frozen=True)
class DocumentRow:
    """A quota or an adjustment as the documents list shows it."""

    kind: str
    scope: str
    doc_no: str
    doc_date: date
    amount: int
    recorded_by: str
    recorded_at: datetime | None
    reason: str


def line_columns() -> tuple[Column, ...]:
    return (
        Column("name", _("Expenditure line"), "text", width_hint=12),
        Column("quota", _("Quota"), "fen", width_hint=AMOUNT_WIDTH),
        Column("approved", _("Approved fund-use plans"), "fen", width_hint=AMOUNT_WIDTH),
        Column("spent", _("Actual spending"), "fen", width_hint=AMOUNT_WIDTH),
        Column("last_year", _("Same months last year"), "fen", width_hint=AMOUNT_WIDTH),
        Column("change", _("Change"), "percent"),
        Column("remaining", _("Quota left"), "fen", width_hint=AMOUNT_WIDTH),
    )


def document_columns() -> tuple[Column, ...]:
    return (
        Column("kind", _("Kind"), "text", width_hint=9),
        Column("scope", _("Applies to"), "text", width_hint=8),
        Column("doc_no", _("Document number"), "text", width_hint=11),
        Column("doc_date", _("Document date"), "date"),
        Column("amount", _("Amount (yuan)"), "fen", width_hint=AMOUNT_WIDTH),
        Column("recorded_by", _("Recorded by"), "text", width_hint=7),
        Column("recorded_at", _("Recorded at"), "datetime"),
        Column("reason", _("Reason"), "text", width_hint=14),
    )


def working_columns() -> tuple[Column, ...]:
    return (
        Column("label", _("Item"), "text", width_hint=26),
        Column("amount", _("Amount (yuan)"), "fen", width_hint=AMOUNT_WIDTH),
        Column("rule", _("Rule"), "text", width_hint=14),
        Column("source", _("Source"), "text", width_hint=24),
    )


def working_text(steps: Sequence[Step]) -> str:
    """Working steps as tooltip lines: "label：amount（source）"."""
    lines = []
    for step in steps:
        amount = "" if step.amount is None else "：" + yuan(step.amount)
        lines.append(f"{step.label}{amount}（{step.source}）")
    return "\n".join(lines)


def is_adjustment(document: QuotaDocument) -> bool:
    return document.kind == "adjustment"


def summary_figures(current: SchemeExecution) -> list[Figure]:
    """The summary band: available quota with its working, then plans, funds, spending
    and what is left; empty while no quota is recorded."""
    position = current.position
    if position is None:
        return []
    through = current.through
    spent_note = _("January to {month}").format(month=through.label) if through else _("none yet")
    everything = working_text(position.working)
    return [
        Figure(
            "available",
            _("Available quota"),
            position.available,
            available_note(position.quota, position.adjustments, position.carried_over),
            working_text([s for s in position.working if s.source in QUOTA_SOURCES]),
        ),
        Figure(
            "approved",
            _("Approved fund-use plans"),
            position.approved_plans,
            _("sum of the approved monthly plans"),
            everything,
        ),
        Figure(
            "received",
            _("Disbursed to the county"),
            position.received,
            _("disbursements received"),
            everything,
        ),
        Figure("spent", _("Actual spending"), position.spent, spent_note, everything),
        Figure(
            "left_for_plans",
            _("Quota left for plans"),
            position.remaining_for_plans,
            _("available − approved plans"),
            everything,
        ),
        Figure(
            "left_for_spending",
            _("Quota left for spending"),
            position.remaining_for_spending,
            _("available − spent"),
            everything,
        ),
    ]


def projection_readout(current: SchemeExecution) -> tuple[str, bool, str]:
    """The projection (or, once December is in, the year's close) as (sentence, over the
    quota, working for the tooltip)."""
    closing, projection = current.closing, current.projection
    if closing is not None:
        sentence = _(
            "Year closed: spent {spent} of the available {available}; unused {unused}, "
            "overspent {over}, carried into next year {carried}."
        ).format(
            spent=large_yuan(closing.spent),
            available=large_yuan(closing.available),
            unused=large_yuan(closing.unused),
            over=large_yuan(closing.overspent),
            carried=large_yuan(closing.carried_over),
        )
        return sentence, closing.overspent > 0, working_text(closing.working)
    if projection is None:
        return (
            _("No spending reported for {year} yet: no projection.").format(year=current.year),
            False,
            "",
        )
    return projection.sentence, projection.excess > 0, working_text(projection.working)


def line_rows(current: SchemeExecution, total_name: str) -> list[LineRow]:
    """A row per expenditure line, then the total row with the scheme's quota figures.

    A line's approved plans are shown only where the line has its own quota (the service
    counts them only then)."""
    rows = [
        LineRow(
            line.name,
            line.quota,
            line.approved_plans if line.quota is not None else None,
            line.spent,
            line.spent_last_year,
            line.remaining,
        )
        for line in current.lines
    ]
    position = current.position
    rows.append(
        LineRow(
            total_name,
            None if position is None else position.available,
            None if position is None else position.approved_plans,
            sum(line.spent for line in current.lines),
            sum(line.spent_last_year for line in current.lines),
            None if position is None else position.remaining_for_spending,
        )
    )
    return rows


def document_row(
    document: QuotaDocument, scheme: SchemeProfile, person: Callable[[str], str]
) -> DocumentRow:
    """A quota or an adjustment as the documents list shows it."""
    adjustment = is_adjustment(document)
    if not adjustment:
        kind = _("Quota")
    elif document.amount >= 0:
        kind = _("Adjustment, increase")
    else:
        kind = _("Adjustment, decrease")
    scope = _("The whole scheme")
    if document.line:
        scope = scheme.line(document.line).name
    return DocumentRow(
        kind,
        scope,
        document.doc_no,
        date.fromisoformat(document.doc_date),
        document.amount,
        person(document.recorded_by),
        datetime.fromisoformat(document.recorded_at) if document.recorded_at else None,
        document.reason,
    )


def indicator_line(indicator: Indicator) -> IndicatorLine:
    tooltip = _("Rule: {rule}\nSource: {source}").format(
        rule=indicator.rule, source=indicator.source
    )
    if indicator.working:
        tooltip += "\n" + working_text(indicator.working)
    return IndicatorLine(
        indicator.key,
        indicator.state,
        _(INDICATOR_NAMES[indicator.key]),
        _(STATE_WORDS[indicator.state]),
        indicator.sentence,
        tooltip,
    )


def available_note(quota: int, adjustments: int, carried: int) -> str:
    """quota 8.51 亿元, adjustments +500.00 万元, carried over …: the terms that are not 0."""
    parts = [_("quota {amount}").format(amount=large_yuan(quota))]
    if adjustments:
        sign = "+" if adjustments > 0 else ""
        parts.append(_("adjustments {amount}").format(amount=sign + large_yuan(adjustments)))
    if carried:
        parts.append(_("carried over {amount}").format(amount=large_yuan(carried)))
    return "，".join(parts)
