"""The panels under the plan's grid: its totals in capital numerals with the quota beside
them, and the deadline chain with who is late."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from mibdesk.core.i18n import _
from mibdesk.core.money import daxie, format_fen
from mibdesk.core.services.plan_flow import StepStatus
from mibdesk.core.services.plans import PlanView
from mibdesk.core.tables.plan_table import chain_states, quota_summary
from mibdesk.ui.accounts.listing import ERROR_COLOR, NOTE_COLOR, OK_COLOR, show_line
from mibdesk.ui.workbench.view import date_text

STATE_COLOURS = {
    "done": OK_COLOR,
    "late": ERROR_COLOR,
    "open": "#1f5fa8",
    "waiting": "#1f5fa8",
    "unknown": NOTE_COLOR,
}
STEP_COLUMNS = 4


class TotalsPanel(QWidget):
    """The requested (and approved) totals with their capital numerals, the scheme's quota —
    available, approved on earlier plans, left for plans and left after this one — and, when
    the plan no longer fits, the refusal with the numbers."""

    def __init__(self) -> None:
        super().__init__()
        self.requested = QLabel()
        self.requested.setObjectName("planRequestedTotal")
        self.approved = QLabel()
        self.approved.setObjectName("planApprovedTotal")
        self.quota = QLabel()
        self.quota.setObjectName("planQuota")
        self.refusal = QLabel()
        self.refusal.setObjectName("planRefusal")
        self.refusal.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for label in (self.requested, self.approved, self.quota, self.refusal):
            layout.addWidget(label)

    def show_plan(self, view: PlanView | None) -> None:
        self.setVisible(view is not None)
        if view is None:
            return
        self.requested.setText(
            _("Requested total: {amount} yuan (in words: {words})").format(
                amount=format_fen(view.requested_total), words=daxie(view.requested_total)
            )
        )
        approved = view.approved_total
        self.approved.setVisible(approved is not None)
        if approved is not None:
            self.approved.setText(
                _("Approved total: {amount} yuan (in words: {words})").format(
                    amount=format_fen(approved), words=daxie(approved)
                )
            )
        summary = quota_summary(view)
        quota = [
            _("available {amount}").format(amount=format_fen(summary.available)),
            _("approved plans {amount}").format(amount=format_fen(summary.approved_plans)),
            _("remaining for plans {amount}").format(
                amount=format_fen(summary.remaining_for_plans)
            ),
        ]
        if summary.left_after is not None:
            quota.append(
                _("left after this plan {amount}").format(amount=format_fen(summary.left_after))
            )
        self.quota.setText(
            _("Quota of the year (yuan): {figures}").format(figures=" · ".join(quota))
        )
        show_line(self.refusal, summary.refusal or "", "error")


class StepsPanel(QGroupBox):
    """Each step of the plan's way: its due date (with the weekday), when it was done, and
    how it stands — who is late by how many working days — in colour."""

    def __init__(self) -> None:
        super().__init__(_("Deadlines"))
        self._grid = QGridLayout(self)
        self._grid.setHorizontalSpacing(16)
        self.rows: list[list[QLabel]] = []
        self._row(0)
        heading = (_("Step"), _("Due date"), _("Done on"), _("State"))
        for label, text in zip(self.rows[0], heading, strict=True):
            label.setText(text)
            label.setStyleSheet(f"color: {NOTE_COLOR};")
        self._grid.setColumnStretch(STEP_COLUMNS - 1, 1)

    def _row(self, row: int) -> list[QLabel]:
        while len(self.rows) <= row:
            labels = [QLabel() for _col in range(STEP_COLUMNS)]
            for col, label in enumerate(labels):
                self._grid.addWidget(label, len(self.rows), col)
            self.rows.append(labels)
        return self.rows[row]

    def show_steps(self, steps: Sequence[StepStatus], returned: bool = False) -> None:
        states = chain_states(steps, returned)
        for number, (step, (state, colour)) in enumerate(zip(steps, states, strict=True), 1):
            due = step.deadline.due
            texts = (
                step.deadline.name,
                date_text(due) if due else "—",
                step.done_on.isoformat() if step.done_on else "—",
                state,
            )
            labels = self._row(number)
            for label, text in zip(labels, texts, strict=True):
                label.setText(text)
                label.setVisible(True)
            labels[0].setToolTip(f"{step.deadline.working}\n{step.deadline.source}".strip())
            labels[3].setStyleSheet(f"color: {STATE_COLOURS[colour]};")
        for labels in self.rows[len(steps) + 1 :]:
            for label in labels:
                label.setVisible(False)
