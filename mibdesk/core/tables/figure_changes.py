"""Read-only grids of how a month's figures changed: one cell's history, an amendment's
differences (original, amended, difference), for the dialogs of the monthly report screen."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from mibdesk.core.catalog import SchemeProfile
from mibdesk.core.i18n import N_, _
from mibdesk.core.monthly import Cell
from mibdesk.core.services.report_flow import CellChange
from mibdesk.core.table import Cell as GridCell
from mibdesk.core.table import Column, ListTableModel
from mibdesk.core.tables.figure_edits import figure_kind, format_figure

SOURCES = {"typed": N_("typed in the monthly report")}
"""How a change was made, by the `source` a service recorded (English msgids)."""


def source_label(source: str) -> str:
    return _(SOURCES[source]) if source in SOURCES else source


def amendment_label(number: int | None) -> str:
    """The entry a change belongs to: the original entry, or an amendment by its number."""
    if number is None:
        return _("Original entry")
    return _("Amendment {number}").format(number=number)


@dataclass(frozen=True)
class HistoryRow:
    """One value a cell had: when, who, before, after, how, under which amendment."""

    at: str
    actor: str
    old: int | None
    new: int | None
    source: str
    amendment: str


def history_table(
    changes: Sequence[CellChange],
    unit_kind: str,
    who: Callable[[str], str] = str,
) -> ListTableModel[HistoryRow]:
    """A cell's history, oldest first, its figures in the line's unit; `who(username)` names
    the person who made each change."""
    kind = figure_kind(unit_kind)
    columns = (
        Column("at", _("When"), "text", width_hint=12),
        Column("actor", _("Who"), "text", width_hint=8),
        Column("old", _("Before"), kind),
        Column("new", _("After"), kind),
        Column("source", _("How"), "text", width_hint=9),
        Column("amendment", _("Entry or amendment"), "text", width_hint=6),
    )
    rows = (
        HistoryRow(
            datetime.fromisoformat(change.at).strftime("%Y-%m-%d %H:%M:%S"),
            who(change.actor),
            change.old,
            change.new,
            source_label(change.source),
            amendment_label(change.amendment),
        )
        for change in changes
    )
    return ListTableModel(columns, rows)


@dataclass(frozen=True)
class DiffRow:
    """A cell an amendment changed: its value before the amendment and after it."""

    amendment: int
    line_no: int
    name: str
    unit_kind: str
    where: str
    original: int | None
    amended: int | None

    @property
    def difference(self) -> int:
        """Amended − original, a blank counting as nothing reported."""
        return (self.amended or 0) - (self.original or 0)


def diff_rows(
    scheme: SchemeProfile,
    number: int,
    diff: Mapping[Cell, tuple[int | None, int | None]],
    unit_name: Callable[[str], str],
) -> list[DiffRow]:
    """The rows of amendment `number`'s differences, in the form's line order."""
    order = {line.code: i for i, line in enumerate(scheme.lines)}
    rows = []
    for cell, (original, amended) in diff.items():
        line = scheme.line(cell.line)
        rows.append(
            DiffRow(
                number,
                order[cell.line] + 1,
                line.name,
                line.unit,
                unit_name(cell.unit),
                original,
                amended,
            )
        )
    return sorted(rows, key=lambda r: (r.amendment, r.line_no, r.where))


class AmendmentTable:
    """A read-only `TableModel` of `DiffRow`s: amounts and head counts in one grid."""

    def __init__(self, rows: Sequence[DiffRow]) -> None:
        self.rows = tuple(rows)
        self._columns = (
            Column("amendment", _("Amendment"), "text", width_hint=5),
            Column("line_no", _("Line no."), "text", width_hint=3),
            Column("name", _("Item"), "text", width_hint=14),
            Column("where", _("Entered by"), "text", width_hint=7),
            Column("original", _("Original"), "fen"),
            Column("amended", _("Amended"), "fen"),
            Column("difference", _("Difference"), "fen"),
        )

    @property
    def columns(self) -> Sequence[Column]:
        return self._columns

    def row_count(self) -> int:
        return len(self.rows)

    def is_editable(self, row: int, col: int) -> bool:
        return False

    def set_text(self, row: int, col: int, text: str) -> str | None:
        return _("This cell cannot be changed")

    def cell(self, row: int, col: int) -> GridCell:
        item = self.rows[row]
        if col < 4:
            text = [amendment_label(item.amendment), str(item.line_no), item.name, item.where][col]
            return GridCell(text, text)
        value = [item.original, item.amended, item.difference][col - 4]
        return GridCell(value, format_figure(item.unit_kind, value))
