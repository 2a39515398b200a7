"""The generic grid: a real GridView over an in-memory report, driven by keys and clipboard."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from mibdesk.core.errors import ValidationError
from mibdesk.core.table import Cell, Column, ListTableModel, Problem, parse_value
from mibdesk.ui.widgets.grid import EditError, GridView, parse_tsv
from mibdesk.ui.widgets.table import COMPUTED_BACKGROUND, MARKER_COLORS, SEVERITY_ROLE, SORT_ROLE

Role = Qt.ItemDataRole
Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


class DemoReport:
    """Three lines of amounts and persons (editable), a share (computed) and a total line.

    A negative amount is a hard problem; more than 1,000 persons a soft one.
    """

    columns = (
        Column("line", "项目", "text"),
        Column("amount", "基金支出", "fen", editable=True),
        Column("persons", "结算人次", "count", editable=True),
        Column("share", "占比", "percent"),
    )

    def __init__(self) -> None:
        self.names = ["门诊", "住院", "药店"]
        self.amounts: list[int | None] = [100, 200, 300]
        self.persons: list[int | None] = [5, 6, 7]

    def row_count(self) -> int:
        return len(self.names) + 1

    def is_editable(self, row: int, col: int) -> bool:
        return row < len(self.names) and col in (1, 2)

    def cell(self, row: int, col: int) -> Cell:
        total = sum(a or 0 for a in self.amounts)
        if col == 0:
            name = self.names[row] if row < len(self.names) else "合计"
            return Cell(name, name)
        if row == len(self.names):
            value = [None, total, sum(p or 0 for p in self.persons), 1][col]
            return Cell(value, self._show(col, value), computed=True)
        if col == 3:
            share = (self.amounts[row] or 0) / total if total else None
            return Cell(share, f"{share:.2%}" if share is not None else "", computed=True)
        value = (self.amounts if col == 1 else self.persons)[row]
        if col == 1 and value is not None and value < 0:
            return Cell(value, self._show(col, value), problem="negative", severity="hard")
        if col == 2 and value is not None and value > 1000:
            return Cell(value, self._show(col, value), problem="many", severity="soft")
        return Cell(value, self._show(col, value))

    def set_text(self, row: int, col: int, text: str) -> str | None:
        if not self.is_editable(row, col):
            return "read-only"
        try:
            value = parse_value(self.columns[col].kind, text)
        except ValidationError as error:
            return error.message
        assert value is None or isinstance(value, int)
        (self.amounts if col == 1 else self.persons)[row] = value
        return None

    def _show(self, col: int, value: object) -> str:
        from mibdesk.core.table import format_value

        return format_value(self.columns[col].kind, value)


@pytest.fixture
def report() -> DemoReport:
    return DemoReport()


@pytest.fixture
def grid(qtbot: QtBot, report: DemoReport) -> GridView:
    view = GridView()
    qtbot.addWidget(view)
    view.set_table(report)
    view.show()
    qtbot.waitExposed(view)
    view.setFocus()
    return view


def at(grid: GridView, row: int, col: int) -> QModelIndex:
    return grid.model().index(row, col)


def current(grid: GridView) -> tuple[int, int]:
    return grid.currentIndex().row(), grid.currentIndex().column()


def select(grid: GridView, top: int, left: int, bottom: int, right: int) -> None:
    grid.setCurrentIndex(at(grid, top, left))
    block = QItemSelection(at(grid, top, left), at(grid, bottom, right))
    grid.selectionModel().select(block, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def editor(grid: GridView) -> QLineEdit:
    found = grid.viewport().findChild(QLineEdit)
    assert isinstance(found, QLineEdit)
    return found


def test_adapter_roles(grid: GridView) -> None:
    model = grid.model()
    assert at(grid, 0, 1).data(Role.DisplayRole) == "1.00"
    assert at(grid, 0, 0).data(Role.EditRole) == "门诊"
    alignment = Qt.AlignmentFlag(at(grid, 0, 1).data(Role.TextAlignmentRole))
    assert alignment & Qt.AlignmentFlag.AlignRight
    assert (
        Qt.AlignmentFlag(at(grid, 0, 0).data(Role.TextAlignmentRole)) & Qt.AlignmentFlag.AlignLeft
    )
    assert at(grid, 3, 1).data(Role.BackgroundRole).color() == COMPUTED_BACKGROUND
    assert at(grid, 0, 1).data(Role.BackgroundRole) is None
    assert at(grid, 0, 1).flags() & Qt.ItemFlag.ItemIsEditable
    assert not at(grid, 0, 3).flags() & Qt.ItemFlag.ItemIsEditable
    assert model.headerData(1, Qt.Orientation.Horizontal) == "基金支出"
    assert model.headerData(0, Qt.Orientation.Vertical) == 1
    assert at(grid, 0, 1).data(SORT_ROLE) == 100
    assert not grid.isSortingEnabled()


def test_problem_cells_carry_reason_severity_and_marker(
    qtbot: QtBot, grid: GridView, report: DemoReport
) -> None:
    with qtbot.waitSignal(grid.problemsChanged) as changed:
        grid.adapter.set_text(1, 1, "-1")
    assert changed.args == [[Problem(1, 1, "negative", "hard")]]
    assert grid.problems == [Problem(1, 1, "negative", "hard")]
    index = at(grid, 1, 1)
    assert index.data(Role.ToolTipRole) == "negative"
    assert index.data(SEVERITY_ROLE) == "hard"
    rect = grid.visualRect(index)
    image = grid.viewport().grab().toImage()
    assert image.pixelColor(rect.right() - 1, rect.top() + 1) == MARKER_COLORS["hard"]
    assert image.pixelColor(rect.left() + 1, rect.bottom() - 1) != MARKER_COLORS["hard"]


def test_typing_starts_editing_and_enter_moves_down(
    qtbot: QtBot, grid: GridView, report: DemoReport
) -> None:
    grid.setCurrentIndex(at(grid, 0, 1))
    qtbot.keyClicks(grid, "5")
    line = editor(grid)
    assert line.text() == "5"  # typing replaces the value, as in a spreadsheet
    qtbot.keyClicks(line, "00.5")
    qtbot.keyClick(line, Key.Key_Return)
    qtbot.waitUntil(lambda: report.amounts[0] == 50050)
    assert current(grid) == (1, 1)
    assert at(grid, 3, 1).data() == "505.50"  # the total follows


def test_enter_and_shift_enter_move_between_editable_cells(qtbot: QtBot, grid: GridView) -> None:
    grid.setCurrentIndex(at(grid, 0, 2))
    qtbot.keyClick(grid, Key.Key_Return)
    assert current(grid) == (1, 2)
    qtbot.keyClick(grid, Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert current(grid) == (2, 2)
    qtbot.keyClick(grid, Key.Key_Return)  # the total line below is computed: stay
    assert current(grid) == (2, 2)
    qtbot.keyClick(grid, Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert current(grid) == (1, 2)


def test_tab_skips_computed_and_read_only_cells(qtbot: QtBot, grid: GridView) -> None:
    grid.setCurrentIndex(at(grid, 0, 1))
    qtbot.keyClick(grid, Key.Key_Tab)
    assert current(grid) == (0, 2)
    qtbot.keyClick(grid, Key.Key_Tab)  # over the share (computed) and the line name
    assert current(grid) == (1, 1)
    qtbot.keyClick(grid, Key.Key_Backtab)
    assert current(grid) == (0, 2)


def test_tab_in_the_editor_commits_and_edits_the_next_editable_cell(
    qtbot: QtBot, grid: GridView, report: DemoReport
) -> None:
    grid.setCurrentIndex(at(grid, 0, 2))
    qtbot.keyClicks(grid, "9")
    qtbot.keyClick(editor(grid), Key.Key_Tab)
    assert report.persons[0] == 9
    assert current(grid) == (1, 1)
    assert grid.state() == GridView.State.EditingState


def test_refused_edit_changes_nothing_and_is_reported(
    qtbot: QtBot, grid: GridView, report: DemoReport
) -> None:
    grid.setCurrentIndex(at(grid, 0, 2))
    qtbot.keyClicks(grid, "x")
    with qtbot.waitSignal(grid.editsRejected) as rejected:
        qtbot.keyClick(editor(grid), Key.Key_Return)
    [error] = rejected.args[0]
    assert (error.row, error.col) == (0, 2) and error.message
    assert report.persons[0] == 5
    assert grid.undo_stack.count() == 0


def test_paste_block_from_excel_with_a_bad_cell_then_undo_redo(
    qtbot: QtBot, grid: GridView, report: DemoReport
) -> None:
    QGuiApplication.clipboard().setText("1,000.00\t10\r\n2000\tabc\r\n-5\t30\r\n")
    grid.setCurrentIndex(at(grid, 0, 1))
    with qtbot.waitSignal(grid.editsRejected) as rejected:
        qtbot.keyClick(grid, Key.Key_V, CTRL)
    [error] = rejected.args[0]
    assert isinstance(error, EditError) and (error.row, error.col) == (1, 2)
    assert report.amounts == [100000, 200000, -500]
    assert report.persons == [10, 6, 30]
    assert grid.undo_stack.count() == 1
    qtbot.waitUntil(lambda: [p.severity for p in grid.problems] == ["hard"])

    qtbot.keyClick(grid, Key.Key_Z, CTRL)
    assert (report.amounts, report.persons) == ([100, 200, 300], [5, 6, 7])
    assert at(grid, 3, 1).data() == "6.00"
    qtbot.waitUntil(lambda: grid.problems == [])

    qtbot.keyClick(grid, Key.Key_Y, CTRL)
    assert (report.amounts, report.persons) == ([100000, 200000, -500], [10, 6, 30])


def test_paste_over_read_only_cells_and_beyond_the_table(
    grid: GridView, report: DemoReport
) -> None:
    grid.setCurrentIndex(at(grid, 2, 2))
    errors = grid.paste_tsv("8\t50.00%\t5\r\n9\t\t\r\n")
    assert report.persons == [5, 6, 8]
    assert at(grid, 3, 2).data() == "19"
    # the share shown again is no error; the total line is; "5" lies beyond the last column
    assert [(e.row, e.col) for e in errors] == [(3, 2), (2, 2)]


def test_one_value_fills_the_selection(grid: GridView, report: DemoReport) -> None:
    select(grid, 0, 1, 2, 3)
    assert grid.paste_tsv("7\n") == []
    assert (report.amounts, report.persons) == ([700] * 3, [7] * 3)
    grid.undo_stack.undo()
    assert (report.amounts, report.persons) == ([100, 200, 300], [5, 6, 7])


def test_copy_selection_as_tsv(qtbot: QtBot, grid: GridView) -> None:
    select(grid, 2, 0, 3, 2)
    qtbot.keyClick(grid, Key.Key_C, CTRL)
    assert QGuiApplication.clipboard().text() == "药店\t3.00\t7\r\n合计\t6.00\t18\r\n"


def test_copy_then_paste_round_trips(grid: GridView, report: DemoReport) -> None:
    report.amounts[0] = 123456789
    grid.refresh()
    select(grid, 0, 1, 0, 2)
    text = grid.copy_selection()
    grid.setCurrentIndex(at(grid, 1, 1))
    assert grid.paste_tsv(text) == []
    assert (report.amounts[1], report.persons[1]) == (123456789, 5)


def test_delete_clears_editable_cells_only(
    qtbot: QtBot, grid: GridView, report: DemoReport
) -> None:
    select(grid, 0, 0, 0, 3)
    qtbot.keyClick(grid, Key.Key_Delete)
    assert (report.amounts[0], report.persons[0]) == (None, None)
    assert at(grid, 0, 0).data() == "门诊"
    qtbot.keyClick(grid, Key.Key_Z, CTRL)
    assert (report.amounts[0], report.persons[0]) == (100, 5)


def test_refresh_keeps_the_current_cell(qtbot: QtBot, grid: GridView, report: DemoReport) -> None:
    grid.setCurrentIndex(at(grid, 1, 2))
    report.persons[1] = 60
    grid.refresh()
    assert at(grid, 1, 2).data() == "60"
    report.names.append("门特")
    report.amounts.append(400)
    report.persons.append(8)
    with qtbot.waitSignal(grid.model().modelReset):
        grid.refresh()
    assert grid.model().rowCount() == 5
    assert at(grid, 4, 0).data() == "合计"
    assert current(grid) == (1, 2)


def test_undo_stack_is_dropped_with_a_new_table(grid: GridView) -> None:
    grid.paste_tsv("1")
    assert grid.undo_stack.count() == 1
    grid.set_table(DemoReport())
    assert grid.undo_stack.count() == 0


def test_plain_qt_set_data_validates(grid: GridView, report: DemoReport) -> None:
    assert not grid.model().setData(at(grid, 0, 1), "abc")
    assert grid.model().setData(at(grid, 0, 1), "2.50")
    assert report.amounts[0] == 250


@dataclass(frozen=True)
class Office:
    code: str
    name: str
    persons: int


def test_filter_rows_of_a_read_only_list(qtbot: QtBot) -> None:
    columns = [Column("code", "编码", "text"), Column("name", "名称", "text", width_hint=12)]
    columns.append(Column("persons", "参保人数", "count"))
    offices = [Office("3301", "城关镇", 1200), Office("3302", "新市乡", 800)]
    offices.append(Office("3303", "下渚湖街道", 9))
    view = GridView()
    qtbot.addWidget(view)
    view.set_table(ListTableModel(columns, offices))
    assert view.filter_rows("新市") == 1
    assert view.model().index(0, 2).data() == "800"
    view.setCurrentIndex(view.model().index(0, 1))
    assert view.current_cell() == (1, 1)  # in the core model's rows
    assert view.filter_rows("") == 3
    view.setCurrentIndex(view.model().index(1, 1))
    with qtbot.waitSignal(view.activated):
        qtbot.keyClick(view, Key.Key_Return)  # nothing editable: Enter opens the row
    assert view.columnWidth(1) >= 12 * view.fontMetrics().horizontalAdvance("中")
    view.setSortingEnabled(True)  # off by default; when on, numbers sort as numbers
    view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert [view.model().index(row, 2).data() for row in range(3)] == ["9", "800", "1,200"]
    assert view.sizeHint().width() >= view.horizontalHeader().length()


def test_parse_tsv_as_excel_and_wps_copy_it() -> None:
    assert parse_tsv("") == []
    assert parse_tsv("a\tb\r\n\r\nc\t\r\n") == [["a", "b"], [""], ["c", ""]]
    assert parse_tsv('"two\nlines"\t"say ""hi"""\n') == [["two\nlines", 'say "hi"']]
