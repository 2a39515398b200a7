"""The funding screen (用款申请与拨付): the city's monthly application to finance for a scheme —
which counties' approved plans it holds and which are not ready yet, its lines and totals,
each step against its deadline in working days — and the work: assemble it, write, print and
sign the form (the head's signature applies to finance), record finance's payment, forward
the money to the counties."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
)

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.services.changes import Area, Outcome
from mibdesk.ui.accounts.listing import message_label, show_message
from mibdesk.ui.city.common import MonthPicker, fill, screen_header, selected, text_table
from mibdesk.ui.city.funding_controller import (
    Cell,
    FundingController,
    county_cells,
    county_columns,
    line_columns,
    step_columns,
)
from mibdesk.ui.city.funding_dialogs import ForwardDialog, FundingDialog
from mibdesk.ui.city.funding_form import ApplicationFormButton, ApplicationRequest
from mibdesk.ui.context import UiContext
from mibdesk.ui.forms.dialogs import WorkDialog
from mibdesk.ui.widgets.refreshing import RefreshingScreen

if TYPE_CHECKING:
    from mibdesk.core.services.city.application import Application


def _fill_cells(
    table: QTableWidget, rows: Sequence[Sequence[Cell]], numeric: Sequence[int]
) -> None:
    fill(
        table,
        [[c.text for c in row] for row in rows],
        numeric,
        [[c.colour for c in row] for row in rows],
        [[c.tip for c in row] for row in rows],
    )


class FundingScreen(RefreshingScreen):
    """Counties on top, the application's lines and its deadlines below, the work as buttons.
    Refreshes on `Area.PLANS` and `Area.OFFICE` (a plan came in or was decided, an
    application changed)."""

    areas = (Area.OFFICE, Area.PLANS)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.controller = FundingController(ctx)
        self.dialog: WorkDialog | None = None

        self.picker = MonthPicker(self.controller.months, self.controller.current)
        self.picker.chosen.connect(self.refresh)
        self.scheme = QComboBox()
        for code, name in self.controller.schemes:
            self.scheme.addItem(name, code)
        self.scheme.currentIndexChanged.connect(self.refresh)
        self.number = QComboBox()
        self.number.setObjectName("applicationNumber")
        self.number.activated.connect(lambda _index: self._show())
        self.status = QLabel()
        self.status.setObjectName("applicationStatus")
        self.status.setWordWrap(True)
        top = screen_header(_("Funding"), _("Plan month"), self.picker, self.status)
        top.insertWidget(4, QLabel(_("Scheme")))
        top.insertWidget(5, self.scheme)
        top.insertWidget(6, self.number)
        self.message = message_label("fundingMessage")
        self.message.hide()

        self.summary = message_label("countySummary")
        self.counties = text_table(county_columns())
        self.counties.setObjectName("applicationCounties")
        self.counties.itemSelectionChanged.connect(self._buttons)
        counties_box = QGroupBox(_("Counties' plans"))
        counties_layout = QVBoxLayout(counties_box)
        counties_layout.addWidget(self.summary)
        counties_layout.addWidget(self.counties)

        self.lines = text_table(line_columns())
        self.lines.setObjectName("applicationLines")
        self.progress = QLabel()
        self.progress.setObjectName("applicationProgress")
        self.progress.setWordWrap(True)
        lines_box = QGroupBox(_("Lines of the application"))
        lines_layout = QVBoxLayout(lines_box)
        lines_layout.addWidget(self.progress)
        lines_layout.addWidget(self.lines)
        self.steps = text_table(step_columns())
        self.steps.setObjectName("applicationSteps")
        steps_box = QGroupBox(_("Deadlines (working days)"))
        QVBoxLayout(steps_box).addWidget(self.steps)
        lower = QHBoxLayout()
        lower.addWidget(lines_box, 3)
        lower.addWidget(steps_box, 2)

        self.assemble_button = QPushButton(_("Assemble"))
        self.assemble_button.setToolTip(
            _("Take every approved plan not yet applied for into the month's application")
        )
        self.assemble_button.clicked.connect(self.assemble)
        self.form_button = ApplicationFormButton(ctx, self.form_request, self)
        self.funding_button = QPushButton(_("Record finance's payment…"))
        self.funding_button.clicked.connect(self.record_funding)
        self.forward_all_button = QPushButton(_("Forward to all counties…"))
        self.forward_all_button.clicked.connect(self.forward_all)
        self.forward_button = QPushButton(_("Forward to the selected county…"))
        self.forward_button.clicked.connect(self.forward_one)
        self.form_button.setMinimumHeight(self.assemble_button.sizeHint().height())
        buttons = QHBoxLayout()
        for button in (
            self.assemble_button,
            self.form_button,
            self.funding_button,
            self.forward_all_button,
            self.forward_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(counties_box, 1)
        layout.addLayout(lower, 1)
        layout.addLayout(buttons)
        self.refresh()

    # -- refreshing -------------------------------------------------------------------------

    def scheme_code(self) -> str:
        return str(self.scheme.currentData())

    def refresh(self) -> None:
        self.say("")  # a message speaks of what was shown before
        keep = self.number.currentData()
        self.controller.load(self.scheme_code(), self.picker.month())
        self.number.clear()
        for app in self.controller.applications:
            self.number.addItem(_("Application {n}").format(n=app.number), app.number)
        chosen = self.controller.chosen(keep)
        if chosen is not None:
            self.number.setCurrentIndex(self.number.findData(chosen.number))
        self.number.setVisible(len(self.controller.applications) > 1)
        text, tone = self.controller.summary()
        show_message(self.summary, text, "ok" if tone == "ok" else "note")
        _fill_cells(
            self.counties, [county_cells(row) for row in self.controller.counties], (2, 3, 4, 5)
        )
        self._show()

    def shown(self) -> Application | None:
        data = self.number.currentData()
        return self.controller.chosen(int(data) if data is not None else None)

    def _show(self) -> None:
        app = self.shown()
        if app is None:
            self.status.setText(_("No application to finance for this month yet."))
            self.progress.setText("")
            _fill_cells(self.lines, [], ())
            _fill_cells(self.steps, self.controller.steps(None), ())
        else:
            self.status.setText(self.controller.status_text(app))
            self.progress.setText(self.controller.progress_text(app))
            _fill_cells(self.lines, self.controller.line_cells(app), (1, 2, 3))
            self._bold_last_row(self.lines)
            _fill_cells(self.steps, self.controller.steps(app), ())
        self.progress.setVisible(bool(self.progress.text()))
        self.lines.horizontalHeader().setStretchLastSection(False)  # amounts stay by their heads
        self._buttons()

    @staticmethod
    def _bold_last_row(table: QTableWidget) -> None:
        row = table.rowCount() - 1
        for col in range(table.columnCount()):
            item = table.item(row, col)
            if item is not None:
                font = item.font()
                font.setBold(True)
                item.setFont(font)

    def selected_county(self) -> tuple[str, str, int] | None:
        """(code, name, approved) of the selected county, when the shown application holds
        it and has not paid it yet."""
        app, row = self.shown(), selected(self.counties)
        if app is None or row is None or row >= len(self.controller.counties):
            return None
        code = self.controller.counties[row].county
        return next((c for c in self.controller.unpaid(app) if c[0] == code), None)

    def _buttons(self) -> None:
        app, can = self.shown(), self.controller
        waiting = any(row.standing == "waiting" for row in can.counties)
        self.assemble_button.setEnabled(can.can_enter and waiting)
        self.form_button.setEnabled(app is not None)
        self.funding_button.setEnabled(
            can.can_enter and app is not None and app.status == "applied"
        )
        funded = can.can_pay and app is not None and app.status == "funded"
        self.forward_all_button.setEnabled(funded and bool(app and can.unpaid(app)))
        self.forward_button.setEnabled(funded and self.selected_county() is not None)

    def say(self, text: str, tone: Literal["error", "ok", "note"] = "error") -> None:
        show_message(self.message, text, tone)
        self.message.setVisible(bool(text))

    # -- work -------------------------------------------------------------------------------

    def form_request(self) -> ApplicationRequest:
        app = self.shown()
        return ApplicationRequest(
            "plan",
            self.scheme_code(),
            self.picker.month(),
            self.picker.month().year,
            app.number if app else 0,
        )

    def assemble(self) -> None:
        scheme, month = self.scheme_code(), self.picker.month()
        self.assemble_button.setEnabled(False)
        self.ctx.tasks.run(
            lambda progress: self.controller.assemble(scheme, month),
            lambda outcome: self._done(
                outcome, _("Application {n} was assembled.").format(n=outcome.value.number)
            ),
            self._refused,
            label=_("Assembling the application"),
        )

    def _done(self, outcome: Outcome[Application], text: str) -> None:
        """Publish what changed (the screen refreshes from the hub), then say `text`."""
        self.ctx.hub.publish(outcome.changes)
        self.say(text, "ok")

    def _refused(self, error: BaseException) -> None:
        self._buttons()
        if isinstance(error, UserError):
            self.say(str(error))
        else:
            self.ctx.tasks.show_error(error)

    def _open(self, dialog: WorkDialog, done: str) -> WorkDialog:
        """Show `dialog` window-modal; when its work is done, publish and say `done`."""
        dialog.accepted.connect(lambda: self._done(dialog.outcome, done))
        self.dialog = dialog
        dialog.open()
        return dialog

    def record_funding(self) -> WorkDialog | None:
        app = self.shown()
        if app is None:
            return None
        dialog = FundingDialog(
            self.controller, self.ctx.tasks, app, self.scheme.currentText(), self
        )
        return self._open(dialog, _("Finance's payment was recorded."))

    def forward_all(self) -> WorkDialog | None:
        app = self.shown()
        if app is None:
            return None
        dialog = ForwardDialog(
            self.controller, self.ctx.tasks, app, self.scheme.currentText(), None, self
        )
        names = "、".join(name for _code, name, _amount in self.controller.unpaid(app))
        return self._open(
            dialog,
            _("Forwarded to {names}; each was sent its disbursement notice.").format(names=names),
        )

    def forward_one(self) -> WorkDialog | None:
        app, county = self.shown(), self.selected_county()
        if app is None or county is None:
            return None
        dialog = ForwardDialog(
            self.controller, self.ctx.tasks, app, self.scheme.currentText(), county, self
        )
        return self._open(dialog, _("{name} was paid and sent its notice.").format(name=county[1]))
