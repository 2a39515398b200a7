"""The 年度清算 tab of the quota execution screen: the city's settlement notice (清算通知) for
the year and scheme shown, as the county received it: the year's surplus and what became of
it, or the deficit and who pays each part (the county's balance and reserve, the pooled fund,
county finance, city finance), then every step of the working with its rule and source.

Read with `services.settlement_notices.notices` (newest first: a corrected settlement comes
as a new notice and replaces the earlier one); nothing here computes a settlement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import QWidget

from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen
from mibdesk.core.services.exchange.overview import when
from mibdesk.core.services.settlement_notices import Notice, NoticeScheme
from mibdesk.ui.execution.notice_panel import AmountRow, NoticePanel, sender


def payer_rows(item: NoticeScheme) -> list[AmountRow]:
    """The scheme's year in lines: the result, then where a surplus went or who covers each
    part of a deficit (lines without an amount left out), then what the county's finance pays
    in all. The deficit lines add up to the deficit."""
    rows: list[AmountRow] = [
        (_("Fund income"), item.income, False),
        (_("Fund expenditure"), item.expenditure, False),
    ]
    if item.deficit == 0:
        rows += [
            (_("Surplus of the year"), item.surplus, True),
            (_("Paid into the city's pooled fund"), item.surplus_to_pool, False),
            (_("Kept by the county"), item.surplus_kept, False),
        ]
    else:
        parts = (
            (_("Caused by the county: paid by county finance"), item.county_caused),
            (_("From the county's accumulated balance"), item.from_balance),
            (_("From the county's risk reserve"), item.from_reserve),
            (_("From the city's pooled fund"), item.pooled_fund),
            (_("County finance's share"), item.county_finance),
            (_("City finance's share"), item.city_finance),
        )
        rows.append((_("Deficit of the year"), item.deficit, True))
        rows += [(text, amount, False) for text, amount in parts if amount]
    if item.remit_to_city:
        rows.append((_("Remitted by county finance to city finance"), item.remit_to_city, False))
    rows.append((_("County finance pays in all"), item.county_pays, True))
    return rows


def balance_sentence(item: NoticeScheme) -> str:
    """The county's balance (and risk reserve, where it has one) before and after."""
    text = _("Accumulated balance {before} → {after} yuan").format(
        before=format_fen(item.balance_before), after=format_fen(item.balance_after)
    )
    if item.reserve_before or item.reserve_after:
        text += _("; risk reserve {before} → {after} yuan").format(
            before=format_fen(item.reserve_before), after=format_fen(item.reserve_after)
        )
    return text


def heading_text(notice: Notice, item: NoticeScheme) -> str:
    """e.g. 职工基本医疗保险 2025 年度清算：绍兴市医疗保障事务中心（330600）的清算通知，
    2026-03-05 10:00 收到；考核等次 优秀"""
    text = _("{scheme}, settlement of {year}: notice from {city} received {at}").format(
        scheme=item.name,
        year=notice.year,
        city=sender(notice.city, notice.city_name),
        at=when(notice.received_at),
    )
    if item.grade:
        text += _("; assessment grade {grade}").format(grade=item.grade)
    return text


def source_text(notice: Notice, earlier: int) -> str:
    """Where the figures come from, and how many earlier notices this one replaces."""
    text = _(
        "Computed under policy profile {profile} version {version} from the input file with "
        "SHA-256 {digest}."
    ).format(profile=notice.profile, version=notice.profile_version, digest=notice.input_sha256)
    if earlier:
        text += " " + _("It replaces {n} earlier notice(s) for this year.").format(n=earlier)
    return text


class SettlementPanel(NoticePanel):
    """The newest notice of a year for one scheme; `show_notice` fills it. `payers` is the
    who-pays-what table, `balance` the note on the county's balance."""

    def __init__(self, titles: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__("settlement", titles, parent)
        self.payers, self.balance = self.amounts, self.detail

    def show_notice(self, found: Sequence[Notice], scheme: str) -> bool:
        """Show the newest of `found` (the year's notices, newest first) for `scheme`;
        False when there is none for it (the tab is hidden then)."""
        item = found[0].scheme(scheme) if found else None
        if item is None:
            self.clear()
            return False
        notice = found[0]
        self.show_parts(
            heading_text(notice, item),
            payer_rows(item),
            balance_sentence(item),
            item.working,
            source_text(notice, len(found) - 1),
        )
        return True
