"""The plan review screen (用款计划审核): the counties' fund-use plans for a month with their
lines; approve, reduce lines (amount and reason each) or return (with reasons)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.i18n import _
from mibdesk.core.services.changes import Area
from mibdesk.ui.accounts.listing import message_label, show_message
from mibdesk.ui.city.common import MonthPicker, fill, screen_header, selected, text_table
from mibdesk.ui.city.dialogs import ApproveDialog, ReduceDialog, ReturnDialog
from mibdesk.ui.city.plan_pdf_button import CountyPdfButton
from mibdesk.ui.city.plans_controller import (
    PlanReviewController,
    line_cells,
    line_columns,
    plan_columns,
)
from mibdesk.ui.context import UiContext
from mibdesk.ui.widgets.refreshing import RefreshingScreen

if TYPE_CHECKING:
    from mibdesk.core.services.city.plans import CountyPlanView


class PlanReviewScreen(RefreshingScreen):
    """Plans on top, the selected plan's lines below, the decisions as buttons. Refreshes on
    `Area.PLANS` and `Area.OFFICE` (a new plan came in, a plan was decided)."""

    areas = (Area.OFFICE, Area.PLANS)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.controller = PlanReviewController(ctx)
        self.dialog: QDialog | None = None

        self.picker = MonthPicker(self.controller.months, self.controller.current)
        self.picker.chosen.connect(self.refresh)
        self.count_label = QLabel()
        self.count_label.setObjectName("planCount")
        top = screen_header(_("Plan review"), _("Plan month"), self.picker, self.count_label)
        self.message = message_label("reviewMessage")
        self.message.hide()

        self.plans = text_table(plan_columns())
        self.plans.setObjectName("countyPlans")
        self.plans.itemSelectionChanged.connect(self._show_plan)
        self.lines = text_table(line_columns())
        self.lines.setObjectName("planLines")
        self.note = QLabel()
        self.note.setObjectName("decisionNote")
        self.note.setWordWrap(True)
        self.approve_button = QPushButton(_("Approve…"))
        self.reduce_button = QPushButton(_("Reduce lines…"))
        self.return_button = QPushButton(_("Return…"))
        self.approve_button.clicked.connect(self.approve)
        self.reduce_button.clicked.connect(self.reduce)
        self.return_button.clicked.connect(self.return_plan)
        self.pdf_button = CountyPdfButton(ctx, self.selected_plan, self.say)
        buttons = QHBoxLayout()
        for button in (self.approve_button, self.reduce_button, self.return_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.pdf_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.lines, 1)
        lower_layout.addWidget(self.note)
        lower_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.plans)
        splitter.addWidget(lower)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        self.refresh()

    # -- refreshing -------------------------------------------------------------------------

    def refresh(self) -> None:
        keep = self.selected_plan()
        self.controller.load(self.picker.month())
        plans = self.controller.plans
        fill(self.plans, self.controller.rows(), numeric=(2, 4, 5))
        waiting = sum(1 for plan in plans if plan.status == "submitted")
        self.count_label.setText(
            _("{n} plans, {waiting} waiting for a decision").format(n=len(plans), waiting=waiting)
        )
        row = next(
            (
                i
                for i, plan in enumerate(plans)
                if keep and (plan.county, plan.scheme) == (keep.county, keep.scheme)
            ),
            0 if plans else None,
        )
        if row is not None:
            self.plans.selectRow(row)
        self._show_plan()

    def say(self, text: str, tone: Literal["error", "ok", "note"] = "error") -> None:
        show_message(self.message, text, tone)
        self.message.setVisible(bool(text))

    def selected_plan(self) -> CountyPlanView | None:
        row = selected(self.plans)
        plans = self.controller.plans
        return plans[row] if row is not None and row < len(plans) else None

    def _show_plan(self) -> None:
        plan = self.selected_plan()
        fill(self.lines, line_cells(plan) if plan else [], numeric=(1, 3))
        open_plan = plan is not None and plan.status == "submitted"
        for button in (self.approve_button, self.reduce_button, self.return_button):
            button.setEnabled(open_plan and self.controller.can_decide)
        self.pdf_button.show_plan(plan)
        if plan is None:
            self.note.setText(_("No plan for this month has been received."))
        elif plan.decided_on:
            self.note.setText(
                _("Decided on {date}. {note}").format(date=plan.decided_on, note=plan.decision_note)
            )
        else:
            self.note.setText(_("Waiting for the city's decision."))

    # -- decisions --------------------------------------------------------------------------

    def _open(self, dialog: QDialog, done: str) -> QDialog:
        """Show `dialog` window-modal without blocking; on OK say `done` and refresh."""
        dialog.accepted.connect(lambda: self.say(done, "ok"))
        self.dialog = dialog
        dialog.open()
        return dialog

    def approve(self) -> QDialog | None:
        plan = self.selected_plan()
        if plan is None:
            return None
        name = self.controller.scheme_name(plan.scheme)
        return self._open(
            ApproveDialog(plan, name, lambda note: self.controller.approve(plan, note), self),
            _("{county}'s plan was approved.").format(county=plan.name),
        )

    def reduce(self) -> QDialog | None:
        plan = self.selected_plan()
        if plan is None:
            return None
        name = self.controller.scheme_name(plan.scheme)
        return self._open(
            ReduceDialog(
                plan, name, lambda cuts, note: self.controller.reduce(plan, cuts, note), self
            ),
            _("{county}'s plan was approved with reduced lines.").format(county=plan.name),
        )

    def return_plan(self) -> QDialog | None:
        plan = self.selected_plan()
        if plan is None:
            return None
        name = self.controller.scheme_name(plan.scheme)
        return self._open(
            ReturnDialog(
                plan, name, lambda reason: self.controller.return_plan(plan, reason), self
            ),
            _("{county}'s plan was returned.").format(county=plan.name),
        )
