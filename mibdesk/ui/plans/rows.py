"""Small read-only lists of the plan screen, Qt-free: the versions of a month's plan, and the
suggestion of each line with its working (shown by the suggestion dialog)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mibdesk.core.i18n import _
from mibdesk.core.rules.plan_suggest import PlanSuggestion
from mibdesk.core.rules.working import ratio
from mibdesk.core.services.plans import PlanView
from mibdesk.core.table import Column
from mibdesk.core.tables.plan_table import MONEY_WIDTH, method_label, plan_status_label


@dataclass(frozen=True)
class VersionRow:
    """One version of the month's plan, for the versions list."""

    version: str
    status: str
    requested: int
    approved: int | None


def version_columns() -> tuple[Column, ...]:
    return (
        Column("version", _("Version"), "text", width_hint=4),
        Column("status", _("Status"), "text", width_hint=6),
        Column("requested", _("Requested"), "fen", width_hint=MONEY_WIDTH),
        Column("approved", _("Approved"), "fen", width_hint=MONEY_WIDTH),
    )


def version_rows(view: PlanView | None) -> list[VersionRow]:
    """Every version of the month's plan, newest first."""
    if view is None:
        return []
    return [
        VersionRow(
            _("Version {number}").format(number=v.version),
            plan_status_label(v.status),
            v.requested,
            v.approved,
        )
        for v in reversed(view.versions)
    ]


@dataclass(frozen=True)
class SuggestionRow:
    """One line's suggestion, for the list of the working dialog."""

    name: str
    method: str
    trend: str
    amount: int
    capped: str
    basis: str


def suggestion_columns() -> tuple[Column, ...]:
    return (
        Column("name", _("Item"), "text", width_hint=11),
        Column("method", _("Method"), "text", width_hint=9),
        Column("trend", _("Trend"), "text", width_hint=4),
        Column("amount", _("Suggested"), "fen", width_hint=MONEY_WIDTH),
        Column("capped", _("Capped"), "text", width_hint=3),
        Column("basis", _("Based on"), "text", width_hint=16),
    )


def suggestion_rows(suggested: PlanSuggestion, names: Mapping[str, str]) -> list[SuggestionRow]:
    """The suggestion of each line: method, the months it rests on, trend and amount."""
    rows = []
    for item in suggested.lines:
        months = [month for month, _fen in item.basis]
        basis = months[0].label if months else ""
        if len(months) > 1:
            first, last = months[0], months[-1]
            basis = _("{first}—{last} ({count} months)").format(
                first=first.label,
                last=f"{last.month}月" if last.year == first.year else last.label,
                count=len(months),
            )
        trend = "" if item.trend is None else ratio(item.trend)
        rows.append(
            SuggestionRow(
                names.get(item.line, item.line),
                method_label(item.method),
                trend,
                item.amount,
                _("yes") if item.capped else "",
                basis,
            )
        )
    return rows


def working_columns() -> tuple[Column, ...]:
    """Columns of a `Step` list (label, amount, rule, source)."""
    return (
        Column("label", _("Item"), "text", width_hint=20),
        Column("amount", _("Amount (yuan)"), "fen"),
        Column("rule", _("Rule"), "text", width_hint=12),
        Column("source", _("Source"), "text", width_hint=14),
    )
