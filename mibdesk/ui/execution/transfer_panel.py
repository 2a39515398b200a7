"""The 余额上划 tab of the quota execution screen: the city's transfer notice (余额上划通知)
for the year and scheme shown, as the county received it: the county's retained balance,
what it transfers (at once, and what follows when its time deposits mature), what it keeps,
under the city's document number and date, then every step of the working with its rule
and source: the city's steps (how the share was found), then the county's own.

Read with `services.transfer_notices.transfer_notices` (newest first: a corrected transfer
comes as a new version and replaces the earlier ones); nothing here computes a transfer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import QWidget

from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen
from mibdesk.core.services.exchange.overview import when
from mibdesk.core.services.transfer_notices import TransferNotice
from mibdesk.ui.execution.notice_panel import AmountRow, NoticePanel, sender


def kept_label(notice: TransferNotice) -> str:
    """What the county keeps, named as the city's rule names it: Shaoxing's share leaves it
    with the county (县区继续暂存), Jining's fixed share freezes it (暂存县区财政专户)."""
    if notice.method == "fixed_share":
        return _("Kept frozen in the county's account")
    return _("Retained by the county")


def amount_rows(notice: TransferNotice) -> list[AmountRow]:
    """Balance, transfer (split into now and at maturity when part of it waits for time
    deposits), what the county keeps. Transfer + kept = balance."""
    rows: list[AmountRow] = [
        (_("The county's retained balance"), notice.balance, False),
        (_("Transferred to the city"), notice.transfer, True),
    ]
    if notice.deferred:
        rows += [
            (_("of which now, from demand deposits"), notice.now, False),
            (_("of which when time deposits mature"), notice.deferred, False),
        ]
    rows.append((kept_label(notice), notice.remaining, True))
    return rows


def heading_text(notice: TransferNotice) -> str:
    """e.g. 职工基本医疗保险 2027 年余额上划：绍兴市医疗保障事务中心（330600）绍医保〔2027〕3号，
    2027-01-15；2027-01-16 09:00 收到"""
    return _(
        "{scheme}, balance transfer of {year}: {city}, document {doc_no} of {date}; received {at}"
    ).format(
        scheme=notice.scheme_name,
        year=notice.year,
        city=sender(notice.city, notice.city_name),
        doc_no=notice.doc_no,
        date=notice.doc_date.isoformat(),
        at=when(notice.received_at),
    )


def detail_text(notice: TransferNotice) -> str:
    """The city's total, and why this version was issued when it corrects an earlier one."""
    text = _("All counties transfer {total} yuan to the city.").format(
        total=format_fen(notice.city_total)
    )
    if notice.reason:
        text += " " + _("Reason for this version: {reason}").format(reason=notice.reason)
    return text


def version_text(notice: TransferNotice, earlier: int) -> str:
    """The version, and how many earlier notices of the scheme it replaces."""
    text = _("Version {version} of the city's transfer.").format(version=notice.version)
    if earlier:
        text += " " + _("It replaces {n} earlier notice(s) for this year.").format(n=earlier)
    return text


class TransferPanel(NoticePanel):
    """The newest transfer notice of a year for one scheme; `show_notice` fills it."""

    def __init__(self, titles: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__("transfer", titles, parent)

    def show_notice(self, found: Sequence[TransferNotice], scheme: str) -> bool:
        """Show the newest of `found` (the year's notices, newest first) for `scheme`;
        False when there is none for it (the tab is hidden then)."""
        mine = [notice for notice in found if notice.scheme == scheme]
        if not mine:
            self.clear()
            return False
        notice = mine[0]
        self.show_parts(
            heading_text(notice),
            amount_rows(notice),
            detail_text(notice),
            (*notice.city_working, *notice.working),
            version_text(notice, len(mine) - 1),
        )
        return True
