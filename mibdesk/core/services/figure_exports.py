"""Workbooks out: the month's fill-in template, and the month or a year for people to read."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from mibdesk.core.catalog import Profile
from mibdesk.core.monthly import COUNTY
from mibdesk.core.periods import Month
from mibdesk.core.repos import figures as figure_repo
from mibdesk.core.services.figures import month_form
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import Store
from mibdesk.core.services.townships import list_townships


def export_template(
    store: Store,
    profile: Profile,
    scheme: str,
    month: Month,
    path: Path,
    units: tuple[str, ...] | None = None,
) -> Path:
    """The month's fill-in template for `units` ("" = the county itself, or township codes;
    default: the county and every active township), prefilled with what is stored."""
    from mibdesk.core.excel.template import TEMPLATE_VERSION, TemplateIdentity, write_template

    info = office_info(store)
    townships = list_townships(store)
    chosen = units if units is not None else (COUNTY, *(t.code for t in townships))
    identity = TemplateIdentity(
        office_code=info.code,
        office_name=info.name,
        period=month,
        scheme=scheme,
        template_version=TEMPLATE_VERSION,
        units=chosen,
    )
    scheme_profile = profile.scheme(scheme)
    township_lines = {line.code for line in scheme_profile.township_lines}
    form = month_form(store, profile, scheme, month)
    values = {
        cell: value
        for cell, value in form.cells.items()
        if cell.unit in chosen and (cell.unit == COUNTY or cell.line in township_lines)
    }
    write_template(path, identity, scheme_profile, {t.code: t.name for t in townships}, values)
    return path


def export_month_workbook(
    store: Store, profile: Profile, scheme: str, month: Month, path: Path
) -> Path:
    """The month's report as a readable workbook: figure, year to date, last year, change."""
    from mibdesk.core.excel.workbook import ReportRow, write_month_workbook

    info = office_info(store)
    form = month_form(store, profile, scheme, month)
    rows = [
        ReportRow(
            line=row.line,
            name=row.name,
            unit=row.unit_kind,
            value=row.value,
            ytd=row.ytd,
            last_year=row.last_year,
            change=(
                Decimal(row.change) / Decimal(row.last_year)
                if row.change is not None and row.last_year
                else None
            ),
            computed=row.computed,
        )
        for row in form.rows
    ]
    write_month_workbook(path, info.name, info.code, profile.scheme(scheme), month, rows)
    return path


def export_year_workbook(store: Store, profile: Profile, year: int, path: Path) -> Path:
    """Every pooled scheme's months of `year` in one workbook, a sheet per scheme."""
    from mibdesk.core.excel.workbook import write_year_workbook

    info = office_info(store)
    found: dict[str, dict[Month, dict[str, int]]] = {}
    with store.read() as session:
        for scheme in profile.schemes:
            totals = figure_repo.county_totals_between(
                session, scheme.code, Month(year, 1).to_int(), Month(year, 12).to_int()
            )
            found[scheme.code] = {Month.from_int(p): v for p, v in totals.items()}
    write_year_workbook(path, info.name, info.code, year, profile.schemes, found)
    return path
