"""The month's form (月报) as a grid: one row per report line of the scheme, in catalog order.

Columns: 行次, 项目, 计量单位, 本级填报 (what the county enters itself: the only editable
column), 乡镇合计, 本月数, 本年累计, 上年同月, 增减, 增减%. Money shows as yuan with thousands
separators, head counts as whole persons; a blank (not reported) cell stays empty, 0 shows as
0 / 0.00. Computed lines (subtotals, totals) are read-only and shaded. The cells of a line
with a problem carry its message, rule source and severity, so the grid marks them.

Typed text is parsed with `parse_count`/`parse_yuan` and saved through the `save` callback
(see `EditBuffer` for saving a pasted block at once); the new form it returns is shown.

A township office's form (`MonthForm.township_office`) holds only its lines; there the entry
column is titled 本月数 and also shows the subtotals it adds up, and `hidden_columns` names
the columns that mean nothing there (乡镇合计, and 本月数 which would repeat the entry).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.monthly import COUNTY, Cell, Problem
from mibdesk.core.services.figures import FormRow, MonthForm
from mibdesk.core.services.report_flow import status_label
from mibdesk.core.table import Cell as GridCell
from mibdesk.core.table import Column, Issue, format_value
from mibdesk.core.tables.figure_edits import EditBuffer, SaveCells, format_figure, parse_figure

LINE_NO, NAME, UNIT, OWN, TOWNSHIPS, VALUE, YTD, LAST_YEAR, CHANGE, CHANGE_PCT = range(10)
FIGURE_WIDTH = 9
"""Figure columns are this many Chinese characters wide: room for 9,999,999,999.99 (a year's
payroll base of a county runs into billions of yuan)."""


def month_columns(township_office: bool = False) -> tuple[Column, ...]:
    """The grid's columns; a township office types its figures under 本月数."""
    entry = _("This month") if township_office else _("Own entry")
    return (
        Column("line_no", _("Line no."), "text", width_hint=3),
        Column("name", _("Item"), "text", width_hint=18),
        Column("unit", _("Unit"), "text", width_hint=4),
        Column("own", entry, "fen", editable=True, width_hint=FIGURE_WIDTH),
        Column("townships", _("Townships' total"), "fen", width_hint=FIGURE_WIDTH),
        Column("value", _("This month"), "fen", width_hint=FIGURE_WIDTH),
        Column("ytd", _("Year to date"), "fen", width_hint=FIGURE_WIDTH),
        Column("last_year", _("Same month last year"), "fen", width_hint=FIGURE_WIDTH),
        Column("change", _("Change"), "fen", width_hint=FIGURE_WIDTH),
        Column("change_pct", _("Change %"), "percent", width_hint=6),
    )


def unit_label(unit_kind: str) -> str:
    """The unit a line is reported in, as the form prints it."""
    return _("persons") if unit_kind == "persons" else _("yuan")


def problem_text(problem: Problem, explanation: str = "") -> str:
    """A problem as a cell's tooltip or a panel's line: what is wrong, the rule's source, and
    the preparer's explanation of a warning when there is one."""
    parts = [problem.message, _("Rule: {source}").format(source=problem.source)]
    if explanation:
        parts.append(_("Explanation: {text}").format(text=explanation))
    return "\n".join(parts)


class MonthTable:
    """A `TableModel` over a `MonthForm`; see the module docstring.

    `save(edits)` stores {Cell: int | None} and returns the month's new form (raising
    `UserError` to refuse); `can_enter` says whether the user may enter figures at all;
    `deferred`, when given, batches edits until `flush()` (see `EditBuffer`).
    """

    def __init__(
        self,
        form: MonthForm,
        save: SaveCells[MonthForm],
        *,
        can_enter: bool = True,
        deferred: Callable[[], None] | None = None,
    ) -> None:
        self._can_enter = can_enter
        self._edits = EditBuffer(save, self.set_form, deferred)
        self._form = form
        self._issues: dict[tuple[int, int], Issue] = {}
        self.set_form(form)

    @property
    def form(self) -> MonthForm:
        return self._form

    @property
    def pending(self) -> bool:
        """Whether edits are waiting for `flush`."""
        return bool(self._edits.pending)

    def set_form(self, form: MonthForm) -> None:
        """Show `form` (after a save or a reload); edits not yet saved are dropped."""
        self._edits.discard()
        self._form = form
        self._columns = month_columns(form.township_office)
        self._issues = self._mark_problems(form)

    @property
    def columns(self) -> Sequence[Column]:
        return self._columns

    def hidden_columns(self, has_townships: bool) -> frozenset[int]:
        """The columns the grid hides: the townships' total where the scheme has no township
        lines, and for a township office both it and 本月数 (its entry is the month's figure)."""
        if self._form.township_office:
            return frozenset({TOWNSHIPS, VALUE})
        return frozenset() if has_townships else frozenset({TOWNSHIPS})

    def row_count(self) -> int:
        return len(self._form.rows)

    def row(self, row: int) -> FormRow:
        return self._form.rows[row]

    def row_of(self, line: str) -> int | None:
        return next((i for i, r in enumerate(self._form.rows) if r.line == line), None)

    def is_editable(self, row: int, col: int) -> bool:
        return (
            col == OWN
            and self._can_enter
            and self._form.editable
            and not self._form.rows[row].computed
        )

    def cell(self, row: int, col: int) -> GridCell:
        item = self._form.rows[row]
        value: object
        if col == LINE_NO:
            value = display = str(row + 1)
        elif col == NAME:
            value = display = item.name
        elif col == UNIT:
            value = display = unit_label(item.unit_kind)
        elif col == CHANGE_PCT:
            value = _ratio(item.change, item.last_year)
            display = format_value("percent", value)
        else:
            value = self._figure(item, col)
            display = format_figure(item.unit_kind, value)
        issue = self._issues.get((row, col))
        if issue is None:
            return GridCell(value, display, item.computed)
        return GridCell(value, display, item.computed, issue[0], issue[1])

    def set_text(self, row: int, col: int, text: str) -> str | None:
        if not self.is_editable(row, col):
            if not self._form.editable:
                return _("{month} cannot be changed now: it is {status}.").format(
                    month=self._form.month.label, status=status_label(self._form.status)
                )
            return _("This cell cannot be changed")
        item = self._form.rows[row]
        try:
            value = parse_figure(item.unit_kind, text)
        except UserError as error:
            return error.message
        return self._edits.put(Cell(item.line, COUNTY), value)

    def flush(self) -> str | None:
        """Save the edits waiting since the last flush, as one save; the refusal, or None."""
        return self._edits.flush()

    def history_cell(self, row: int, col: int) -> Cell | None:
        """The stored cell whose history grid cell (row, col) shows: the county's own entry of
        an input line; None for computed lines and for the townships' total."""
        item = self._form.rows[row]
        if item.computed or col == TOWNSHIPS:
            return None
        return Cell(item.line, COUNTY)

    def position_of(self, problem: Problem) -> tuple[int, int] | None:
        """The grid cell to select for `problem`: where the figure at fault is typed."""
        row = self.row_of(problem.line)
        if row is None:
            return None
        item = self._form.rows[row]
        if problem.unit != COUNTY and item.township:
            return row, TOWNSHIPS
        if self._form.township_office:
            return row, OWN
        return row, VALUE if item.computed else OWN

    def _figure(self, item: FormRow, col: int) -> int | None:
        if col == OWN:
            if item.computed:
                return item.value if self._form.township_office else None
            return self._edits.shown(Cell(item.line), item.own)
        return {
            TOWNSHIPS: item.townships,
            VALUE: item.value,
            YTD: item.ytd,
            LAST_YEAR: item.last_year,
            CHANGE: item.change,
        }[col]

    def _mark_problems(self, form: MonthForm) -> dict[tuple[int, int], Issue]:
        """Per grid cell, the messages of the problems of its line; hard beats soft."""
        rows = {item.line: i for i, item in enumerate(form.rows)}
        found: dict[tuple[int, int], list[Problem]] = {}
        for problem in form.problems:
            row = rows.get(problem.line)
            if row is None:
                continue
            where = self.position_of(problem)
            for col in {VALUE, where[1] if where else VALUE}:
                found.setdefault((row, col), []).append(problem)
        return {
            key: (
                "\n\n".join(problem_text(p, form.explanations.get(p.key, "")) for p in problems),
                "hard" if any(p.severity == "hard" for p in problems) else "soft",
            )
            for key, problems in found.items()
        }


def _ratio(change: int | None, before: int | None) -> Fraction | None:
    """The change as a share of last year's figure; None when there is nothing to compare."""
    if change is None or not before:
        return None
    return Fraction(change, abs(before))
