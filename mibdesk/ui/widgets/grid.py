"""`GridView`: a `QTableView` that edits any core table model like a spreadsheet, with undo.

Screens build a core `TableModel` and call `GridView.set_table`; they never subclass this.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QModelIndex, QSize, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QTableView,
    QToolTip,
    QWidget,
)

from mibdesk.core.i18n import _
from mibdesk.core.table import Column, Problem, TableModel
from mibdesk.ui.widgets.table import (
    SORT_ROLE,
    WIDTH_SAMPLES,
    AnyIndex,
    CoreTableAdapter,
    GridDelegate,
    Role,
)

log = logging.getLogger(__name__)

_ENTER_MODIFIERS = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


@dataclass(frozen=True)
class EditError:
    """An edit that was refused (nothing stored): table row and column, and why."""

    row: int
    col: int
    message: str


class _EditBatch(QUndoCommand):
    """Cell edits (row, col, old text, new text) already applied when pushed."""

    def __init__(
        self,
        adapter: CoreTableAdapter,
        edits: Sequence[tuple[int, int, str, str]],
        text: str,
        show: Callable[[int, int], None],
    ) -> None:
        super().__init__(text)
        self._adapter, self._edits, self._show = adapter, tuple(edits), show
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:  # QUndoStack.push calls redo: the edits are in already
            self._pushed = True
            return
        self._apply((row, col, new) for row, col, _old, new in self._edits)

    def undo(self) -> None:
        self._apply((row, col, old) for row, col, old, _new in reversed(self._edits))

    def _apply(self, edits: Iterable[tuple[int, int, str]]) -> None:
        for row, col, text in edits:
            error = self._adapter.set_text(row, col, text)
            if error is not None:
                log.warning("undo/redo of cell (%d, %d) refused: %s", row, col, error)
        self._show(self._edits[0][0], self._edits[0][1])


class GridView(QTableView):
    """A spreadsheet-like grid over one core table model.

    Keys: arrows move; Tab/Shift+Tab move to the next/previous editable cell (row by row),
    Enter/Shift+Enter to the next editable cell below/above; typing or F2 starts editing;
    Delete clears the selected editable cells; Ctrl+C copies the selection as TSV; Ctrl+V
    pastes a TSV block (from Excel/WPS) at the current cell; Ctrl+Z/Ctrl+Y undo/redo.
    Every edit goes through `undo_stack`; refused edits are reported by `editsRejected`
    (list of `EditError`, table coordinates) and a tooltip. `problemsChanged` carries the
    list of `Problem`s whenever it changes. Sorting is off; `filter_rows` hides rows.
    """

    problemsChanged = Signal(list)
    editsRejected = Signal(list)

    def __init__(
        self, parent: QWidget | None = None, *, undo_stack: QUndoStack | None = None
    ) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self._adapter: CoreTableAdapter | None = None
        self._problems: list[Problem] = []
        self._kept_cell: tuple[int, int] | None = None
        self._fitted: tuple[Column, ...] = ()
        self._proxy = QSortFilterProxyModel(self)
        self._proxy.setFilterKeyColumn(-1)
        self._proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._proxy.setSortRole(SORT_ROLE)
        self._problems_timer = QTimer(self)
        self._problems_timer.setSingleShot(True)
        self._problems_timer.timeout.connect(self._check_problems)
        self.setItemDelegate(GridDelegate(self._commit_editor, self))
        triggers = QAbstractItemView.EditTrigger
        self.setEditTriggers(
            triggers.DoubleClicked | triggers.EditKeyPressed | triggers.AnyKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSortingEnabled(False)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 10)

    @property
    def adapter(self) -> CoreTableAdapter:
        if self._adapter is None:
            raise RuntimeError("GridView.set_table has not been called")
        return self._adapter

    @property
    def problems(self) -> list[Problem]:
        """The problems as last reported by `problemsChanged`."""
        return list(self._problems)

    def set_table(self, table: TableModel) -> CoreTableAdapter:
        """Show `table` instead of any previous one; clears `undo_stack` (even a shared one)."""
        if self._adapter is not None:
            self._adapter.deleteLater()
        self._adapter = adapter = CoreTableAdapter(table, self)
        self._proxy.setSourceModel(adapter)
        if self.model() is not self._proxy:
            self.setModel(self._proxy)
        adapter.dataChanged.connect(self._schedule_problem_check)
        adapter.modelAboutToBeReset.connect(self._keep_current)
        adapter.modelReset.connect(self._after_reset)
        self.undo_stack.clear()
        self._after_reset()
        return adapter

    def refresh(self) -> None:
        """Re-read the core model (after a service changed it); keeps the current cell."""
        self.adapter.refresh()

    def filter_rows(self, text: str) -> int:
        """Show only rows with a cell containing `text` (any case; "" shows all); rows shown."""
        self._proxy.setFilterFixedString(text)
        return self._proxy.rowCount()

    def current_cell(self) -> tuple[int, int] | None:
        """The current cell as (row, col) of the core table model, or None."""
        index = self.currentIndex()
        return self._source(index) if index.isValid() else None

    def go_to(self, row: int, col: int) -> None:
        """Make table cell (row, col) current and visible, if it is not filtered out."""
        index = self._proxy.mapFromSource(self.adapter.index(row, col))
        if index.isValid():
            self.setCurrentIndex(index)
            self.scrollTo(index)

    def copy_selection(self) -> str:
        """Put the selected block on the clipboard as TSV (text as shown); return it."""
        indexes = self.selectedIndexes() or [self.currentIndex()]
        indexes = [i for i in indexes if i.isValid()]
        if not indexes:
            return ""
        top, left = min(i.row() for i in indexes), min(i.column() for i in indexes)
        height = max(i.row() for i in indexes) - top + 1
        width = max(i.column() for i in indexes) - left + 1
        block = [[""] * width for _row in range(height)]
        for i in indexes:
            block[i.row() - top][i.column() - left] = i.data(Role.DisplayRole)
        out = io.StringIO()
        csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(block)
        QGuiApplication.clipboard().setText(out.getvalue())
        return out.getvalue()

    def paste_tsv(self, text: str) -> list[EditError]:
        """Paste a TSV block at the current cell into editable cells, as one undo step.

        A single value fills the selected editable cells. Read-only cells keep their value
        (an error unless the pasted text is empty or the same); values beyond the table are
        dropped with one error. Returns the refused edits (also sent by `editsRejected`).
        """
        block = parse_tsv(text)
        start = self.currentIndex()
        if not block or not start.isValid():
            return []
        selected = self.selectedIndexes()
        if len(block) == 1 and len(block[0]) == 1 and len(selected) > 1:
            editable = Qt.ItemFlag.ItemIsEditable
            targets = [(i, block[0][0]) for i in selected if i.flags() & editable]
        else:
            targets = [
                (self._proxy.index(start.row() + r, start.column() + c), value)
                for r, line in enumerate(block)
                for c, value in enumerate(line)
            ]
        edits, errors = [], []
        for index, value in targets:
            if not index.isValid():
                continue
            row, col = self._source(index)
            if self.adapter.is_editable(row, col):
                edits.append((row, col, value))
            elif value.strip() and value != self.adapter.cell(row, col).display:
                errors.append(EditError(row, col, _("Read-only cell, value not pasted")))
        dropped = sum(not index.isValid() and bool(value.strip()) for index, value in targets)
        if dropped:
            row, col = self._source(start)
            message = _("The block is larger than the table: {n} values not pasted")
            errors.append(EditError(row, col, message.format(n=dropped)))
        return self._edit(edits, _("Paste"), errors)

    def clear_selected(self) -> list[EditError]:
        """Empty the selected editable cells, as one undo step; returns refused edits."""
        cells = [self._source(i) for i in self.selectedIndexes()]
        edits = [(r, c, "") for r, c in cells if self.adapter.is_editable(r, c)]
        return self._edit(edits, _("Clear cells"))

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        action = QAbstractItemView.CursorAction
        if cursorAction in (action.MoveNext, action.MovePrevious):
            step = 1 if cursorAction == action.MoveNext else -1
            return self._next_editable(step, by_row=True)
        return super().moveCursor(cursorAction, modifiers)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter in the editor
            self._step_down(1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not mods & ~_ENTER_MODIFIERS
        if enter and self.state() != QAbstractItemView.State.EditingState:
            shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
            if self._step_down(-1 if shift else 1):
                return  # else Qt's Enter: `activated`, or the dialog's default button
        action = self._key_action(event)
        if action is not None:
            action()
        else:
            super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        # Our keys beat application-wide shortcuts (a menu's Ctrl+Z) while the grid has focus.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._key_action(event) is not None
        ):
            event.accept()
            return True
        return super().event(event)

    def sizeHint(self) -> QSize:
        frame = 2 * self.frameWidth()
        width = self.verticalHeader().sizeHint().width() + self.horizontalHeader().length()
        rows = min(max(self._proxy.rowCount(), 5), 20)
        height = self.horizontalHeader().sizeHint().height()
        height += rows * self.verticalHeader().defaultSectionSize()
        return QSize(
            min(width + frame + self.verticalScrollBar().sizeHint().width(), 1200), height + frame
        )

    def _key_action(self, event: QKeyEvent) -> Callable[[], object] | None:
        key, mods = event.key(), event.modifiers()
        if event.matches(QKeySequence.StandardKey.Copy):
            return self.copy_selection
        if event.matches(QKeySequence.StandardKey.Paste):
            return lambda: self.paste_tsv(QGuiApplication.clipboard().text())
        if event.matches(QKeySequence.StandardKey.Undo):
            return self.undo_stack.undo
        if event.matches(QKeySequence.StandardKey.Redo) or (
            key == Qt.Key.Key_Y and mods == Qt.KeyboardModifier.ControlModifier
        ):
            return self.undo_stack.redo
        if key == Qt.Key.Key_Delete and not mods:
            return self.clear_selected
        return None

    def _edit(
        self,
        edits: Iterable[tuple[int, int, str]],
        label: str,
        errors: list[EditError] | None = None,
    ) -> list[EditError]:
        """Apply `edits` now; push those that took as one undo step; report the refused."""
        errors = list(errors or [])
        done: list[tuple[int, int, str, str]] = []
        for row, col, text in edits:
            old = self.adapter.cell(row, col).display
            if text == old:
                continue
            error = self.adapter.set_text(row, col, text)
            if error is None:
                done.append((row, col, old, text))
            else:
                errors.append(EditError(row, col, error))
        if done:
            self.undo_stack.push(_EditBatch(self.adapter, done, label, self.go_to))
        if errors:
            self._show_errors(errors)
        return errors

    def _commit_editor(self, index: AnyIndex, text: str) -> None:
        row, col = self._source(index)
        self._edit([(row, col, text)], _("Edit cell"))

    def _show_errors(self, errors: list[EditError]) -> None:
        first = self._proxy.mapFromSource(self.adapter.index(errors[0].row, errors[0].col))
        where = self.viewport().mapToGlobal(self.visualRect(first).bottomLeft())
        QToolTip.showText(where, "\n".join(e.message for e in errors[:5]), self)
        self.editsRejected.emit(errors)

    def _source(self, index: AnyIndex) -> tuple[int, int]:
        source = self._proxy.mapToSource(index)
        return source.row(), source.column()

    def _next_editable(self, step: int, *, by_row: bool) -> QModelIndex:
        """The next editable cell after the current one: row by row, or down its column."""
        current = self.currentIndex()
        rows, cols = self._proxy.rowCount(), self._proxy.columnCount()
        if by_row:
            start = current.row() * cols + current.column() if current.isValid() else -1
            positions: Iterable[tuple[int, int]] = (
                divmod(p, cols) for p in range(start + step, -1 if step < 0 else rows * cols, step)
            )
        else:
            col = current.column()
            positions = (
                (r, col) for r in range(current.row() + step, -1 if step < 0 else rows, step)
            )
        for row, col in positions:
            index = self._proxy.index(row, col)
            if index.flags() & Qt.ItemFlag.ItemIsEditable:
                return index
        return QModelIndex()

    def _step_down(self, step: int) -> bool:
        """Move to the next editable cell below (step 1) or above (-1); whether it moved."""
        index = self._next_editable(step, by_row=False)
        if index.isValid():
            self.setCurrentIndex(index)
        return index.isValid()

    def _schedule_problem_check(self, *_changed: object) -> None:
        self._problems_timer.start()  # once per event-loop turn, however many cells changed

    def _keep_current(self) -> None:
        self._kept_cell = self.current_cell()

    def _after_reset(self) -> None:
        if self.adapter.columns != self._fitted:  # keep widths the user set, if columns stay
            self._fit_columns()
        if self._kept_cell is not None:
            row, col = self._kept_cell
            self._kept_cell = None
            self.go_to(
                min(row, self.adapter.rowCount() - 1), min(col, self.adapter.columnCount() - 1)
            )
        self._schedule_problem_check()

    def _fit_columns(self) -> None:
        """Widths in Chinese characters (width_hint) or by kind, never narrower than the title."""
        char = self.fontMetrics().horizontalAdvance("中")
        header = self.horizontalHeader().fontMetrics()
        self._fitted = self.adapter.columns
        for i, column in enumerate(self._fitted):
            if column.width_hint:
                width = column.width_hint * char
            else:
                width = self.fontMetrics().horizontalAdvance(WIDTH_SAMPLES[column.kind])
            self.setColumnWidth(i, max(width, header.horizontalAdvance(column.title) + char) + 12)

    def _check_problems(self) -> None:
        problems = self.adapter.problems()
        if problems != self._problems:
            self._problems = problems
            self.problemsChanged.emit(list(problems))


def parse_tsv(text: str) -> list[list[str]]:
    """Rows of cells from TSV as Excel/WPS copy it: \\r\\n or \\n, one trailing line end,
    fields with tabs, line ends or quotes in double quotes."""
    text = text.removesuffix("\n").removesuffix("\r")
    if not text:
        return []
    return [line or [""] for line in csv.reader(io.StringIO(text), delimiter="\t")]
