"""Packages a county applies: from the city (quotas, decisions, money, calendar, profile) and
from its townships (their figures). Each handler runs the same service a person would use,
inside the import's one transaction."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from mibdesk.core.monthly import Cell
from mibdesk.core.periods import Month
from mibdesk.core.services import calendar, figures, plan_flow, quotas
from mibdesk.core.services.changes import Changes
from mibdesk.core.services.exchange.arrival import Arrival, Kind, Payload
from mibdesk.core.services.profiles import apply_profile_update, office_profile

Code = Annotated[str, StringConstraints(pattern=r"^[A-Z_]{2,10}$")]
LineCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.]{1,40}$")]
Day = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
Text = Annotated[str, StringConstraints(max_length=2000)]
Fen = Annotated[int, Field(ge=-(10**14), le=10**14)]
Period = Annotated[int, Field(ge=200001, le=210012)]


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _month(period: int) -> Month:
    return Month(period // 100, period % 100)


class QuotaPayload(Payload):
    scheme: Code
    year: Annotated[int, Field(ge=2000, le=2100)]
    line: Annotated[str, StringConstraints(max_length=40)] = ""
    amount: Fen
    doc_no: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    doc_date: Day
    reason: Text = ""  # an adjustment's reason; empty for the year's quota


def _quota(arrival: Arrival, data: QuotaPayload) -> Changes:
    profile = office_profile(arrival.store)
    args = (arrival.store, arrival.actor, profile, data.scheme, data.year, data.amount)
    if data.reason:
        outcome = quotas.record_adjustment(
            *args, data.doc_no, _day(data.doc_date), data.reason, line=data.line
        )
    else:
        outcome = quotas.record_quota(*args, data.doc_no, _day(data.doc_date), line=data.line)
    return outcome.changes


class DecisionLine(Payload):
    line: LineCode
    approved: Fen
    reason: Text = ""


class DecisionPayload(Payload):
    scheme: Code
    period: Period
    decision: Literal["approved", "reduced", "returned"]
    decided_on: Day
    note: Text = ""
    lines: Annotated[list[DecisionLine], Field(max_length=200, default_factory=list)]


def _decision(arrival: Arrival, data: DecisionPayload) -> Changes:
    reduced = {ln.line: (ln.approved, ln.reason) for ln in data.lines}
    outcome = plan_flow.record_decision(
        arrival.store,
        arrival.actor,
        office_profile(arrival.store),
        data.scheme,
        _month(data.period),
        data.decision,
        _day(data.decided_on),
        data.note,
        reduced if data.decision == "reduced" else None,
    )
    return outcome.changes


class DisbursementPayload(Payload):
    scheme: Code
    period: Period
    amount: Annotated[int, Field(ge=1, le=10**14)]
    received_on: Day


def _disbursement(arrival: Arrival, data: DisbursementPayload) -> Changes:
    outcome = plan_flow.record_disbursement(
        arrival.store,
        arrival.actor,
        office_profile(arrival.store),
        data.scheme,
        _month(data.period),
        data.amount,
        _day(data.received_on),
    )
    return outcome.changes


class TextPayload(Payload):
    """A document carried as its own text: a calendar file or a policy profile."""

    text: Annotated[str, StringConstraints(max_length=1_000_000)]


def _calendar(arrival: Arrival, data: TextPayload) -> Changes:
    return calendar.import_calendar(
        arrival.store, arrival.actor, data.text, where=arrival.source
    ).changes


def _profile(arrival: Arrival, data: TextPayload) -> Changes:
    return apply_profile_update(
        arrival.store, arrival.actor, data.text, where=arrival.source
    ).changes


class FigureValue(Payload):
    line: LineCode
    value: Annotated[int, Field(ge=-(10**14), le=10**14)] | None


class TownshipFiguresPayload(Payload):
    scheme: Code
    period: Period
    values: Annotated[list[FigureValue], Field(max_length=500)]


def _township_figures(arrival: Arrival, data: TownshipFiguresPayload) -> Changes:
    """The township's figures land in its column of the county's month, with provenance."""
    edits = {Cell(v.line, arrival.sender): v.value for v in data.values}
    outcome = figures.save_cells(
        arrival.store,
        arrival.actor,
        office_profile(arrival.store),
        data.scheme,
        _month(data.period),
        edits,
        source=arrival.source,
    )
    return outcome.changes


CITY = frozenset({"city"})
COUNTY = frozenset({"county"})

KINDS = (
    Kind("quota", QuotaPayload, CITY, COUNTY, _quota),
    Kind("plan_decision", DecisionPayload, CITY, COUNTY, _decision),
    Kind("disbursement", DisbursementPayload, CITY, COUNTY, _disbursement),
    Kind("calendar", TextPayload, CITY, COUNTY, _calendar),
    Kind("profile_update", TextPayload, CITY, COUNTY, _profile),
    Kind(
        "township_figures",
        TownshipFiguresPayload,
        frozenset({"township"}),
        COUNTY,
        _township_figures,
    ),
)
