"""Packages the city applies: counties' monthly reports (and amendments) and fund-use plans.

What a county sends is kept as it was sent, each revision beside the earlier ones, with the
package it came from; the city never retypes a number.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.repos import audit, city
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.exchange.arrival import Arrival, Kind, Payload
from mibdesk.core.services.exchange.kinds_county import Code, Fen, LineCode, Period, Text

Unit = Annotated[str, StringConstraints(pattern=r"^(\d{9})?$")]
Attachment = Annotated[str, StringConstraints(pattern=r"^(payload/[a-z0-9][a-z0-9_.-]{0,60})?$")]
RECEIVED = Changes.of(Area.FIGURES, Area.PLANS, Area.AUDIT)


class ReportValue(Payload):
    line: LineCode
    unit: Unit = ""
    value: Fen


class MonthlyReportPayload(Payload):
    scheme: Code
    period: Period
    revision: Annotated[int, Field(ge=0, le=999)]
    reason: Text = ""
    sent_at: Annotated[str, StringConstraints(max_length=40)]
    values: Annotated[list[ReportValue], Field(max_length=20000)]


def _monthly_report(arrival: Arrival, data: MonthlyReportPayload) -> Changes:
    if data.revision > 0 and not data.reason.strip():
        raise ValidationError(_("An amendment must give its reason."), where=arrival.source)
    with arrival.store.write() as session:
        head: dict[str, object] = {
            "office": arrival.sender,
            "scheme": data.scheme,
            "period": data.period,
            "revision": data.revision,
            "reason": data.reason.strip(),
            "package_id": arrival.package_id,
            "sent_at": data.sent_at,
            "received_at": arrival.received_at,
        }
        # Plain INSERTs, the values in one executemany: a report has hundreds of figures.
        values: list[dict[str, object]] = [
            {"line": v.line, "unit": v.unit, "value": v.value} for v in data.values
        ]
        if city.add_report(session, head, values) is None:
            raise ValidationError(
                _("Revision {n} of this report was already received.").format(n=data.revision),
                where=arrival.source,
            )
        audit.append(
            session,
            at=arrival.received_at,
            actor=arrival.actor.username,
            action="county_report.receive",
            entity="county_report",
            entity_key=f"{arrival.sender}/{data.scheme}/{data.period}/r{data.revision}",
            after={"package": arrival.package_id, "values": len(data.values)},
            reason=data.reason,
        )
    return RECEIVED


class PlanLinePayload(Payload):
    line: LineCode
    requested: Annotated[int, Field(ge=0, le=10**14)]
    justification: Text = ""


class FundPlanPayload(Payload):
    scheme: Code
    period: Period
    version: Annotated[int, Field(ge=1, le=999)]
    submitted_at: Annotated[str, StringConstraints(max_length=40)]
    lines: Annotated[list[PlanLinePayload], Field(min_length=1, max_length=200)]
    pdf: Attachment = ""


def _fund_plan(arrival: Arrival, data: FundPlanPayload) -> Changes:
    if data.pdf and data.pdf not in arrival.members:
        raise ValidationError(_("The plan's PDF is not in the package."), where=arrival.source)
    with arrival.store.write() as session:
        head: dict[str, object] = {
            "office": arrival.sender,
            "scheme": data.scheme,
            "period": data.period,
            "version": data.version,
            "status": "submitted",
            "package_id": arrival.package_id,
            "pdf_file": data.pdf,
            "submitted_at": data.submitted_at,
            "received_at": arrival.received_at,
        }
        lines: list[dict[str, object]] = [
            {"line": ln.line, "requested": ln.requested, "justification": ln.justification}
            for ln in data.lines
        ]
        city.add_plan(session, head, lines)
        audit.append(
            session,
            at=arrival.received_at,
            actor=arrival.actor.username,
            action="county_plan.receive",
            entity="county_plan",
            entity_key=f"{arrival.sender}/{data.scheme}/{data.period}/v{data.version}",
            after={"package": arrival.package_id, "total": sum(ln.requested for ln in data.lines)},
        )
    return RECEIVED


COUNTY = frozenset({"county"})
CITY = frozenset({"city"})

KINDS = (
    Kind("monthly_report", MonthlyReportPayload, COUNTY, CITY, _monthly_report),
    Kind("fund_plan", FundPlanPayload, COUNTY, CITY, _fund_plan),
)
