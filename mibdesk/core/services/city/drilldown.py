"""Drilling into the consolidated figures: a line county by county, and one county's report
line by line, each figure with the revision and the package it came from."""

from __future__ import annotations

from dataclasses import dataclass

from mibdesk.core.catalog import Profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.monthly import Cell
from mibdesk.core.periods import Month
from mibdesk.core.repos import city as repo
from mibdesk.core.services.city.overview import county_figures
from mibdesk.core.services.store import Store


@dataclass(frozen=True)
class Received:
    """One revision of a county's report as the city received it."""

    revision: int  # 0 = the original, n = amendment n
    reason: str
    package_id: str
    sent_at: str
    received_at: str


@dataclass(frozen=True)
class CountyFigure:
    """One county's figure for a line (its own plus its townships'), and where it came from."""

    county: str
    name: str
    value: int | None
    source: Received


@dataclass(frozen=True)
class CountyLine:
    code: str
    name: str
    section: str
    unit: str  # persons | fen
    computed: bool
    value: int | None
    units: tuple[tuple[str, int], ...]  # (unit, value): '' the county itself, else a township


@dataclass(frozen=True)
class CountyReportView:
    county: str
    name: str
    scheme: str
    month: Month
    shown: Received  # the revision whose figures are shown (the latest unless asked)
    revisions: tuple[Received, ...]
    lines: tuple[CountyLine, ...]


def _received(head: repo.ReportHead) -> Received:
    return Received(head.revision, head.reason, head.package_id, head.sent_at, head.received_at)


def _latest(heads: list[repo.ReportHead]) -> dict[str, repo.ReportHead]:
    latest: dict[str, repo.ReportHead] = {}
    for head in heads:
        if head.office not in latest or head.revision > latest[head.office].revision:
            latest[head.office] = head
    return latest


def line_by_county(
    store: Store, profile: Profile, scheme: str, month: Month, line: str
) -> tuple[CountyFigure, ...]:
    """The line in every county's latest revision for the month (computed lines derived)."""
    scheme_profile = profile.scheme(scheme)
    scheme_profile.line(line)  # ProfileError for a line the scheme does not have
    with store.read() as session:
        names = {code: name for code, name, _status in repo.counties(session)}
        latest = _latest(repo.report_heads(session, [month.to_int()], scheme=scheme))
        sums = repo.line_sums(session, [h.id for h in latest.values()])
    cells: dict[int, dict[Cell, int]] = {h.id: {} for h in latest.values()}
    for report_id, code, total in sums:
        cells[report_id][Cell(code)] = total
    return tuple(
        CountyFigure(
            office,
            names.get(office, office),
            county_figures(scheme_profile, cells[head.id]).get(line),
            _received(head),
        )
        for office, head in sorted(latest.items())
    )


def county_report(
    store: Store,
    profile: Profile,
    county: str,
    scheme: str,
    month: Month,
    revision: int | None = None,
) -> CountyReportView:
    """One county's report for the month, line by line with its townships' figures; the
    latest revision unless `revision` names an earlier one."""
    scheme_profile = profile.scheme(scheme)
    with store.read() as session:
        names = {code: name for code, name, _status in repo.counties(session)}
        heads = repo.report_heads(session, [month.to_int()], office=county, scheme=scheme)
        if not heads:
            raise ValidationError(
                _("{county} has sent no {scheme} report for {month}.").format(
                    county=names.get(county, county), scheme=scheme_profile.name, month=month.label
                )
            )
        wanted = (
            heads[-1]
            if revision is None
            else next((h for h in heads if h.revision == revision), None)
        )
        if wanted is None:
            raise ValidationError(_("There is no revision {n} of this report.").format(n=revision))
        values = repo.unit_values(session, wanted.id)
    units: dict[str, list[tuple[str, int]]] = {}
    cells: dict[Cell, int] = {}
    for code, unit, value in values:
        units.setdefault(code, []).append((unit, value))
        cells[Cell(code, unit)] = value
    figures = county_figures(scheme_profile, cells)
    lines = tuple(
        CountyLine(
            line.code,
            line.name,
            line.section,
            line.unit,
            line.computed,
            figures.get(line.code),
            tuple(units.get(line.code, ())),
        )
        for line in scheme_profile.lines
    )
    return CountyReportView(
        county,
        names.get(county, county),
        scheme,
        month,
        _received(wanted),
        tuple(_received(h) for h in heads),
        lines,
    )
