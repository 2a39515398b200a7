"""A small declarative description of an official form; `engine.render_pdf` draws it.

A form is a header (title, form code and version, reporting unit, period, 金额单位), one or
more ruled tables, an optional total in capital numerals (大写), the signature row
(单位负责人 / 审核人 / 经办人) and a seal box (盖章处). Money is int fen throughout; the
engine formats it. Adding a form is building one of these from a service's plain data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from mibdesk.core.rules.working import Step

ColumnKind = Literal["text", "fen", "count", "percent"]
CellValue = str | int | None
"""An int is formatted by its column's kind (fen, count, or percent in basis points);
a str is shown as it is (aligned like the column); None is an empty cell."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float  # relative width; the engine scales the columns to the page
    kind: ColumnKind = "text"


@dataclass(frozen=True)
class Row:
    values: Mapping[str, CellValue]
    bold: bool = False  # subtotals and totals
    shaded: bool = False


@dataclass(frozen=True)
class TableBlock:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    caption: str = ""  # a heading above the table (e.g. the scheme, or 分乡镇明细)
    totals: Row | None = None  # drawn last, bold and shaded


def totals_row(rows: Sequence[Row], keys: Iterable[str]) -> Row:
    """The bold 合计 row (under "name") of `rows`: each of `keys` summed, an empty cell as 0."""
    sums: dict[str, CellValue] = {"name": "合计"}
    for key in keys:
        sums[key] = sum(int(row.values.get(key) or 0) for row in rows)
    return Row(sums, bold=True)


def working_table(
    caption: str,
    whole: Iterable[Step],
    counties: Iterable[tuple[str, Iterable[Step]]],
    widths: tuple[float, float, float, float, float],
) -> TableBlock:
    """Every step of a rule's working, with its rule and source: the steps for the whole
    city (全市) first, then each county's (name, steps); `widths` of who, step, amount, rule
    and source."""
    who, step, amount, rule, source = widths
    columns = (
        Column("who", "县（市、区）", who),
        Column("step", "计算步骤", step),
        Column("amount", "金额", amount, "fen"),
        Column("rule", "规则", rule),
        Column("source", "依据", source),
    )
    steps = [("全市", s) for s in whole] + [(name, s) for name, ss in counties for s in ss]
    rows = tuple(
        Row({"who": w, "step": s.label, "amount": s.amount, "rule": s.rule, "source": s.source})
        for w, s in steps
    )
    return TableBlock(columns, rows, caption)


@dataclass(frozen=True)
class Signer:
    name: str = ""
    date: str = ""  # as printed, e.g. 2026年11月23日


@dataclass(frozen=True)
class Signatories:
    head: Signer = Signer()  # 单位负责人
    reviewer: Signer = Signer()  # 审核人
    preparer: Signer = Signer()  # 经办人


@dataclass(frozen=True)
class FormLayout:
    title: str
    form_code: str
    form_version: str
    unit_name: str
    unit_code: str
    period: str
    tables: tuple[TableBlock, ...]
    amount_unit: str = "金额单位：元"
    total_label: str = ""  # e.g. 申请金额合计
    total_fen: int | None = None  # printed in figures and in 大写
    notes: tuple[str, ...] = ()
    signatories: Signatories = field(default_factory=Signatories)
    seal: bool = True
    landscape: bool = False

    def data(self) -> dict[str, Any]:
        """The form's content as plain JSON-able data (what the fingerprint covers)."""
        return {
            "title": self.title,
            "form": [self.form_code, self.form_version],
            "unit": [self.unit_name, self.unit_code],
            "period": self.period,
            "amount_unit": self.amount_unit,
            "tables": [_table_data(t) for t in self.tables],
            "total": [self.total_label, self.total_fen],
            "notes": list(self.notes),
            "signatories": [
                [s.name, s.date]
                for s in (
                    self.signatories.head,
                    self.signatories.reviewer,
                    self.signatories.preparer,
                )
            ],
        }


def _row_data(columns: tuple[Column, ...], row: Row) -> list[CellValue]:
    return [row.values.get(c.key) for c in columns]


def _table_data(table: TableBlock) -> dict[str, Any]:
    return {
        "caption": table.caption,
        "columns": [[c.key, c.header, c.kind] for c in table.columns],
        "rows": [_row_data(table.columns, r) for r in table.rows],
        "totals": _row_data(table.columns, table.totals) if table.totals else None,
    }


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def fingerprint(layout: FormLayout) -> str:
    """First 16 hex chars of SHA-256 over the canonical JSON, as ``XXXX-XXXX-XXXX-XXXX``."""
    digest = hashlib.sha256(canonical_json(layout.data()).encode("utf-8")).hexdigest()[:16]
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4)).upper()
