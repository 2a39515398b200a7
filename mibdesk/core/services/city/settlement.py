"""The city's year-end settlement worksheet (年终清算工作底稿) of a year.

Per county and per settled scheme (every scheme the profile pools), the year's income and
expenditure are *read* from the counties' monthly reports the city holds, never typed: the
latest revision of each month, the section totals of the report catalog (基金收入合计 and
基金支出合计, `SchemeProfile.total`), which are month amounts (flows), so the year is the sum
of its twelve months. Only what the city alone knows is typed and stored: each county's
assessment grade (where the profile's rules use one), and per scheme its accumulated
balance, the part of this year's deficit it caused (少收多支) and its risk reserve (where the
rules draw on one); per scheme the pooled fund before this settlement.

A worksheet is a draft until the head finalises it (`settlement_run.finalise`); a final one
no longer changes. Each typed value is checked as it is saved, with the messages of the
settlement input file (`rules/settlement/input_file.py`); what is still missing is listed by
`missing` and refused by the computation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from mibdesk.core.catalog import Profile
from mibdesk.core.catalog.values import FrozenMap
from mibdesk.core.db.settlement_models import SettlementSheet
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen
from mibdesk.core.monthly import Cell
from mibdesk.core.repos import audit
from mibdesk.core.repos import city as city_repo
from mibdesk.core.repos import settlement as repo
from mibdesk.core.repos.settlement import EntryKey
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.city.overview import county_figures
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.store import Store

SETTLEMENT_CHANGES = Changes.of(Area.SETTLEMENT, Area.AUDIT)
AMOUNT_FIELDS = ("balance", "county_caused", "risk_reserve")
"""What the city types per county and scheme (int fen)."""
GRADE, POOLED = "grade", "pooled_fund"


@dataclass(frozen=True)
class CountyFigures:
    """One county's year in one scheme: read from its reports, and typed by the city."""

    income: int | None  # Σ 基金收入合计 of the months received; None when none arrived
    expenditure: int | None
    months: tuple[int, ...]  # the months whose report arrived
    balance: int | None
    county_caused: int | None
    risk_reserve: int | None

    @property
    def missing_months(self) -> tuple[int, ...]:
        return tuple(m for m in range(1, 13) if m not in self.months)

    @property
    def result(self) -> int | None:
        """Income − expenditure (negative: a deficit); None without figures."""
        if self.income is None or self.expenditure is None:
            return None
        return self.income - self.expenditure

    @property
    def deficit(self) -> int:
        return max(-(self.result or 0), 0)


@dataclass(frozen=True)
class WorksheetCounty:
    code: str
    name: str
    grade: str | None
    schemes: Mapping[str, CountyFigures]

    def __post_init__(self) -> None:
        object.__setattr__(self, "schemes", FrozenMap(self.schemes))

    @property
    def label(self) -> str:
        return _("county {code} ({name})").format(code=self.code, name=self.name)


@dataclass(frozen=True)
class Worksheet:
    """A year's worksheet. `status`: new (nothing typed yet), draft or final."""

    year: int
    profile_id: str
    city_name: str
    schemes: tuple[str, ...]
    grades: tuple[str, ...]  # the profile's grades, best first; () where none are used
    uses_reserve: bool
    pooled: Mapping[str, int | None]
    counties: tuple[WorksheetCounty, ...]
    status: str
    saved_by: str
    saved_at: str
    finalised_by: str
    finalised_at: str
    input_sha256: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "pooled", FrozenMap(self.pooled))

    @property
    def uses_grade(self) -> bool:
        return bool(self.grades)

    def county(self, code: str) -> WorksheetCounty:
        for county in self.counties:
            if county.code == code:
                return county
        raise KeyError(code)


def grades_of(profile: Profile) -> tuple[str, ...]:
    block = profile.settlement.shaoxing
    return tuple(block.grades.value) if block is not None else ()


def uses_reserve(profile: Profile) -> bool:
    block = profile.settlement.suzhou
    return block is not None and "risk_reserve" in block.local_funds.value


def worksheet(store: Store, profile: Profile, year: int) -> Worksheet:
    """The year's worksheet: figures from the reports, typed values, the sheet's state."""
    with store.read() as session:
        registered = city_repo.counties(session)
        heads = repo.latest_reports(session, year)
        sums = repo.year_line_sums(session, [h.id for h in heads])
        row = repo.sheet(session, year)
        typed = repo.entries(session, row.id) if row is not None else {}
    names = {code: name for code, name, _status in registered}
    active = {code for code, _name, status in registered if status == "active"}
    years = _year_totals(profile, heads, sums)
    codes = sorted(active | {h.office for h in heads if h.scheme in profile.scheme_codes})
    counties = []
    for code in codes:
        schemes = {}
        for scheme in profile.scheme_codes:
            income, expenditure, months = years.get((code, scheme), (None, None, ()))
            amounts = [typed.get((code, scheme, name)) for name in AMOUNT_FIELDS]
            schemes[scheme] = CountyFigures(
                income,
                expenditure,
                months,
                *(value if isinstance(value, int) else None for value in amounts),
            )
        grade = typed.get((code, "", GRADE))
        counties.append(
            WorksheetCounty(
                code, names.get(code, code), grade if isinstance(grade, str) else None, schemes
            )
        )
    pooled = {
        scheme: value if isinstance(value := typed.get(("", scheme, POOLED)), int) else None
        for scheme in profile.scheme_codes
    }
    return Worksheet(
        year=year,
        profile_id=profile.id,
        city_name=profile.name,
        schemes=tuple(profile.scheme_codes),
        grades=grades_of(profile),
        uses_reserve=uses_reserve(profile),
        pooled=pooled,
        counties=tuple(counties),
        status=row.status if row is not None else "new",
        saved_by=row.saved_by if row is not None else "",
        saved_at=row.saved_at if row is not None else "",
        finalised_by=row.finalised_by if row is not None else "",
        finalised_at=row.finalised_at if row is not None else "",
        input_sha256=row.input_sha256 if row is not None else "",
    )


def _year_totals(
    profile: Profile,
    heads: list[city_repo.ReportHead],
    sums: Mapping[tuple[str, str, str], int],
) -> dict[tuple[str, str], tuple[int, int, tuple[int, ...]]]:
    """(county, scheme) → (Σ income total, Σ expenditure total, months received).

    `sums` are the year's input lines per county and scheme (Σ over the months' latest
    revisions). The section totals are sums of lines, so the total of the summed months is
    the sum of the months' totals: each county's totals are derived once, not per month."""
    months: dict[tuple[str, str], list[int]] = defaultdict(list)
    for head in sorted(heads, key=lambda h: h.period):
        if head.scheme in profile.scheme_codes:
            months[(head.office, head.scheme)].append(head.period % 100)
    cells: dict[tuple[str, str], dict[Cell, int]] = defaultdict(dict)
    for (office, scheme_code, line), total in sums.items():
        cells[(office, scheme_code)][Cell(line)] = total
    found: dict[tuple[str, str], tuple[int, int, tuple[int, ...]]] = {}
    for (office, scheme_code), received in months.items():
        scheme = profile.scheme(scheme_code)
        values = county_figures(scheme, cells.get((office, scheme_code), {}))
        income = values.get(scheme.total("income").code, 0)
        spent = values.get(scheme.total("expenditure").code, 0)
        found[(office, scheme_code)] = (income, spent, tuple(received))
    return found


def check_entry(
    profile: Profile, sheet: Worksheet, key: EntryKey, value: int | str | None
) -> int | str | None:
    """The value to store for `key` (None clears it); ValidationError naming the county, the
    scheme and the field when the city's rules refuse it (the input file's messages)."""
    county_code, scheme, field = key
    if value is None or value == "":
        return None
    if field == POOLED:
        if scheme not in sheet.schemes or county_code:
            raise ValidationError(_("{city} does not pool this scheme").format(city=profile.name))
        return _amount(value, _("scheme {scheme}").format(scheme=scheme))
    county = sheet.county(county_code)
    if field == GRADE:
        return _grade(profile, sheet, county, str(value))
    if field not in AMOUNT_FIELDS or scheme not in sheet.schemes:
        raise ValidationError(_("This cell cannot be changed"))
    at = _("{county}, scheme {scheme}").format(county=county.label, scheme=scheme)
    if field == "risk_reserve" and not sheet.uses_reserve:
        raise ValidationError(
            _("{at}: {problem}").format(
                at=at, problem=_("risk_reserve is not used by this city's settlement; remove it")
            )
        )
    amount = _amount(value, at)
    deficit = county.schemes[scheme].deficit
    if field == "county_caused" and amount > deficit:
        raise ValidationError(
            _("{at}: {problem}").format(
                at=at,
                problem=_(
                    "county_caused {caused} is more than the year's deficit {deficit}: enter the "
                    "part of the deficit the county caused"
                ).format(caused=format_fen(amount), deficit=format_fen(deficit)),
            )
        )
    return amount


def _amount(value: int | str, at: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(_("{at}: {problem}").format(at=at, problem=_("not an amount")))
    if value < 0:
        raise ValidationError(_("{at}: {problem}").format(at=at, problem=_("cannot be negative")))
    return value


def _grade(profile: Profile, sheet: Worksheet, county: WorksheetCounty, grade: str) -> str:
    grade = grade.strip()
    if not sheet.uses_grade:
        problem = _("{city}'s settlement uses no assessment grade; remove it").format(
            city=profile.name
        )
    elif grade not in sheet.grades:
        problem = _("unknown assessment grade {grade} (one of {grades})").format(
            grade=grade, grades="、".join(sheet.grades)
        )
    else:
        return grade
    raise ValidationError(_("{at}: {problem}").format(at=county.label, problem=problem))


def save(
    store: Store,
    actor: Actor,
    profile: Profile,
    year: int,
    edits: Mapping[EntryKey, int | str | None],
) -> Outcome[Worksheet]:
    """Store typed values (None clears one) in the year's draft, all or none; audited.

    Refused: a final worksheet; a value `check_entry` refuses (nothing is stored then).
    """
    require(actor, Permission.ENTER)
    sheet = worksheet(store, profile, year)
    if sheet.status == "final":
        raise ValidationError(
            _("The {year} settlement is final; its worksheet can no longer change.").format(
                year=year
            )
        )
    checked = {key: check_entry(profile, sheet, key, value) for key, value in edits.items()}
    at = stamp(store.clock())
    with store.write() as session:
        row = _draft_row(session, year, actor.username, at)
        for key, value in checked.items():
            repo.put_entry(session, row.id, key, value)
        audit.append(
            session,
            at=at,
            actor=actor.username,
            action="settlement.save",
            entity="settlement_sheet",
            entity_key=str(year),
            after={"/".join(key): value for key, value in checked.items()},
        )
    return Outcome(worksheet(store, profile, year), SETTLEMENT_CHANGES)


def _draft_row(session: Session, year: int, username: str, at: str) -> SettlementSheet:
    row = repo.sheet(session, year)
    if row is None:
        row = SettlementSheet(year=year, status="draft", saved_by=username, saved_at=at)
        session.add(row)
        session.flush()
    row.saved_by, row.saved_at = username, at
    return row


def missing(sheet: Worksheet) -> list[str]:
    """What keeps the worksheet from being settled, one sentence each (empty: complete)."""
    found: list[str] = []
    if not sheet.counties:
        found.append(
            _(
                "No county to settle: the city has registered no county and received no report "
                "of {year}."
            ).format(year=sheet.year)
        )
    for scheme in sheet.schemes:
        if sheet.pooled.get(scheme) is None:
            found.append(
                _("scheme {scheme}: the pooled fund before this settlement is not entered").format(
                    scheme=scheme
                )
            )
    for county in sheet.counties:
        if sheet.uses_grade and county.grade is None:
            found.append(
                _("{at}: {problem}").format(
                    at=county.label,
                    problem=_("the assessment grade is missing (one of {grades})").format(
                        grades="、".join(sheet.grades)
                    ),
                )
            )
        for scheme, figures in county.schemes.items():
            found.extend(_missing_figures(sheet, county, scheme, figures))
    return found


def _missing_figures(
    sheet: Worksheet, county: WorksheetCounty, scheme: str, figures: CountyFigures
) -> list[str]:
    at = _("{county}, scheme {scheme}").format(county=county.label, scheme=scheme)
    found = []
    if not figures.months:
        found.append(_("no monthly report of {year} has arrived").format(year=sheet.year))
    elif figures.missing_months:
        found.append(
            _("the reports of month(s) {months} of {year} have not arrived").format(
                months="、".join(str(m) for m in figures.missing_months), year=sheet.year
            )
        )
    if figures.balance is None:
        found.append(_("the accumulated balance is not entered"))
    if figures.county_caused is None and figures.deficit:
        found.append(_("the part of the deficit the county caused is not entered (0.00 when none)"))
    if sheet.uses_reserve and figures.risk_reserve is None:
        found.append(_("the risk reserve is not entered"))
    return [_("{at}: {problem}").format(at=at, problem=problem) for problem in found]
