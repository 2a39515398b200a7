"""The workbench (工作台): what is due this month, with working days left."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.i18n import N_, _
from mibdesk.core.rules.deadlines import who_label
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.workbench import DueItem, State, Workbench, build_workbench
from mibdesk.ui.context import UiContext

if TYPE_CHECKING:  # plan_flow loads the rules; the view needs only the type
    from mibdesk.core.services.plan_flow import StepStatus

STATE_COLOURS = {
    State.DONE: "#1b7f3b",
    State.OPEN: "#1f5fa8",
    State.DUE_SOON: "#c77700",
    State.LATE: "#b00020",
    State.UNKNOWN: "#6b6b6b",
}
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def date_text(day: date) -> str:
    return _("{date} ({weekday})").format(date=day.isoformat(), weekday=_(WEEKDAYS[day.weekday()]))


def _left_text(item: DueItem) -> str:
    if item.state == State.DONE:
        return _("done")
    if item.workdays_left is None:
        return _("date unknown")
    if item.workdays_left < 0:
        return _("{n} working days late").format(n=-item.workdays_left)
    if item.workdays_left == 0:
        return _("due today")
    return _("{n} working days left").format(n=item.workdays_left)


def _step_text(step: StepStatus) -> str:
    """A later step of the plan: when it is due, and whether it is done or late."""
    deadline = step.deadline
    if deadline.due is None:
        return f"{deadline.name}：{deadline.problem}"
    text = f"{deadline.name}：{date_text(deadline.due)}"
    if step.state == "done":
        return text + _(" · done {date}").format(date=step.done_on)
    if step.state == "late":
        late = _(" · {who} late by {n} working days").format(
            who=who_label(deadline.who), n=step.late_days
        )
        return text + late + (_(" (done {date})").format(date=step.done_on) if step.done_on else "")
    return text


class DueCard(QFrame):
    def __init__(self, item: DueItem) -> None:
        super().__init__()
        colour = STATE_COLOURS[item.state]
        self.setObjectName("dueCard")
        self.setStyleSheet(
            f"QFrame#dueCard {{ border: 1px solid #d0d5dc; border-left: 5px solid {colour};"
            " border-radius: 4px; background: white; }"
        )
        layout = QVBoxLayout(self)
        title = QLabel(item.title)
        title.setStyleSheet("font-size: 14px; font-weight: bold; border: none;")
        title.setWordWrap(True)
        left = QLabel(_left_text(item))
        left.setObjectName("workdaysLeft")
        left.setStyleSheet(f"font-size: 18px; color: {colour}; border: none;")
        deadline = item.deadline
        when = (
            _("Due {date}").format(date=date_text(deadline.due))
            if deadline.due
            else deadline.problem
        )
        due = QLabel(_("{due} · status: {status}").format(due=when, status=item.status_text))
        due.setWordWrap(True)
        due.setStyleSheet("border: none;")
        for widget in (title, left, due):
            layout.addWidget(widget)
        if deadline.working and deadline.due != deadline.nominal:
            working = QLabel(deadline.working)
            working.setWordWrap(True)
            working.setStyleSheet("color: #555; border: none;")
            layout.addWidget(working)
        for step in item.follow_up:
            follow = QLabel("→ " + _step_text(step))
            if step.state == "late":
                follow.setStyleSheet("color: #b00020; border: none;")
            follow.setWordWrap(True)
            if step.state != "late":
                follow.setStyleSheet("color: #555; border: none;")
            layout.addWidget(follow)
        source = QLabel(_("Rule: {source}").format(source=deadline.source))
        source.setWordWrap(True)
        source.setStyleSheet("color: #888; font-size: 11px; border: none;")
        layout.addWidget(source)


class WorkbenchScreen(QWidget):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.warnings = QLabel()
        self.warnings.setObjectName("workbenchWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(
            "background: #fff4e5; color: #8a4b00; padding: 8px; border-radius: 4px;"
        )
        self.cards = QWidget()
        self.grid = QGridLayout(self.cards)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.cards)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.warnings)
        layout.addWidget(scroll, 1)
        self.view: Workbench | None = None
        self.heading.setText(_("Reading what is due…"))
        self.warnings.hide()
        self.refresh()

    def refresh(self) -> None:
        """Build the workbench off the GUI thread (the first one loads the policy rules)."""
        ctx = self.ctx
        today = ctx.store.clock().date()
        ctx.tasks.run(
            lambda progress: build_workbench(ctx.store, ctx.profile, today),
            self.show_workbench,
            label=_("Workbench"),
        )

    def show_workbench(self, view: Workbench) -> None:
        self.view = view
        self.heading.setText(
            _("Due this month · today is {date}").format(date=date_text(view.today))
        )
        self.warnings.setText("\n".join(self.view.warnings))
        self.warnings.setVisible(bool(self.view.warnings))
        while self.grid.count():
            taken = self.grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        for index, item in enumerate(self.view.items):
            self.grid.addWidget(DueCard(item), index // 2, index % 2)

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(Area.FIGURES, Area.PLANS, Area.CALENDAR, Area.SETTINGS):
            self.refresh()
