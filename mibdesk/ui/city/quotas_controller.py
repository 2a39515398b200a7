"""What the quota screen (额度分配) does, without widgets: what has been issued for a scheme's
year, and drafting, checking and publishing the next allocation.

The draft is the year's annual quota until one is issued, a budget adjustment (预算调整)
afterwards. Proposals come from `mibdesk.core.services.city.quotas` (typed, from a workbook,
by weighted factors), which checks everything and raises `UserError` (nothing changed).
Publishing and sending are returned as jobs (`publish_job`, `send_job`) for the task runner;
`announce` then hands the service's `Changes` to the hub on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from mibdesk.core.i18n import N_, _
from mibdesk.core.money import format_fen, parse_yuan
from mibdesk.core.periods import Month
from mibdesk.core.rules.allocation import Factor, percent4
from mibdesk.core.rules.working import Step
from mibdesk.core.security.roles import Permission
from mibdesk.core.services.changes import Outcome
from mibdesk.ui.context import UiContext

if TYPE_CHECKING:
    from mibdesk.core.services.city.issued import Kind, PublishedAllocation
    from mibdesk.core.services.city.quotas import Proposal

KIND_NAMES = {"quota": N_("Annual quota"), "adjustment": N_("Budget adjustment")}
METHOD_NAMES = {
    "typed": N_("typed"),
    "workbook": N_("from a workbook"),
    "weighted": N_("weighted factors"),
}
SHORT_SOURCE = 20
"""A source longer than this (characters) is a rule in words, not a reference like 004 §4.3."""
DEFAULT_FACTORS = (N_("Insured persons"), N_("Last year's spending"), N_("Persons aged 60+"))


@dataclass(frozen=True)
class Issued:
    """A scheme's year as issued so far."""

    scheme: str
    year: int
    counties: Mapping[str, str]  # code → name of the registered counties
    allocations: tuple[PublishedAllocation, ...]
    quotas: Mapping[str, int]  # county → quota plus adjustments
    approved: Mapping[str, int]  # county → plans the city approved this year

    @property
    def kind(self) -> Kind:
        """What the next allocation is: the annual quota, or an adjustment of it."""
        return "adjustment" if any(a.kind == "quota" for a in self.allocations) else "quota"

    @property
    def pending(self) -> tuple[PublishedAllocation, ...]:
        return tuple(a for a in self.allocations if a.pending)


def issued_columns() -> tuple[str, ...]:
    return (
        _("County"),
        _("Annual quota (yuan)"),
        _("Adjustments (yuan)"),
        _("Quota now (yuan)"),
        _("Plans approved (yuan)"),
        _("Quota left (yuan)"),
    )


def issued_rows(issued: Issued) -> list[tuple[str, ...]]:
    """One row per county that has a quota or is registered: what was issued and approved."""
    annual: dict[str, int] = {}
    names = dict(issued.counties)
    for allocation in issued.allocations:
        if allocation.kind == "quota":
            for line in allocation.lines:
                annual[line.county] = line.amount
        for line in allocation.lines:
            names.setdefault(line.county, line.name)
    rows: list[tuple[str, ...]] = []
    for code in sorted(names):
        quota, approved = issued.quotas.get(code, 0), issued.approved.get(code, 0)
        base = annual.get(code, 0)
        rows.append(
            (
                f"{names[code]}（{code}）",
                format_fen(base),
                format_fen(quota - base),
                format_fen(quota),
                format_fen(approved),
                format_fen(quota - approved),
            )
        )
    return rows


def issued_summary(issued: Issued) -> str:
    """One line for the header: when the year's quota was issued, how often adjusted."""
    quota = next((a for a in issued.allocations if a.kind == "quota"), None)
    if quota is None:
        return _("The {year} quotas have not been issued.").format(year=issued.year)
    return _("Issued {total} yuan on {date} ({doc}); {n} adjustments.").format(
        total=format_fen(quota.total),
        date=quota.doc_date,
        doc=quota.doc_no,
        n=len(issued.allocations) - 1,
    )


def sent_message(allocation: PublishedAllocation) -> str:
    """Which counties were sent their package, and which still wait (发送待发)."""
    sent = len(allocation.lines) - len(allocation.pending)
    if allocation.pending:
        names = "、".join(ln.name for ln in allocation.lines if not ln.package_id)
        return _("{doc}: sent to {sent} counties; waiting to send: {names}.").format(
            doc=allocation.doc_no, sent=sent, names=names
        )
    return _("{doc}: published and sent to {sent} counties.").format(
        doc=allocation.doc_no, sent=sent
    )


def document_columns() -> tuple[str, ...]:
    return (
        _("Kind"),
        _("Document number"),
        _("Document date"),
        _("Total (yuan)"),
        _("Method"),
        _("Reason"),
        _("Published"),
        _("Sent"),
    )


def document_rows(issued: Issued) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for a in issued.allocations:
        sent = len(a.lines) - len(a.pending)
        state = _("{sent} of {n} counties sent").format(sent=sent, n=len(a.lines))
        if a.pending:
            state += _("; waiting to send: {names}").format(
                names="、".join(ln.name for ln in a.lines if not ln.package_id)
            )
        rows.append(
            (
                _(KIND_NAMES[a.kind]),
                a.doc_no,
                a.doc_date,
                format_fen(a.total),
                _(METHOD_NAMES[a.method]),
                a.reason,
                f"{a.published_at[:16].replace('T', ' ')} {a.published_by}",
                state,
            )
        )
    return rows


def proposal_rows(proposal: Proposal, names: Mapping[str, str]) -> list[tuple[str, ...]]:
    """County, amount, share of the budget: what would be published."""
    return [
        (
            f"{names.get(c.county, c.county)}（{c.county}）",
            format_fen(c.amount),
            percent4(c.share) if proposal.split.budget else "",
        )
        for c in proposal.split.counties
    ]


def working_text(proposal: Proposal, names: Mapping[str, str]) -> str:
    """The split's arithmetic, readable: the overall steps, then each county's."""

    quoted: set[str] = set()

    def line(step: Step) -> str:
        amount = "" if step.amount is None else f" → {format_fen(step.amount)}"
        where = step.source
        if len(where) > SHORT_SOURCE:  # a rule in words: quoted in full once
            where = "" if where in quoted else where
            quoted.add(step.source)
        source = "，".join(part for part in (step.rule, where) if part)
        return f"  · {step.label}{amount}（{source}）"

    parts = [_("Whole allocation:"), *(line(s) for s in proposal.split.steps)]
    for county in proposal.split.counties:
        parts.append("")
        parts.append(
            _("{county}: {amount} yuan").format(
                county=f"{names.get(county.county, county.county)}（{county.county}）",
                amount=format_fen(county.amount),
            )
        )
        parts.extend(line(s) for s in county.steps)
    return "\n".join(parts)


def confirmation_text(proposal: Proposal, names: Mapping[str, str], scheme_name: str) -> str:
    """What the head confirms: the scheme, year and kind, every county's amount, the total."""
    head = _("{scheme}, {year}: {kind}").format(
        scheme=scheme_name, year=proposal.year, kind=_(KIND_NAMES[proposal.kind])
    )
    lines = [
        f"  {names.get(c.county, c.county)}（{c.county}）  {format_fen(c.amount)}"
        for c in proposal.split.counties
    ]
    total = _("Total: {amount} yuan, {n} counties.").format(
        amount=format_fen(proposal.split.budget), n=len(lines)
    )
    return "\n".join([head, *lines, total, _("Each county is sent its package.")])


class QuotasController:
    """The chosen scheme's year: `load` it, draft from it, publish."""

    def __init__(self, ctx: UiContext) -> None:
        self._ctx = ctx
        self.can_publish = ctx.actor.can(Permission.APPROVE)
        today = ctx.store.clock().date()
        self.current_year = today.year + 1 if today.month >= 10 else today.year
        self.years = list(range(today.year - 2, today.year + 3))

    @property
    def schemes(self) -> list[tuple[str, str]]:
        return [(s.code, s.name) for s in self._ctx.profile.schemes]

    def scheme_name(self, code: str) -> str:
        return dict(self.schemes).get(code, code)

    def load(self, scheme: str, year: int) -> Issued:
        from mibdesk.core.services.city import issued, quotas

        store = self._ctx.store
        return Issued(
            scheme,
            year,
            quotas.registered_counties(store),
            tuple(issued.published(store, scheme, year)),
            issued.county_quotas(store, scheme, year),
            issued.approved_plans(store, scheme, year),
        )

    # -- drafting (UserError when refused; nothing changed) ---------------------------------

    @staticmethod
    def budget(text: str, kind: Kind) -> int:
        """The budget (or an adjustment's net change) typed in yuan; empty means 0 in an
        adjustment that only moves quota between counties."""
        if not text.strip() and kind == "adjustment":
            return 0
        return parse_yuan(text, where=_("Budget"))

    def typed(self, issued: Issued, budget: int, amounts: Mapping[str, int]) -> Proposal:
        from mibdesk.core.services.city import quotas

        ctx = self._ctx
        return quotas.typed_allocation(
            ctx.store, ctx.profile, issued.scheme, issued.year, budget, amounts, kind=issued.kind
        )

    def workbook_job(self, issued: Issued, budget: int, path: Path) -> Callable[[], Proposal]:
        """Reading and checking the workbook, to run on the task runner."""
        from mibdesk.core.services.city import quotas

        ctx, scheme, year, kind = self._ctx, issued.scheme, issued.year, issued.kind
        return lambda: quotas.workbook_allocation(
            ctx.store, ctx.profile, scheme, year, budget, path, kind=kind
        )

    def weighted(self, issued: Issued, budget: int, factors: Sequence[Factor]) -> Proposal:
        from mibdesk.core.services.city import quotas

        ctx = self._ctx
        return quotas.weighted_allocation(
            ctx.store, ctx.profile, issued.scheme, issued.year, budget, factors, kind=issued.kind
        )

    def template_job(self, issued: Issued, path: Path) -> Callable[[], Path]:
        """Writing a blank allocation workbook for the registered counties."""
        from mibdesk.core.excel.allocation_template import write_template

        title = _("{year} {scheme}: {kind} by county").format(
            year=issued.year,
            scheme=self.scheme_name(issued.scheme),
            kind=_(KIND_NAMES[issued.kind]),
        )
        counties = dict(issued.counties)
        return lambda: write_template(path, counties, title)

    def report_lines(self, scheme: str) -> list[tuple[str, str]]:
        """(code, name) of the scheme's report lines a factor can be read from."""
        return [(line.code, line.name) for line in self._ctx.profile.scheme(scheme).lines]

    def report_months(self) -> list[Month]:
        """The months whose reports can fill a factor, newest first."""
        month = Month.of(self._ctx.store.clock().date())
        months = []
        for _step in range(24):
            month = month.prev()
            months.append(month)
        return months

    def factor_values(self, scheme: str, line: str, month: Month) -> dict[str, Decimal]:
        """Each county's figure of `line` in its latest report for `month` (fen as yuan)."""
        from mibdesk.core.services.city.drilldown import line_by_county

        ctx = self._ctx
        unit = ctx.profile.scheme(scheme).line(line).unit
        found = {}
        for figure in line_by_county(ctx.store, ctx.profile, scheme, month, line):
            if figure.value is not None:
                value = Decimal(figure.value)
                found[figure.county] = value / 100 if unit == "fen" else value
        return found

    # -- publishing (jobs for the task runner) ----------------------------------------------

    def publish_job(
        self, proposal: Proposal, doc_no: str, doc_date: date, reason: str
    ) -> Callable[[], Outcome[PublishedAllocation]]:
        from mibdesk.core.services.city import quotas

        ctx = self._ctx
        return lambda: quotas.publish(
            ctx.store, ctx.actor, ctx.profile, proposal, doc_no, doc_date, reason
        )

    def send_job(self, allocation_id: int) -> Callable[[], Outcome[PublishedAllocation]]:
        from mibdesk.core.services.city import quotas

        ctx = self._ctx
        return lambda: quotas.send_pending(ctx.store, ctx.actor, allocation_id)

    def announce(self, outcome: Outcome[PublishedAllocation]) -> PublishedAllocation:
        self._ctx.hub.publish(outcome.changes)
        return outcome.value
