"""The funding screen's dialogs: record finance's payment of an application (amount, date,
document number) and forward the money to the counties (all, or one with its amount).

OK reads and checks the fields, then the service runs on the task runner; a refusal is shown
under the fields in the user's language, the dialog stays open and nothing has changed.
`outcome` holds the service's `Outcome` when the dialog is accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QLineEdit, QWidget

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.money import daxie, format_fen, parse_yuan
from mibdesk.ui.forms.dialogs import WorkDialog
from mibdesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from mibdesk.core.services.changes import Outcome
    from mibdesk.core.services.city.application import Application
    from mibdesk.ui.city.funding_controller import FundingController


def date_field(day: date) -> QDateEdit:
    field = QDateEdit(QDate(day.year, day.month, day.day))
    field.setCalendarPopup(True)
    field.setDisplayFormat("yyyy-MM-dd")
    return field


def day_of(field: QDateEdit) -> date:
    chosen = field.date()
    return date(chosen.year(), chosen.month(), chosen.day())


def amount_of(field: QLineEdit, where: str) -> int:
    """The yuan typed in `field` as fen; ValidationError (naming `where`) when empty or bad."""
    text = field.text().strip()
    if not text:
        raise ValidationError(_("Type the amount in yuan."), where=where)
    return parse_yuan(text, where=where)


def _title(app: Application, scheme_name: str) -> str:
    return _("{scheme} · {month} · application {n}").format(
        scheme=scheme_name, month=app.month.label, n=app.number
    )


class FundingDialog(WorkDialog):
    """Finance's payment of `app`: the amount received, the day, finance's document number."""

    def __init__(
        self,
        controller: FundingController,
        tasks: TaskRunner,
        app: Application,
        scheme_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Record finance's payment"), _("Record"), tasks, parent)
        self._controller, self._app = controller, app
        self.add_intro(
            _(
                "{title}\nApplied for: {total} yuan ({words}), sent to finance on {date}. "
                "Type what finance paid into the city's account."
            ).format(
                title=_title(app, scheme_name),
                total=format_fen(app.total),
                words=daxie(app.total),
                date=app.applied_on or "",
            )
        )
        self.amount = QLineEdit(format_fen(app.total))
        self.amount.setObjectName("fundedAmount")
        self.paid_on = date_field(controller.today())
        self.doc_no = QLineEdit()
        self.doc_no.setPlaceholderText(_("e.g. 绍财社〔2026〕88号"))
        self.form.addRow(_("Amount received (yuan)"), self.amount)
        self.form.addRow(_("Date received"), self.paid_on)
        self.form.addRow(_("Finance's document number"), self.doc_no)

    def job(self) -> Callable[[], Outcome[Application]]:
        amount = amount_of(self.amount, _("Amount received"))
        paid_on, doc_no = day_of(self.paid_on), self.doc_no.text()
        controller, app = self._controller, self._app
        return lambda: controller.record_funding(app, amount, paid_on, doc_no)


class ForwardDialog(WorkDialog):
    """Forward finance's money: to every county not yet paid (`county` None, each its approved
    amount) or to one county (the amount typed, at most what was approved)."""

    def __init__(
        self,
        controller: FundingController,
        tasks: TaskRunner,
        app: Application,
        scheme_name: str,
        county: tuple[str, str, int] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Forward to the counties"), _("Forward"), tasks, parent)
        self._controller, self._app, self._county = controller, app, county
        self.amount: QLineEdit | None = None
        if county is None:
            unpaid = controller.unpaid(app)
            names = "、".join(name for _code, name, _amount in unpaid)
            total = sum(amount for _code, _name, amount in unpaid)
            self.add_intro(
                _(
                    "{title}\nPay {count} counties their approved amounts, {total} yuan in all, "
                    "and send each a disbursement notice: {names}."
                ).format(
                    title=_title(app, scheme_name),
                    count=len(unpaid),
                    total=format_fen(total),
                    names=names,
                )
            )
        else:
            _code, name, approved = county
            self.add_intro(
                _(
                    "{title}\nPay {name} (approved {approved} yuan) and send it a "
                    "disbursement notice."
                ).format(title=_title(app, scheme_name), name=name, approved=format_fen(approved))
            )
            self.amount = QLineEdit(format_fen(approved))
            self.amount.setObjectName("forwardAmount")
            self.form.addRow(_("Amount (yuan)"), self.amount)
        self.paid_on = date_field(controller.today())
        self.form.addRow(_("Payment date"), self.paid_on)

    def job(self) -> Callable[[], Outcome[Application]]:
        controller, app, paid_on = self._controller, self._app, day_of(self.paid_on)
        if self._county is None or self.amount is None:
            return lambda: controller.forward_all(app, paid_on)
        code, name, _approved = self._county
        amount = amount_of(self.amount, name)
        return lambda: controller.forward(app, code, amount, paid_on)
