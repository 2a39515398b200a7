"""The official forms as layouts, built from the services' plain data (always in Chinese)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mibdesk.core.catalog import Profile
from mibdesk.core.catalog.profile import FormCodes
from mibdesk.core.periods import Month
from mibdesk.core.reports.layout import CellValue, Column, FormLayout, Row, Signatories, TableBlock
from mibdesk.core.services.execution import SchemeExecution
from mibdesk.core.services.figures import FormRow, MonthForm
from mibdesk.core.services.plans import PlanView
from mibdesk.core.services.setup import OfficeInfo
from mibdesk.core.services.township_figures import TownshipBreakdown

VERSION = "1"
"""The forms' layout version, printed beside the 表号 (which the profile gives)."""


@dataclass(frozen=True)
class CoverItem:
    """One document listed on a 报送单."""

    title: str
    copies: int = 1
    pages: int | None = None
    fingerprint: str = ""
    note: str = ""


def _figure(row: FormRow, value: int | None) -> CellValue:
    """Persons are counts, money is fen: pre-formatted so one column can hold both."""
    if value is None:
        return None
    if row.unit_kind == "persons":
        return f"{value:,}"
    return value


def monthly_report_layout(
    office_info: OfficeInfo,
    profile: Profile,
    form: MonthForm,
    breakdown: TownshipBreakdown | None,
    names: Signatories,
) -> FormLayout:
    """月报表: every line with 本月数, 本年累计, 上年同月, 增减; then the township breakdown."""
    scheme = profile.scheme(form.scheme)
    columns = (
        Column("no", "行次", 6),
        Column("name", "项目", 28),
        Column("unit", "单位", 6),
        Column("value", "本月数", 15, "fen"),
        Column("ytd", "本年累计", 18, "fen"),  # a year of a scheme: billions of yuan
        Column("last_year", "上年同月", 15, "fen"),
        Column("change", "增减", 15, "fen"),
    )
    rows = tuple(
        Row(
            {
                "no": str(index),
                "name": row.name,
                "unit": "人" if row.unit_kind == "persons" else "元",
                "value": _figure(row, row.value),
                "ytd": _figure(row, row.ytd),
                "last_year": _figure(row, row.last_year),
                "change": _figure(row, row.change),
            },
            bold=row.computed,
        )
        for index, row in enumerate(form.rows, start=1)
    )
    tables = [TableBlock(columns, rows)]
    if breakdown is not None and breakdown.lines:
        tables.append(_township_table(profile, form.scheme, breakdown))
    return FormLayout(
        title=f"{scheme.name}月报表",
        form_code=profile.form_codes.monthly_report,
        form_version=VERSION,
        unit_name=office_info.name,
        unit_code=office_info.code,
        period=form.month.label,
        tables=tuple(tables),
        notes=tuple(f"{_line_name(form, k)}：{v}" for k, v in form.explanations.items() if v),
        signatories=names,
    )


def _line_name(form: MonthForm, line: str) -> str:
    return next((r.name for r in form.rows if r.line == line), line)


def _township_table(profile: Profile, scheme_code: str, breakdown: TownshipBreakdown) -> TableBlock:
    scheme = profile.scheme(scheme_code)
    kinds = {line.code: line for line in scheme.lines}
    columns = [Column("unit", "乡镇（街道）", 13)]
    for code in breakdown.lines:
        money = kinds[code].unit == "fen" if code in kinds else False
        name = kinds[code].name if code in kinds else code
        columns.append(Column(code, name, 16 if money else 11, "fen" if money else "count"))
    units = [(t.code, t.name) for t in breakdown.townships] + [("", "县本级")]
    rows = []
    for unit, name in units:
        values: dict[str, CellValue] = {"unit": name}
        for cell, value in breakdown.cells.items():
            if cell.unit == unit:
                values[cell.line] = value
        rows.append(Row(values))
    totals: dict[str, CellValue] = {"unit": "合计"}
    totals.update({code: breakdown.total(code) for code in breakdown.lines})
    return TableBlock(tuple(columns), tuple(rows), "分乡镇（街道）明细", Row(totals, bold=True))


def fund_plan_layout(
    office_info: OfficeInfo, profile: Profile, view: PlanView, names: Signatories
) -> FormLayout:
    """用款计划申请表: per line the quota, received, spent, last month, the request and reason."""
    scheme = profile.scheme(view.scheme)
    last = view.compared_month.label if view.compared_month else "上月"
    columns = (
        Column("no", "行次", 5),
        Column("name", "项目", 18),
        Column("quota", "年度定额", 12, "fen"),
        Column("received", "本年已拨付", 12, "fen"),
        Column("spent", "本年已支出", 12, "fen"),
        Column("last_plan", f"上月计划\n（{last}）", 12, "fen"),
        Column("last_actual", f"上月实际\n（{last}）", 12, "fen"),
        Column("requested", "申请额", 12, "fen"),
        Column("reason", "理由说明", 24),
    )
    rows = tuple(
        Row(
            {
                "no": str(index),
                "name": line.name,
                "quota": line.annual_quota,
                "received": line.received,
                "spent": line.spent,
                "last_plan": line.last_plan,
                "last_actual": line.last_actual,
                "requested": line.requested,
                "reason": line.justification,
            }
        )
        for index, line in enumerate(view.lines, start=1)
    )
    totals = Row(
        {
            "name": "合计",
            "quota": view.position.available,
            "received": sum(line.received for line in view.lines),
            "spent": sum(line.spent for line in view.lines),
            "requested": view.requested_total,
        },
        bold=True,
    )
    notes = (
        f"年度可用定额 {_yuan(view.position.available)} 元，已批准用款计划 "
        f"{_yuan(view.position.approved_plans)} 元，可申请计划余额 "
        f"{_yuan(view.position.remaining_for_plans)} 元。",
        f"计划版本：第 {view.version} 版。",
    )
    return FormLayout(
        title=f"{scheme.name}基金用款计划申请表",
        form_code=profile.form_codes.fund_plan,
        form_version=VERSION,
        unit_name=office_info.name,
        unit_code=office_info.code,
        period=view.month.label,
        tables=(TableBlock(columns, rows, totals=totals),),
        total_label="本月申请金额合计",
        total_fen=view.requested_total,
        notes=notes,
        signatories=names,
        landscape=True,
    )


def _yuan(fen: int) -> str:
    from mibdesk.core.money import format_fen

    return format_fen(fen)


def _percent(part: int, whole: int | None) -> int | None:
    """part / whole in basis points, rounded half up; None without a whole."""
    if not whole:
        return None
    return (part * 20000 + whole) // (2 * whole)


def execution_layout(
    office_info: OfficeInfo,
    codes: FormCodes,
    executions: Sequence[SchemeExecution],
    year: int,
    names: Signatories | None = None,
) -> FormLayout:
    """预算执行情况表: per scheme, the quota, approved plans and spending to date by line;
    `codes` are the profile's (`Profile.form_codes`)."""
    columns = (
        Column("name", "项目", 22),
        Column("quota", "年度定额", 13, "fen"),
        Column("plans", "已批准用款计划", 13, "fen"),
        Column("spent", "本年累计支出", 13, "fen"),
        Column("last", "上年同期支出", 13, "fen"),
        Column("change", "同比增减", 13, "fen"),
        Column("rate", "执行进度", 8, "percent"),
        Column("remaining", "定额余额", 13, "fen"),
    )
    tables = []
    through: Month | None = None
    for ex in executions:
        if ex.through and (through is None or ex.through > through):
            through = ex.through
        rows = tuple(
            Row(
                {
                    "name": line.name,
                    "quota": line.quota,
                    "plans": line.approved_plans,
                    "spent": line.spent,
                    "last": line.spent_last_year,
                    "change": line.spent - line.spent_last_year,
                    "rate": _percent(line.spent, line.quota),
                    "remaining": line.remaining,
                }
            )
            for line in ex.lines
        )
        available = ex.position.available if ex.position else None
        spent = sum(line.spent for line in ex.lines)
        last = sum(line.spent_last_year for line in ex.lines)
        totals = Row(
            {
                "name": "合计",
                "quota": available,
                "plans": sum(line.approved_plans for line in ex.lines),
                "spent": spent,
                "last": last,
                "change": spent - last,
                "rate": _percent(spent, available),
                "remaining": available - spent if available is not None else None,
            },
            bold=True,
        )
        tables.append(TableBlock(columns, rows, ex.name, totals))
    period = f"{year}年1月至{through.month}月" if through else f"{year}年"
    return FormLayout(
        title=f"{year}年度医疗保障基金预算执行情况表",
        form_code=codes.execution,
        form_version=VERSION,
        unit_name=office_info.name,
        unit_code=office_info.code,
        period=period,
        tables=tuple(tables),
        total_label="本年累计支出合计",
        total_fen=sum(line.spent for ex in executions for line in ex.lines),
        signatories=names or Signatories(),
        landscape=True,
    )


def cover_sheet_layout(
    office_info: OfficeInfo,
    codes: FormCodes,
    period: Month | str,
    contents: Sequence[CoverItem],
    names: Signatories | None = None,
) -> FormLayout:
    """报送单: what one submission contains, with each document's data fingerprint; `codes`
    are the profile's (`Profile.form_codes`)."""
    columns = (
        Column("no", "序号", 7),
        Column("title", "材料名称", 40),
        Column("copies", "份数", 8, "count"),
        Column("pages", "页数", 8, "count"),
        Column("mark", "数据指纹", 24),
        Column("note", "备注", 20),
    )
    rows = tuple(
        Row(
            {
                "no": str(index),
                "title": item.title,
                "copies": item.copies,
                "pages": item.pages,
                "mark": item.fingerprint,
                "note": item.note,
            }
        )
        for index, item in enumerate(contents, start=1)
    )
    label = period.label if isinstance(period, Month) else period
    return FormLayout(
        title="医疗保障基金报表报送单",
        form_code=codes.cover,
        form_version=VERSION,
        unit_name=office_info.name,
        unit_code=office_info.code,
        period=label,
        tables=(TableBlock(columns, rows),),
        notes=(f"共 {len(contents)} 项材料。",),
        signatories=names or Signatories(),
        amount_unit="",
    )
