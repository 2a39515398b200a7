"""The year-end settlement as an A4 landscape form (年度清算表, always in Chinese): per scheme
the counties' surpluses and who covers each deficit, with totals; the pooled fund's account;
then every step of the working with its rule and source. Built from a `SettlementResult`."""

from __future__ import annotations

from collections.abc import Mapping

from mibdesk.core.reports.layout import (
    Column,
    FormLayout,
    Row,
    Signatories,
    TableBlock,
    totals_row,
    working_table,
)
from mibdesk.core.rules.settlement import SchemeSettlement, SettlementResult

VERSION = "1"
_SURPLUS_KEYS = ("income", "expenditure", "result", "to_pool", "kept", "before", "after")
_OPTIONAL = ("reserve", "remit")
"""Deficit columns left out of a scheme's table when no county has an amount in them."""
_DEFICIT_KEYS = (
    "deficit",
    "caused",
    "balance",
    "reserve",
    "pooled",
    "county",
    "city",
    "remit",
)


def _surplus_table(scheme: SchemeSettlement, name: str) -> TableBlock:
    columns = (
        Column("no", "序号", 4),
        Column("name", "县（市、区）", 22),
        Column("grade", "考核等次", 7),
        Column("income", "基金收入", 14, "fen"),
        Column("expenditure", "基金支出", 14, "fen"),
        Column("result", "当期结余（缺口为负）", 14, "fen"),
        Column("to_pool", "结余上缴统筹基金", 13, "fen"),
        Column("kept", "结余留用", 12, "fen"),
        Column("before", "清算前累计结余", 13, "fen"),
        Column("after", "清算后累计结余", 13, "fen"),
    )
    rows = tuple(
        Row(
            {
                "no": str(index),
                "name": f"{c.name}（{c.county}）",
                "grade": c.grade or "",
                "income": c.income,
                "expenditure": c.expenditure,
                "result": c.result,
                "to_pool": c.surplus_to_pool,
                "kept": c.surplus_kept,
                "before": c.balance_before,
                "after": c.balance_after,
            }
        )
        for index, c in enumerate(scheme.counties, start=1)
    )
    return TableBlock(columns, rows, f"{name}：收支与结余", totals_row(rows, _SURPLUS_KEYS))


def _deficit_table(scheme: SchemeSettlement, name: str) -> TableBlock:
    columns = (
        Column("no", "序号", 4),
        Column("name", "县（市、区）", 22),
        Column("deficit", "当期缺口", 13, "fen"),
        Column("caused", "县区自身原因（县财政）", 13, "fen"),
        Column("balance", "动用累计结余", 12, "fen"),
        Column("reserve", "动用风险准备金", 12, "fen"),
        Column("pooled", "统筹基金承担", 12, "fen"),
        Column("county", "县区财政分担", 12, "fen"),
        Column("city", "市财政分担", 12, "fen"),
        Column("remit", "上缴市财政", 11, "fen"),
    )
    rows = tuple(
        Row(
            {
                "no": str(index),
                "name": f"{c.name}（{c.county}）",
                "deficit": c.deficit,
                "caused": c.county_caused,
                "balance": c.from_balance,
                "reserve": c.from_reserve,
                "pooled": c.pooled_fund,
                "county": c.county_finance,
                "city": c.city_finance,
                "remit": c.remit_to_city,
            }
        )
        for index, c in enumerate(scheme.counties, start=1)
    )
    unused = {
        key
        for key in _OPTIONAL
        if not any(row.values.get(key) for row in rows)  # e.g. no risk reserve in this city
    }
    shown = tuple(c for c in columns if c.key not in unused)
    keys = tuple(k for k in _DEFICIT_KEYS if k not in unused)
    return TableBlock(shown, rows, f"{name}：缺口分担", totals_row(rows, keys))


def _pooled_table(result: SettlementResult, names: Mapping[str, str]) -> TableBlock:
    columns = (
        Column("scheme", "险种", 24),
        Column("before", "清算前余额", 14, "fen"),
        Column("surplus", "结余上缴", 14, "fen"),
        Column("demand", "应由统筹基金承担", 14, "fen"),
        Column("drawn", "实际承担", 14, "fen"),
        Column("after", "清算后余额", 14, "fen"),
        Column("note", "说明", 16),
    )
    rows = tuple(
        Row(
            {
                "scheme": names.get(s.scheme, s.scheme),
                "before": s.pooled_before,
                "surplus": s.surplus_in,
                "demand": s.pooled_demand,
                "drawn": s.pooled_drawn,
                "after": s.pooled_after,
                "note": "；".join(
                    text
                    for text, on in (
                        ("统筹基金不足，按比例承担", s.exhausted),
                        ("全市备付低于预警线", s.reserve_warning),
                    )
                    if on
                ),
            }
        )
        for s in result.schemes
    )
    return TableBlock(columns, rows, "市级统筹基金（归集基金）收支")


def settlement_layout(
    city_name: str,
    city_code: str,
    result: SettlementResult,
    scheme_names: Mapping[str, str],
    input_sha256: str,
    names: Signatories,
    form_code: str,
) -> FormLayout:
    """年度清算表 of `result`: two tables per scheme, the pooled fund, the working;
    `form_code` is the profile's 表号 (`FormCodes.settlement`)."""
    tables: list[TableBlock] = []
    for scheme in result.schemes:
        name = scheme_names.get(scheme.scheme, scheme.scheme)
        tables.append(_surplus_table(scheme, name))
        tables.append(_deficit_table(scheme, name))
    tables.append(_pooled_table(result, scheme_names))
    for scheme in result.schemes:
        name = scheme_names.get(scheme.scheme, scheme.scheme)
        county_steps = ((c.name, c.working) for c in scheme.counties)
        tables.append(
            working_table(f"计算过程：{name}", scheme.working, county_steps, (16, 26, 13, 42, 16))
        )
    notes = (
        f"基金收入、基金支出取自各县（市、区）报送的 {result.year} 年 1—12 月月报（各月以最新"
        "更正为准）的基金收入合计、基金支出合计；考核等次、累计结余、县区自身原因形成的缺口、"
        "统筹基金余额由市经办机构录入。",
        f"按政策参数 {result.profile_id} 第 {result.profile_version} 版计算；清算输入文件"
        f" SHA-256：{input_sha256}，可用 mibdesk-cli settle --input 复算。",
    )
    county_total = sum(
        c.county_caused + c.county_finance + c.remit_to_city
        for s in result.schemes
        for c in s.counties
    )
    return FormLayout(
        title=f"{result.year}年度医疗保障基金清算表",
        form_code=form_code,
        form_version=VERSION,
        unit_name=city_name,
        unit_code=city_code,
        period=f"{result.year}年度",
        tables=tuple(tables),
        total_label="县区财政应承担合计",
        total_fen=county_total,
        notes=notes,
        signatories=names,
        landscape=True,
    )
