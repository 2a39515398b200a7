"""The township breakdown of a month (乡镇明细) as a grid: who has reported, who has not, totals.

Rows: each active township in set-up order, then 本级 (what the county enters itself), then
合计 (computed: the county's figure for the line). Columns: 乡镇（街道）, 区划代码, 报送情况,
then one column per township line of the scheme (resident enrolment categories, personal
contributions). While the month is editable, county staff type here what a township reported
on paper; each cell is saved through the `save` callback, like the month's grid.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from mibdesk.core.catalog import SchemeProfile
from mibdesk.core.catalog.profile import Line
from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.monthly import COUNTY, Cell
from mibdesk.core.services.township_figures import TownshipBreakdown
from mibdesk.core.table import Cell as GridCell
from mibdesk.core.table import Column
from mibdesk.core.tables.figure_edits import (
    EditBuffer,
    SaveCells,
    figure_kind,
    format_figure,
    parse_figure,
)
from mibdesk.core.tables.month_table import FIGURE_WIDTH

NAME, CODE, STATE = range(3)
FIRST_LINE = 3
_QUALIFIER = re.compile(r"[（(][^）)]*[）)]")


def short_name(line: Line) -> str:
    """A line's name without its qualifier in brackets, short enough for a column title."""
    return _QUALIFIER.sub("", line.name).strip() or line.name


def reporting_summary(breakdown: TownshipBreakdown) -> str:
    """How many townships have reported this month, and which have not."""
    missing = breakdown.missing
    done = len(breakdown.townships) - len(missing)
    text = _("{done} of {count} townships have reported.").format(
        done=done, count=len(breakdown.townships)
    )
    if missing:
        names = "、".join(t.name for t in missing)
        text += " " + _("Not reported yet: {names}.").format(names=names)
    return text


class TownshipTable:
    """A `TableModel` over a `TownshipBreakdown`; see the module docstring.

    `save(edits)` stores {Cell: int | None} and returns the new breakdown (raising
    `UserError` to refuse); `editable` says whether the month may be changed by this user;
    `deferred`, when given, batches edits until `flush()` (see `EditBuffer`).
    """

    def __init__(
        self,
        breakdown: TownshipBreakdown,
        scheme: SchemeProfile,
        save: SaveCells[TownshipBreakdown],
        *,
        editable: bool = True,
        deferred: Callable[[], None] | None = None,
    ) -> None:
        self._lines: tuple[Line, ...] = ()
        self._columns: tuple[Column, ...] = ()
        self._edits = EditBuffer(save, self._saved, deferred)
        self._breakdown = breakdown
        self._editable = editable
        self.set_breakdown(breakdown, scheme, editable)

    @property
    def breakdown(self) -> TownshipBreakdown:
        return self._breakdown

    @property
    def pending(self) -> bool:
        """Whether edits are waiting for `flush`."""
        return bool(self._edits.pending)

    @property
    def lines(self) -> tuple[Line, ...]:
        return self._lines

    def set_breakdown(
        self, breakdown: TownshipBreakdown, scheme: SchemeProfile, editable: bool
    ) -> None:
        """Show `breakdown` of `scheme` (after a reload); edits not yet saved are dropped."""
        self._edits.discard()
        self._breakdown, self._editable = breakdown, editable
        self._lines = tuple(line for line in scheme.lines if line.code in breakdown.lines)
        self._columns = (
            Column("name", _("Township"), "text", width_hint=6),
            Column("code", _("Division code"), "text", width_hint=7),
            Column("state", _("Reported?"), "text", width_hint=6),
            *(
                Column(
                    line.code,
                    short_name(line),
                    figure_kind(line.unit),
                    editable=True,
                    width_hint=FIGURE_WIDTH,
                )
                for line in self._lines
            ),
        )

    @property
    def columns(self) -> Sequence[Column]:
        return self._columns

    def row_count(self) -> int:
        return len(self._breakdown.townships) + 2

    @property
    def own_row(self) -> int:
        return len(self._breakdown.townships)

    @property
    def total_row(self) -> int:
        return len(self._breakdown.townships) + 1

    def is_editable(self, row: int, col: int) -> bool:
        return self._editable and col >= FIRST_LINE and row < self.total_row

    def cell(self, row: int, col: int) -> GridCell:
        total = row == self.total_row
        if col < FIRST_LINE:
            text = self._label(row, col)
            return GridCell(text, text, computed=total)
        line = self._lines[col - FIRST_LINE]
        stored = self.history_cell(row, col)
        if stored is None:
            value = self._breakdown.total(line.code)
        else:
            value = self._edits.shown(stored, self._breakdown.cells.get(stored))
        return GridCell(value, format_figure(line.unit, value), computed=total)

    def set_text(self, row: int, col: int, text: str) -> str | None:
        cell = self.history_cell(row, col)
        if not self.is_editable(row, col) or cell is None:
            return _("This cell cannot be changed")
        try:
            value = parse_figure(self._lines[col - FIRST_LINE].unit, text)
        except UserError as error:
            return error.message
        return self._edits.put(cell, value)

    def flush(self) -> str | None:
        """Save the edits waiting since the last flush, as one save; the refusal, or None."""
        return self._edits.flush()

    def history_cell(self, row: int, col: int) -> Cell | None:
        """The stored cell behind grid cell (row, col); None for labels and the totals."""
        if col < FIRST_LINE or row >= self.total_row:
            return None
        line = self._lines[col - FIRST_LINE].code
        if row == self.own_row:
            return Cell(line, COUNTY)
        return Cell(line, self._breakdown.townships[row].code)

    def unit_name(self, unit: str) -> str:
        """A township's name for its code; the county's own entry for ""."""
        if unit == COUNTY:
            return _("County's own entry")
        return next((t.name for t in self._breakdown.townships if t.code == unit), unit)

    def _label(self, row: int, col: int) -> str:
        breakdown = self._breakdown
        if row == self.total_row:
            count = len(breakdown.townships)
            done = count - len(breakdown.missing)
            return [_("Total"), "", _("{done}/{count} reported").format(done=done, count=count)][
                col
            ]
        if row == self.own_row:
            return [_("County's own entry"), "", ""][col]
        township = breakdown.townships[row]
        state = _("Reported") if township.code in breakdown.reported else _("Not reported")
        return [township.name, township.code, state][col]

    def _saved(self, breakdown: TownshipBreakdown) -> None:
        self._breakdown = breakdown
