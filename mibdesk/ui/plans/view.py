"""The fund-use plan screen (用款计划): one scheme's plan for a month as a grid, its totals in
capital numerals, the quota beside it, its deadlines and its versions."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QToolTip,
    QVBoxLayout,
)

from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen
from mibdesk.core.services.changes import Area
from mibdesk.core.tables.plan_table import (
    JUSTIFICATION,
    SUGGESTED,
    method_label,
)
from mibdesk.ui.accounts.listing import message_label, row_list, show_line
from mibdesk.ui.context import UiContext
from mibdesk.ui.exchange.sending import PlanSendButton
from mibdesk.ui.figures.dialogs import ReasonDialog
from mibdesk.ui.forms.button import FormButton
from mibdesk.ui.forms.controller import FormRequest
from mibdesk.ui.plans.controller import PlanController
from mibdesk.ui.plans.dialogs import DecisionDialog, DisbursementDialog, SuggestionDialog
from mibdesk.ui.plans.panels import StepsPanel, TotalsPanel
from mibdesk.ui.plans.rows import suggestion_rows
from mibdesk.ui.widgets.grid import GridView
from mibdesk.ui.widgets.period_bar import SchemeMonthBar
from mibdesk.ui.widgets.step_screen import StepScreen

REFRESH_ON = (Area.PLANS, Area.QUOTAS, Area.FIGURES)


class PlanScreen(StepScreen):
    """Scheme and month at the top with the plan's status and the steps that fit the user;
    the plan's grid with its totals and the quota below; its deadlines and versions last.

    Typed cells are saved at once (a pasted block as one save). Refreshes on plans, quotas
    and figures changed by others: at once when shown, otherwise the next time it is shown.
    """

    areas = REFRESH_ON
    controller: PlanController

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.controller = PlanController(ctx, self.schedule_flush)

        self.bar = SchemeMonthBar(
            _("Fund-use plan"),
            _("Plan month"),
            ctx.profile.schemes,
            self.controller.months,
            self.controller.month,
            "planStatus",
        )
        self.bar.chosen.connect(self._choose)
        self.scheme_combo, self.month_combo = self.bar.scheme_combo, self.bar.month_combo
        self.prev_button, self.next_button = self.bar.prev_button, self.bar.next_button
        self.status_label = self.bar.status_label

        self.draft_button = self.step_button(_("Draft"), self._draft)
        self.redraft_button = self.step_button(_("Revise and resubmit"), self._redraft)
        self.review_button = self.step_button(_("Pass review"), self._review)
        self.sign_button = self.step_button(_("Sign"), self._sign)
        self.submit_button = self.step_button(_("Submit to the city"), self._submit)
        self.send_back_button = self.step_button(_("Send back…"), self._send_back)
        self.decision_button = self.step_button(_("Enter decision…"), self._decision)
        self.disbursement_button = self.step_button(_("Enter money received…"), self._disbursement)
        self.working_button = self.step_button(_("How suggested…"), lambda: self.show_working())
        actions = QHBoxLayout()
        for button in self._flow_buttons():
            actions.addWidget(button)
        self.send_button = PlanSendButton(
            ctx, lambda: (self.controller.scheme_code, self.controller.month), self.say
        )
        actions.addWidget(self.send_button)
        actions.addStretch(1)
        actions.addWidget(self.working_button)
        self.form_button = FormButton(ctx, self._form_request, self)
        actions.addWidget(self.form_button)

        self.notice = message_label("planNotice")
        self.message = message_label("planMessage")
        self.message.hide()

        self.grid = GridView(self)
        self.grid.verticalHeader().hide()
        self.grid.horizontalHeader().setStretchLastSection(True)
        self.grid.set_table(self.controller.table)
        self.grid.editsRejected.connect(self.edits_rejected)
        self.grid.doubleClicked.connect(self._double_clicked)
        self.grid.horizontalHeader().sectionClicked.connect(self._header_clicked)
        self.grid.viewport().installEventFilter(self)
        self.totals = TotalsPanel()
        self.steps = StepsPanel()
        versions_box = QGroupBox(_("Plan versions"))
        self.versions = row_list(self)
        self.versions.set_table(self.controller.versions)
        QVBoxLayout(versions_box).addWidget(self.versions)
        bottom = QHBoxLayout()
        bottom.addWidget(self.steps, 3)
        bottom.addWidget(versions_box, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addLayout(actions)
        layout.addWidget(self.notice)
        layout.addWidget(self.message)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.totals)
        layout.addLayout(bottom)
        layout.addStretch(0)  # takes the grid's room while the month has no plan
        self.show_current()

    # -- refreshing -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the plan again (someone changed plans, quotas or figures)."""
        self.controller.reload()
        self.reset_undo()
        self.show_current()

    def show_current(self) -> None:
        controller, view = self.controller, self.controller.view
        self.grid.refresh()
        hidden = controller.table.hidden_columns()
        for col in range(len(controller.table.columns)):
            self.grid.setColumnHidden(col, col in hidden)
        self.versions.refresh()
        self.status_label.setText(controller.status_text())
        notice, bad = controller.notice()
        show_line(self.notice, notice, "error" if bad else "note")
        can = controller.actions()
        steps = (
            can.draft,
            can.redraft,
            can.review,
            can.sign,
            can.submit,
            can.send_back,
            can.decision,
            can.disbursement,
        )
        for button, action in zip(self._flow_buttons(), steps, strict=True):
            button.setVisible(action.visible)
            button.setEnabled(action.enabled)
        self.working_button.setEnabled(controller.suggestion is not None)
        self.send_button.update_for(view.status if view is not None else None)
        self.grid.setVisible(view is not None)
        self.totals.show_plan(view)
        self.steps.show_steps(controller.steps(), view is not None and view.status == "returned")
        self.bar.update_arrows()

    def reset_undo(self) -> None:
        """Undo steps belong to the plan they were typed over: drop them on a reload."""
        self.grid.undo_stack.clear()

    # -- saving typed cells -----------------------------------------------------------------

    def flush(self) -> None:
        """Save the cells typed since the last save (a pasted block as one save)."""
        error = self.controller.flush()
        wants_reason = self.controller.table.wants_reason
        if error is not None:
            self.controller.reload()
            self.reset_undo()
        self.show_current()
        if error is not None:
            self.say(error)
            row = self.controller.table.row_of(wants_reason) if wants_reason else None
            if row is not None:
                self.grid.go_to(row, JUSTIFICATION)
        else:
            self.say("")

    # -- choosing the month -----------------------------------------------------------------

    def _choose(self) -> None:
        self.flush_pending()
        self.controller.load(self.bar.scheme(), self.bar.month())
        self.reset_undo()
        self.say("")
        self.show_current()

    def _form_request(self) -> FormRequest:
        """The 用款计划申请表 of the plan shown, typed cells saved first."""
        self.flush_pending()
        return FormRequest.plan(self.controller.scheme_code, self.controller.month)

    # -- steps ------------------------------------------------------------------------------

    def _flow_buttons(self) -> tuple[QPushButton, ...]:
        return (
            self.draft_button,
            self.redraft_button,
            self.review_button,
            self.sign_button,
            self.submit_button,
            self.send_back_button,
            self.decision_button,
            self.disbursement_button,
        )

    def _draft(self) -> None:
        self.run_step(
            self.controller.draft, _("The {month} plan was drafted from the suggestions.")
        )

    def _redraft(self) -> None:
        self.run_step(
            self.controller.draft,
            _("A new version of the {month} plan was drafted from the returned one."),
        )

    def _review(self) -> None:
        self.run_step(self.controller.review, _("The {month} plan passed review."))

    def _sign(self) -> None:
        self.run_step(self.controller.sign, _("The {month} plan was signed."))

    def _submit(self) -> None:
        self.run_step(self.controller.submit, _("The {month} plan was submitted to the city."))

    def _send_back(self) -> None:
        dialog = ReasonDialog(
            _("Send back"),
            _("The plan goes back to its preparer as a draft, with your reason."),
            _("e.g. the inpatient request does not follow last year's December"),
            self.controller.send_back,
            self,
        )
        self.step_dialog(dialog, _("The {month} plan was sent back."))

    def _decision(self) -> None:
        view = self.controller.view
        if view is not None:
            dialog = DecisionDialog(
                view,
                self.controller.today,
                lambda decision, on, note, cuts: self.controller.record_decision(
                    decision, on, note, cuts
                ),
                self,
            )
            self.step_dialog(dialog, _("The city's decision on the {month} plan was saved."))

    def _disbursement(self) -> None:
        view = self.controller.view
        if view is not None:
            dialog = DisbursementDialog(
                view, self.controller.today, self.controller.record_disbursement, self
            )
            self.step_dialog(dialog, _("The money received for the {month} plan was saved."))

    # -- the suggestion's working -----------------------------------------------------------

    def show_working(self, row: int | None = None) -> None:
        """Show how each line's suggestion was found, starting at `row` (the current row)."""
        suggestion = self.controller.suggestion
        if suggestion is None:
            self.say(self.controller.problem)
            return
        if row is None:
            where = self.grid.current_cell()
            row = where[0] if where else 0
        heading = _(
            "Suggestions for {month}, from the monthly figures reported before it: {total} yuan "
            "in all; {remaining} yuan remain for plans."
        ).format(
            month=suggestion.month.label,
            total=format_fen(suggestion.total),
            remaining=format_fen(suggestion.remaining_for_plans or 0),
        )
        if suggestion.capped:
            heading += " " + _("Cut down to fit the remaining quota.")
        rows = suggestion_rows(suggestion, self.controller.line_names())
        workings = [item.working for item in suggestion.lines]
        SuggestionDialog(heading, rows, workings, row, self).exec()

    def _double_clicked(self, index: QModelIndex) -> None:
        where = self.grid.current_cell()
        if where is not None and where[1] == SUGGESTED and index.isValid():
            self.show_working(where[0])

    def _header_clicked(self, section: int) -> None:
        if section == SUGGESTED:
            self.show_working()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Over a suggested amount, the tooltip names its method."""
        if watched is self.grid.viewport() and event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            index = self.grid.indexAt(event.pos())
            item = self.controller.table.line(index.row()) if index.isValid() else None
            if item is not None and index.column() == SUGGESTED:
                text = _("Method: {method}. Double-click to see the working.").format(
                    method=method_label(self.controller.method_of(item))
                )
                QToolTip.showText(event.globalPos(), text, self.grid)
                return True
        return super().eventFilter(watched, event)
