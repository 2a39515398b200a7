"""The quota screen's dialogs: publishing an allocation (the head confirms the counties and
totals and gives the document), and choosing the report line a factor is filled from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from mibdesk.core.i18n import _
from mibdesk.core.periods import Month
from mibdesk.ui.accounts.dialogs import FormDialog
from mibdesk.ui.forms.dialogs import WorkDialog
from mibdesk.ui.plans.dialogs import chosen_date, date_edit
from mibdesk.ui.tasks import TaskRunner
from mibdesk.ui.widgets.text_box import text_box

PublishJob = Callable[[str, date, str], Callable[[], Any]]
"""(document number, date, reason) → the publishing work, run on the task runner."""


class PublishDialog(WorkDialog):
    """Lists what goes out (`summary`), asks for the document number, date and (for an
    adjustment) the reason; OK publishes on the task runner. `outcome`: the service's."""

    def __init__(
        self,
        summary: str,
        adjustment: bool,
        today: date,
        job: PublishJob,
        tasks: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Publish to the counties"), _("Publish"), tasks, parent)
        self.setMinimumWidth(560)
        self._job = job
        listing = QPlainTextEdit(summary)
        listing.setObjectName("publishSummary")
        listing.setReadOnly(True)
        listing.setMinimumHeight(160)
        self.form.addRow(listing)
        self.doc_no = QLineEdit()
        self.doc_no.setPlaceholderText(_("e.g. 绍医保〔2027〕1号"))
        self.doc_date = date_edit(today)
        self.reason = text_box(
            _("what the adjustment is for") if adjustment else _("optional"),
        )
        self.form.addRow(_("Document number"), self.doc_no)
        self.form.addRow(_("Document date"), self.doc_date)
        self.form.addRow(_("Reason"), self.reason)

    def job(self) -> Callable[[], Any]:
        return self._job(self.doc_no.text(), chosen_date(self.doc_date), self.reason.toPlainText())


class FactorSourceDialog(FormDialog):
    """Which report line, of which month, fills a factor's values; `chosen` after OK."""

    def __init__(
        self,
        factor: str,
        lines: Sequence[tuple[str, str]],
        months: Sequence[Month],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Fill a factor from the reports"), _("Fill"), parent)
        self.add_intro(
            _(
                "Fill {factor} with each county's figure from its latest monthly report of the "
                "month chosen. Counties without a report keep what was typed."
            ).format(factor=factor)
        )
        self.line = QComboBox()
        for code, name in lines:
            self.line.addItem(name, code)
        self.month = QComboBox()
        for month in months:
            self.month.addItem(month.label, str(month))
        self._months = list(months)
        self.form.addRow(_("Report line"), self.line)
        self.form.addRow(_("Report month"), self.month)
        self.chosen: tuple[str, Month] | None = None

    def submit(self) -> None:
        self.chosen = (str(self.line.currentData()), self._months[self.month.currentIndex()])
