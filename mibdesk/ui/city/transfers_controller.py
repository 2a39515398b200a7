"""What the balance-transfer screen (余额划转) does, without widgets: the profile's rule, the
counties, what the city typed (balances, pooled fund, citywide spending — prefilled from the
stored reports), the computed transfers with their working, saving the typed figures and
exporting the workbook; the head's issuing (下达: document number and date, a new version
with a reason once issued) and the transfer notices to the counties.

Amounts are typed in yuan and parsed to int fen here (`parse_yuan`): a bad amount is a
`UserError` naming the county or the field; nothing is computed or saved then.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen, parse_yuan
from mibdesk.core.security.roles import Permission
from mibdesk.core.services.changes import Outcome
from mibdesk.ui.context import UiContext
from mibdesk.ui.tasks import Progress

if TYPE_CHECKING:
    from mibdesk.core.rules.settlement.transfers import TransferResult
    from mibdesk.core.services.city.transfer_issue import IssuedTransfer
    from mibdesk.core.services.city.transfers import (
        CitySpending,
        County,
        TransferInputs,
        TransferRule,
    )
    from mibdesk.core.services.exchange.sending import Sending

Typed = Mapping[str, tuple[str, str]]
"""county code → (retained balance, demand deposits) as typed, in yuan ('' when empty)"""


def default_year(month: int, year: int) -> int:
    """The transfer year a city prepares: next year from July on (it falls due in January)."""
    return year + 1 if month >= 7 else year


def amount_text(fen: int | None) -> str:
    return "" if fen is None else format_fen(fen)


class TransfersController:
    def __init__(self, ctx: UiContext) -> None:
        from mibdesk.core.services.city.transfers import transfer_counties, transfer_rule

        self._ctx = ctx
        self.can_save = ctx.actor.can(Permission.ENTER)
        self.can_issue = ctx.actor.can(Permission.APPROVE)
        self.rule: TransferRule | None = transfer_rule(ctx.profile)
        today = ctx.store.clock().date()
        self.year = default_year(today.month, today.year)
        self.scheme = self.rule.schemes[0] if self.rule and self.rule.schemes else ""
        self.counties: list[County] = transfer_counties(ctx.store)
        self.saved: TransferInputs | None = None
        self.spending: CitySpending | None = None
        self.result: TransferResult | None = None
        self.issued: IssuedTransfer | None = None

    def rule_text(self) -> str:
        from mibdesk.core.catalog.profile_diff import transfer_rule_text

        profile = self._ctx.profile
        return f"{transfer_rule_text(profile)}（{profile.balance_transfer.source}）"

    def scheme_name(self, code: str) -> str:
        return self._ctx.profile.scheme(code).name

    def load(self, year: int, scheme: str) -> None:
        """What was saved for the year and scheme, the spending the reports show, and the
        version issued (its result shown until something else is computed)."""
        from mibdesk.core.services.city.transfer_issue import issued
        from mibdesk.core.services.city.transfers import (
            citywide_spending,
            saved_inputs,
            transfer_counties,
        )

        ctx = self._ctx
        self.year, self.scheme = year, scheme
        self.counties = transfer_counties(ctx.store)
        self.saved = saved_inputs(ctx.store, year, scheme)
        self.issued = issued(ctx.store, year, scheme)
        self.result = self.issued.result if self.issued else None
        needs = self.rule is not None and self.rule.needs_spending
        self.spending = citywide_spending(ctx.store, ctx.profile, scheme, year) if needs else None

    def reload_reports(self) -> bool:
        """After a sync: the spending the reports show again; True if the counties changed
        (then the screen must be reloaded; otherwise what is typed stays)."""
        from mibdesk.core.services.city.transfers import citywide_spending, transfer_counties

        ctx = self._ctx
        if transfer_counties(ctx.store) != self.counties:
            return True
        if self.spending is not None:
            self.spending = citywide_spending(ctx.store, ctx.profile, self.scheme, self.year)
        return False

    def spending_note(self) -> str:
        found = self.spending
        if found is None:
            return ""
        if not found.reports:
            return _("No monthly reports of {year} are stored: type the spending.").format(
                year=self.year - 1
            )
        return _(
            "From the counties' monthly reports of {year}: {reports} reports, {months} of 12 "
            "months ({amount} yuan)."
        ).format(
            year=self.year - 1,
            reports=found.reports,
            months=len(found.reported),
            amount=format_fen(found.amount),
        )

    def spending_prefill(self) -> str:
        """The typed spending if any was saved, else the reports' sum ('' when neither)."""
        if self.saved is not None and self.saved.citywide_spending is not None:
            return amount_text(self.saved.citywide_spending)
        if self.spending is not None and self.spending.reports:
            return amount_text(self.spending.amount)
        return ""

    def inputs(self, typed: Typed, pooled: str, spending: str) -> TransferInputs:
        """Parse what the city typed (UserError naming the county or the field)."""
        from mibdesk.core.services.city.transfers import TransferInputs

        names = {county.code: county.name for county in self.counties}
        balances: dict[str, tuple[int, int | None]] = {}
        for code, (balance, demand) in typed.items():
            if not balance.strip():
                continue
            where = names.get(code, code)
            balances[code] = (
                parse_yuan(balance, where=where),
                parse_yuan(demand, where=where) if demand.strip() else None,
            )
        return TransferInputs(
            parse_yuan(pooled, where=_("Pooled fund now")) if pooled.strip() else 0,
            parse_yuan(spending, where=_("Citywide spending, last 12 months"))
            if spending.strip()
            else None,
            balances,
        )

    def compute(self, typed: Typed, pooled: str, spending: str) -> TransferInputs:
        """Parse and compute (the result in `result`); returns the parsed inputs."""
        from mibdesk.core.services.city.transfers import compute_transfers

        ctx = self._ctx
        inputs = self.inputs(typed, pooled, spending)
        self.result = compute_transfers(ctx.store, ctx.profile, self.year, self.scheme, inputs)
        return inputs

    def save(self, typed: Typed, pooled: str, spending: str) -> None:
        from mibdesk.core.services.city.transfers import save_inputs

        ctx = self._ctx
        outcome = save_inputs(
            ctx.store, ctx.actor, self.year, self.scheme, self.inputs(typed, pooled, spending)
        )
        self.saved = outcome.value
        ctx.hub.publish(outcome.changes)

    def export(
        self, path: Path, on_done: Callable[[Path], None], on_error: Callable[[BaseException], None]
    ) -> None:
        """Write the computed transfer as a workbook, on the task runner."""
        from mibdesk.core.excel.transfer_workbook import write_transfer_workbook

        result, ctx = self.result, self._ctx
        assert result is not None
        profile = ctx.profile
        scheme = self.scheme_name(result.scheme)
        label = f"{profile.name}（{profile.id}）第{profile.version}版"

        def work(_progress: Progress) -> Path:
            write_transfer_workbook(path, result, ctx.office.name, scheme, label)
            return path

        ctx.tasks.run(work, on_done, on_error, label=_("Export the balance transfer"))

    # -- issuing and notices ------------------------------------------------------------------

    def issued_text(self) -> str:
        """Where the year's transfer stands: not issued, or the version in force and whether
        its notices went out; and whether the figures on screen are those issued."""
        found = self.issued
        if found is None:
            return _("Not issued yet: compute, then issue it with the city's document (下达…).")
        text = _("Issued: version {version}, {doc} of {date}, by {name}.").format(
            version=found.version,
            doc=found.doc_no,
            date=found.doc_date.isoformat(),
            name=found.issued_by_name,
        )
        parts = [text]
        if found.sent:
            parts.append(_("Notices sent to {n} counties.").format(n=len(found.sent)))
        else:
            parts.append(_("Notices not sent yet."))
        if self.result is not None and self.result != found.result:
            parts.append(_("The figures on screen are not the version issued."))
        return "".join(f"{part} " if part.endswith(".") else part for part in parts).strip()

    def confirmation(self) -> str:
        """What the head confirms before issuing: every county's transfer and the total."""
        result = self.result
        assert result is not None
        head = _("{scheme}, {year}: balance transfer").format(
            scheme=self.scheme_name(result.scheme), year=result.year
        )
        lines = [f"  {c.name}（{c.code}）  {format_fen(c.transfer)}" for c in result.counties]
        total = _("Total: {amount} yuan, {n} counties.").format(
            amount=format_fen(result.total), n=len(lines)
        )
        found = self.issued
        version = (
            _("Replaces version {version} ({doc}): say why.").format(
                version=found.version, doc=found.doc_no
            )
            if found
            else _("Issued as version 1; it is not computed again afterwards.")
        )
        return "\n".join([head, *lines, total, version])

    def issue_job(
        self, inputs: TransferInputs, doc_no: str, doc_date: date, reason: str
    ) -> Callable[[], Outcome[IssuedTransfer]]:
        """The issuing work (task runner): the figures are saved, then issued."""
        from mibdesk.core.services.city.transfer_issue import issue
        from mibdesk.core.services.city.transfers import save_inputs

        ctx, year, scheme = self._ctx, self.year, self.scheme
        replaces = self.issued.version if self.issued else None

        def work() -> Outcome[IssuedTransfer]:
            save_inputs(ctx.store, ctx.actor, year, scheme, inputs)
            return issue(
                ctx.store,
                ctx.actor,
                ctx.profile,
                year,
                scheme,
                inputs,
                doc_no,
                doc_date,
                replaces=replaces,
                reason=reason,
            )

        return work

    def reload_issued(self) -> None:
        """The version in force again (issued or sent elsewhere); shown if nothing else is."""
        from mibdesk.core.services.city.transfer_issue import issued

        self.issued = issued(self._ctx.store, self.year, self.scheme)
        if self.result is None and self.issued is not None:
            self.result = self.issued.result

    def announce(self, outcome: Outcome[IssuedTransfer]) -> None:
        """The version issued: tell the other screens, show it."""
        self._ctx.hub.publish(outcome.changes)
        self.issued = outcome.value
        self.result = outcome.value.result

    def send_notices(
        self,
        on_done: Callable[[Outcome[list[Sending]]], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Send each county its notice of the version in force, on the task runner."""
        from mibdesk.core.services.exchange.sending_transfers import send_notices

        ctx, year, scheme = self._ctx, self.year, self.scheme
        ctx.tasks.run(
            lambda _progress: send_notices(ctx.store, ctx.actor, ctx.profile, year, scheme),
            on_done,
            on_error,
            label=_("Send the transfer notices"),
        )

    def sent(self, outcome: Outcome[list[Sending]]) -> str:
        """The notices went out: tell the other screens; what to say to the user."""
        self._ctx.hub.publish(outcome.changes)
        self.reload_issued()
        waiting = [item for item in outcome.value if item.waiting_because]
        if waiting:
            return _(
                "The notices are queued for {n} counties but wait on this computer: {why}"
            ).format(n=len(outcome.value), why=waiting[0].waiting_because)
        return _("Transfer notices sent to {n} counties.").format(n=len(outcome.value))
