"""Balance transfers at pooling and the yearly top-up, as the city works them out.

The rule is the profile's (`rules/settlement/transfers.py`): Shaoxing's common share
(000 附件 §3.4–3.5) or Jining's fixed 30 % (004 §4.5). The city types each county's retained
balance (and, for Shaoxing, what the pooled fund holds); citywide spending of the 12 months
before the transfer — the calendar year before `year` — is prefilled from the counties'
monthly reports the city holds (the latest revision of each), and can be typed over.

What the city typed is kept between sessions as one JSON setting (`INPUTS_KEY`, in the office
database, audited as a settings change): year/scheme → pooled fund, spending and balances.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from mibdesk.core.catalog import Profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.monthly import Cell
from mibdesk.core.periods import Month
from mibdesk.core.repos import audit, office
from mibdesk.core.repos import city as repo
from mibdesk.core.rules.settlement.transfers import (
    RetainedBalance,
    TransferInput,
    TransferResult,
    balance_transfer,
)
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.city.overview import county_figures
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.store import Store

INPUTS_KEY = "city_transfer_inputs"
MONTHS = 12


@dataclass(frozen=True)
class TransferRule:
    """What the profile asks: `method` "shaoxing_share" | "fixed_share"; `schemes` it covers;
    `needs_spending`: the city supplies citywide spending and the pooled fund (Shaoxing)."""

    method: str
    schemes: tuple[str, ...]
    needs_spending: bool
    source: str


def transfer_rule(profile: Profile) -> TransferRule | None:
    """The profile's transfer rule, or None when it has none (the screen says so)."""
    rule = profile.balance_transfer
    if rule.method == "shaoxing_share" and rule.months and rule.yearly_top_up:
        schemes = tuple(code for code in profile.scheme_codes if code in rule.months)
        return TransferRule(rule.method, schemes, True, rule.source)
    if rule.method == "fixed_share" and rule.share and rule.schemes:
        schemes = tuple(code for code in profile.scheme_codes if code in rule.schemes.value)
        return TransferRule(rule.method, schemes, False, rule.source)
    return None


@dataclass(frozen=True)
class CitySpending:
    """Citywide expenditure of the 12 months before the transfer, from the stored reports."""

    amount: int
    months: tuple[Month, ...]  # the months of the year before `year`
    reported: tuple[Month, ...]  # those with at least one county's report
    reports: int  # county-month reports summed


def citywide_spending(store: Store, profile: Profile, scheme: str, year: int) -> CitySpending:
    """Σ over counties and the months of `year` − 1 of the scheme's expenditure total (the
    latest revision of each county's monthly report)."""
    scheme_profile = profile.scheme(scheme)
    total_line = scheme_profile.total("expenditure").code
    months = tuple(Month(year - 1, m) for m in range(1, MONTHS + 1))
    with store.read() as session:
        heads = repo.report_heads(session, [m.to_int() for m in months], scheme=scheme)
        latest: dict[tuple[str, int], repo.ReportHead] = {}
        for head in heads:
            key = (head.office, head.period)
            if key not in latest or head.revision > latest[key].revision:
                latest[key] = head
        sums = repo.line_sums(session, [h.id for h in latest.values()])
    cells: dict[int, dict[Cell, int]] = {head.id: {} for head in latest.values()}
    for report_id, line, value in sums:
        cells[report_id][Cell(line)] = value
    amount = sum(county_figures(scheme_profile, c).get(total_line, 0) for c in cells.values())
    reported = tuple(sorted({Month.from_int(period) for _office, period in latest}))
    return CitySpending(amount, months, reported, len(latest))


@dataclass(frozen=True)
class County:
    code: str
    name: str


def transfer_counties(store: Store) -> list[County]:
    """The counties with an active registered key: those that transfer."""
    with store.read() as session:
        rows = repo.counties(session)
    active = {code: name for code, name, status in rows if status == "active"}
    return [County(code, name) for code, name in sorted(active.items())]


@dataclass(frozen=True)
class TransferInputs:
    """What the city typed for one year and scheme (int fen); None where nothing was typed."""

    pooled_fund: int = 0
    citywide_spending: int | None = None
    balances: Mapping[str, tuple[int, int | None]] = field(default_factory=dict)
    """county code → (retained balance, demand deposits or None)"""


def _stored(store: Store) -> dict[str, object]:
    with store.read() as session:
        raw = office.setting_values(session).get(INPUTS_KEY)
    value = json.loads(raw) if raw else {}
    return value if isinstance(value, dict) else {}


def saved_inputs(store: Store, year: int, scheme: str) -> TransferInputs:
    """What was saved for the year and scheme (empty inputs when nothing was)."""
    entry = _stored(store).get(f"{year}/{scheme}")
    if not isinstance(entry, dict):
        return TransferInputs()
    balances = {
        str(code): (int(pair[0]), None if pair[1] is None else int(pair[1]))
        for code, pair in dict(entry.get("balances", {})).items()
    }
    spending = entry.get("citywide_spending")
    return TransferInputs(
        int(entry.get("pooled_fund", 0)),
        None if spending is None else int(spending),
        balances,
    )


def save_inputs(
    store: Store, actor: Actor, year: int, scheme: str, inputs: TransferInputs
) -> Outcome[TransferInputs]:
    """Keep what the city typed (audited); ValidationError for a negative amount."""
    require(actor, Permission.ENTER)
    _check(inputs)
    key = f"{year}/{scheme}"
    everything = _stored(store)
    before = everything.get(key)
    entry = {
        "pooled_fund": inputs.pooled_fund,
        "citywide_spending": inputs.citywide_spending,
        "balances": {code: list(pair) for code, pair in sorted(inputs.balances.items())},
    }
    everything[key] = entry
    with store.write() as session:
        office.put_setting(session, INPUTS_KEY, json.dumps(everything, sort_keys=True))
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=actor.username,
            action="settings.change",
            entity="setting",
            entity_key=f"{INPUTS_KEY}/{key}",
            before=before,
            after=entry,
        )
    return Outcome(inputs, Changes.of(Area.SETTINGS, Area.AUDIT))


def _check(inputs: TransferInputs) -> None:
    amounts = [inputs.pooled_fund, inputs.citywide_spending or 0]
    for balance, demand in inputs.balances.values():
        amounts += [balance, demand or 0]
    if any(type(a) is not int or a < 0 for a in amounts):
        raise ValidationError(_("Amounts cannot be negative."))


def compute_transfers(
    store: Store, profile: Profile, year: int, scheme: str, inputs: TransferInputs
) -> TransferResult:
    """Every registered county's transfer for the scheme and year, with the working.

    ValidationError (nothing computed) when the profile has no rule for the scheme, a county
    has no balance typed, Shaoxing's citywide spending is missing, or an amount is negative."""
    _check(inputs)
    rule = transfer_rule(profile)
    if rule is None or scheme not in rule.schemes:
        raise ValidationError(_("The policy profile has no balance transfer rule for this scheme."))
    counties = transfer_counties(store)
    if not counties:
        raise ValidationError(_("The city has no registered counties yet."))
    balances = []
    for county in counties:
        typed = inputs.balances.get(county.code)
        if typed is None:
            raise ValidationError(
                _("Type the retained balance of {name}.").format(name=county.name),
                where=county.code,
            )
        balances.append(RetainedBalance(county.code, county.name, typed[0], typed[1]))
    spending = inputs.citywide_spending
    if rule.needs_spending and spending is None:
        raise ValidationError(_("Type the citywide spending of the last 12 months."))
    return balance_transfer(
        TransferInput(year, scheme, tuple(balances), inputs.pooled_fund, spending or 0), profile
    )
