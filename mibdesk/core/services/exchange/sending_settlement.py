"""The city's settlement notices (清算通知): once the head has finalised a year, one package
per county with that county's own figures and working in every settled scheme, and the
SHA-256 of the input file the settlement was computed from (kind `settlement_notice`,
docs/exchange-format.md). Its subject carries a one-line summary in Chinese (`summary`) that
both inboxes show without opening the notice."""

from __future__ import annotations

import re
from typing import Any

from mibdesk.core.catalog import Profile
from mibdesk.core.i18n import official
from mibdesk.core.money import format_fen
from mibdesk.core.repos import audit
from mibdesk.core.rules.settlement import CountySettlement
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Outcome
from mibdesk.core.services.city.settlement import SETTLEMENT_CHANGES
from mibdesk.core.services.city.settlement_run import Settlement, final
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.exchange.outbox import queue
from mibdesk.core.services.exchange.sending import SENT, Sending, try_deliver
from mibdesk.core.services.exchange.sending_city import require_registered
from mibdesk.core.services.store import Store

KIND = "settlement_notice"
SUMMARY_LIMIT = 80
"""A subject value's longest text (docs/exchange-format.md)."""


def notice_data(settled: Settlement, profile: Profile, county: str) -> dict[str, Any]:
    """What county `county` is told: its figures and working per scheme (int fen)."""
    names: dict[str, str] = {scheme.code: scheme.name for scheme in profile.schemes}
    result = settled.result
    return {
        "year": result.year,
        "profile": result.profile_id,
        "profile_version": result.profile_version,
        "method": result.method,
        "input_sha256": settled.input_sha256,
        "schemes": [
            _scheme(result.county(scheme.scheme, county), names.get(scheme.scheme, ""))
            for scheme in result.schemes
        ],
    }


def _scheme(item: CountySettlement, name: str) -> dict[str, Any]:
    return {
        "scheme": item.scheme,
        "name": name,
        "grade": item.grade or "",
        "income": item.income,
        "expenditure": item.expenditure,
        "surplus_to_pool": item.surplus_to_pool,
        "surplus_kept": item.surplus_kept,
        "county_caused": item.county_caused,
        "from_balance": item.from_balance,
        "from_reserve": item.from_reserve,
        "pooled_fund": item.pooled_fund,
        "county_finance": item.county_finance,
        "city_finance": item.city_finance,
        "remit_to_city": item.remit_to_city,
        "balance_before": item.balance_before,
        "balance_after": item.balance_after,
        "reserve_before": item.reserve_before,
        "reserve_after": item.reserve_after,
        "working": [
            {"label": s.label, "amount": s.amount, "rule": s.rule, "source": s.source}
            for s in item.working
        ],
    }


def summary(data: dict[str, Any]) -> str:
    """One line per notice, e.g. ``职工基本医疗保险：县财政承担 53,000.00 元；城乡居民基本医疗保险：
    结余上解 30,000.00 元``: per scheme what the county's finance pays for a deficit (or that
    the fund covers it), or where a surplus went. Schemes that no longer fit in
    `SUMMARY_LIMIT` characters are left to the notice itself (``…``)."""
    parts = []
    for item in data["schemes"]:
        name = re.sub(r"（[^）]*）", "", item["name"]) or item["scheme"]
        parts.append(f"{name}：{_scheme_summary(item)}")
    text = ""
    for part in parts:
        joined = f"{text}；{part}" if text else part
        if len(joined) > SUMMARY_LIMIT - 1:
            return f"{text or part[: SUMMARY_LIMIT - 1]}…"
        text = joined
    return text


def _scheme_summary(item: dict[str, Any]) -> str:
    pays = item["county_caused"] + item["county_finance"] + item["remit_to_city"]
    if item["expenditure"] > item["income"]:
        if pays:
            return f"县财政承担 {format_fen(pays)} 元"
        return f"缺口 {format_fen(item['expenditure'] - item['income'])} 元，县财政不承担"
    if item["surplus_to_pool"]:
        return f"结余上解 {format_fen(item['surplus_to_pool'])} 元"
    return f"结余留用 {format_fen(item['surplus_kept'])} 元"


def send_notices(store: Store, actor: Actor, profile: Profile, year: int) -> Outcome[list[Sending]]:
    """One notice per county of the finalised settlement, in one transaction; audited.

    Refused: not the head; a year not finalised; a county of the settlement whose key the
    city has not registered (nothing is sent then)."""
    require(actor, Permission.APPROVE)
    with official():  # the working goes out in Chinese, whatever the interface language
        settled = final(store, profile, year)
    codes = [county.code for county in settled.sheet.counties]
    require_registered(store, codes)
    with store.write() as session:
        sent = []
        for code in codes:
            data = notice_data(settled, profile, code)
            subject: dict[str, str | int] = {"year": year, "summary": summary(data)}
            sent.append(queue(store, actor.username, code, KIND, subject, data))
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=actor.username,
            action="settlement.notices",
            entity="settlement_sheet",
            entity_key=str(year),
            after={"counties": codes, "input_sha256": settled.input_sha256},
        )
    return Outcome([try_deliver(store, item) for item in sent], SENT | SETTLEMENT_CHANGES)
