"""The city's own forms as layouts (always in Chinese): the monthly application to finance
(全市基金当月使用计划), assembled from the counties' approved fund-use plans."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mibdesk.core.reports.layout import Column, FormLayout, Row, Signatories, TableBlock

VERSION = "1"


@dataclass(frozen=True)
class ApplicationCounty:
    """One county's approved plan in the application."""

    name: str
    code: str
    version: int
    requested: int
    approved: int
    decided_on: str


@dataclass(frozen=True)
class ApplicationLine:
    """One expenditure line, summed over the counties."""

    name: str
    requested: int
    approved: int


def application_layout(
    city_name: str,
    city_code: str,
    scheme_name: str,
    period: str,
    number: int,
    counties: Sequence[ApplicationCounty],
    lines: Sequence[ApplicationLine],
    names: Signatories,
    form_code: str,
) -> FormLayout:
    """全市基金当月使用计划: per county the plan asked and approved, then per line; `form_code`
    is the profile's 表号 (`FormCodes.city_application`)."""
    county_columns = (
        Column("no", "序号", 5),
        Column("name", "县（市、区）", 22),
        Column("code", "区划代码", 10),
        Column("version", "计划版本", 8),
        Column("requested", "申请额", 15, "fen"),
        Column("approved", "核定额", 15, "fen"),
        Column("cut", "核减额", 13, "fen"),
        Column("decided", "审核日期", 12),
    )
    county_rows = tuple(
        Row(
            {
                "no": str(index),
                "name": county.name,
                "code": county.code,
                "version": f"第{county.version}版",
                "requested": county.requested,
                "approved": county.approved,
                "cut": county.requested - county.approved,
                "decided": county.decided_on,
            }
        )
        for index, county in enumerate(counties, start=1)
    )
    requested = sum(c.requested for c in counties)
    approved = sum(c.approved for c in counties)
    county_totals = Row(
        {"name": "合计", "requested": requested, "approved": approved, "cut": requested - approved},
        bold=True,
    )
    line_columns = (
        Column("no", "序号", 5),
        Column("name", "支出项目", 40),
        Column("requested", "申请额", 20, "fen"),
        Column("approved", "核定额", 20, "fen"),
    )
    line_rows = tuple(
        Row(
            {
                "no": str(index),
                "name": line.name,
                "requested": line.requested,
                "approved": line.approved,
            }
        )
        for index, line in enumerate(lines, start=1)
    )
    line_totals = Row(
        {
            "name": "合计",
            "requested": sum(ln.requested for ln in lines),
            "approved": sum(ln.approved for ln in lines),
        },
        bold=True,
    )
    notes = (
        f"本表汇总 {len(counties)} 个县（市、区）经市经办机构审核批准的{scheme_name}基金用款计划。",
        f"本月第 {number} 次申请。" if number > 1 else "本月首次申请。",
    )
    return FormLayout(
        title=f"全市{scheme_name}基金当月使用计划",
        form_code=form_code,
        form_version=VERSION,
        unit_name=city_name,
        unit_code=city_code,
        period=period,
        tables=(
            TableBlock(county_columns, county_rows, "分县（市、区）", county_totals),
            TableBlock(line_columns, line_rows, "分支出项目", line_totals),
        ),
        total_label="本月申请拨付金额合计",
        total_fen=approved,
        notes=notes,
        signatories=names,
        landscape=True,
    )
