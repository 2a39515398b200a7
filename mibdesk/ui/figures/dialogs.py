"""The dialogs of the monthly report screen: a reason (send back, amendment), explanations of
warnings (one, or all those missing before preparing), a cell's history, an amendment's
differences.

Dialogs that write call the controller from OK; when the service refuses, its message is
shown under the fields, the dialog stays open and nothing has changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.i18n import _
from mibdesk.core.monthly import Problem
from mibdesk.core.services.figures import AmendmentInfo
from mibdesk.core.services.report_flow import CellChange
from mibdesk.core.table import TableModel
from mibdesk.core.tables.figure_changes import AmendmentTable, DiffRow, history_table
from mibdesk.core.tables.month_table import problem_text
from mibdesk.ui.accounts.dialogs import FormDialog
from mibdesk.ui.accounts.listing import row_list
from mibdesk.ui.widgets.grid import GridView
from mibdesk.ui.widgets.text_box import text_box


def _wrapped(text: str, object_name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if object_name:
        label.setObjectName(object_name)
    return label


class ReasonDialog(FormDialog):
    """Ask for the reason of a step (send back, amendment); OK runs `submit(reason)`."""

    def __init__(
        self,
        title: str,
        intro: str,
        placeholder: str,
        submit: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, title, parent)
        self._submit = submit
        self.add_intro(intro)
        self.reason = text_box(placeholder)
        self.form.addRow(_("Reason"), self.reason)

    def submit(self) -> None:
        self._submit(self.reason.toPlainText())


class ExplanationDialog(FormDialog):
    """Write or change the explanation of one warning; OK runs `submit(text)`."""

    def __init__(
        self,
        problem: Problem,
        current: str,
        submit: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Explain a warning"), _("Save explanation"), parent)
        self.setMinimumWidth(560)
        self._submit = submit
        self.add_intro(problem_text(problem))
        self.text = text_box(_("Why the figure is right, e.g. a one-off settlement"), current)
        self.form.addRow(_("Explanation"), self.text)

    def submit(self) -> None:
        self._submit(self.text.toPlainText())


class PrepareDialog(FormDialog):
    """Explain every warning still unexplained, then hand the month to review.

    OK runs `submit({problem key: explanation})`.
    """

    def __init__(
        self,
        warnings: Sequence[Problem],
        submit: Callable[[dict[str, str]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Submit for review"), _("Submit for review"), parent)
        self.setMinimumWidth(640)
        self._submit = submit
        self.add_intro(
            _(
                "Each warning below needs a written explanation before the month goes to the "
                "reviewer."
            )
        )
        body = QWidget()
        column = QVBoxLayout(body)
        self.boxes: dict[str, QPlainTextEdit] = {}
        for problem in warnings:
            column.addWidget(_wrapped(problem_text(problem)))
            box = text_box(_("Explanation"))
            column.addWidget(box)
            self.boxes[problem.key] = box
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setMinimumHeight(min(420, 150 * max(1, len(warnings))))
        self.form.addRow(scroll)

    def submit(self) -> None:
        self._submit({key: box.toPlainText() for key, box in self.boxes.items()})


class _ListDialog(QDialog):
    """A read-only grid of rows with a heading and a Close button."""

    def __init__(self, title: str, heading: str, table: TableModel, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.heading = _wrapped(heading, "listHeading")
        self.grid: GridView = row_list(self)
        self.grid.set_table(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.heading)
        self._layout.addWidget(self.grid, 1)
        self._layout.addWidget(buttons)
        width = self.grid.horizontalHeader().length() + 60
        self.resize(max(width, 560), 380)


class CellHistoryDialog(_ListDialog):
    """Every value one cell had, oldest first: when, who, before, after, which amendment."""

    def __init__(
        self,
        title: str,
        changes: Sequence[CellChange],
        unit_kind: str,
        who: Callable[[str], str] = str,
        parent: QWidget | None = None,
    ) -> None:
        heading = title if changes else _("{cell}: nothing entered yet.").format(cell=title)
        table = history_table(changes, unit_kind, who)
        super().__init__(_("Cell history"), heading, table, parent)


def amendments_summary(amendments: Sequence[AmendmentInfo]) -> str:
    """One line per amendment: its number, reason, when opened and whether approved."""
    lines = []
    for info in amendments:
        opened = datetime.fromisoformat(info.opened_at).strftime("%Y-%m-%d %H:%M")
        state = (
            _("approved {at}").format(
                at=datetime.fromisoformat(info.approved_at).strftime("%Y-%m-%d %H:%M")
            )
            if info.approved_at
            else _("not approved yet")
        )
        lines.append(
            _("Amendment {number}, opened {at} ({state}): {reason}").format(
                number=info.number, at=opened, state=state, reason=info.reason
            )
        )
    return "\n".join(lines)


class AmendmentDialog(_ListDialog):
    """What each amendment of the month changed: original, amended and the difference."""

    def __init__(
        self,
        month_label: str,
        amendments: Sequence[AmendmentInfo],
        rows: Sequence[DiffRow],
        parent: QWidget | None = None,
    ) -> None:
        heading = _("{month}: amendments").format(month=month_label)
        summary = amendments_summary(amendments)
        if not rows:
            summary += "\n" + _("No figure has been changed yet.")
        super().__init__(
            _("Amendment differences"), f"{heading}\n{summary}", AmendmentTable(rows), parent
        )
