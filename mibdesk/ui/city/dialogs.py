"""The decision dialogs of the plan review: approve (with a note), reduce lines (amount and
reason per line), return (with the reasons). OK runs the decision; a refusal stays in the
dialog, in the user's language, and nothing changes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QTableWidget, QTableWidgetItem, QWidget

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen, parse_yuan
from mibdesk.ui.accounts.dialogs import FormDialog
from mibdesk.ui.widgets.text_box import text_box

if TYPE_CHECKING:
    from mibdesk.core.services.city.plans import CountyPlanView


def _plan_title(plan: CountyPlanView, scheme_name: str) -> str:
    return _("{county} · {scheme} · plan for {month} (version {v})").format(
        county=plan.name, scheme=scheme_name, month=plan.month.label, v=plan.version
    )


class ApproveDialog(FormDialog):
    """Approve every line as asked; OK runs `submit(note)`."""

    def __init__(
        self,
        plan: CountyPlanView,
        scheme_name: str,
        submit: Callable[[str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Approve the plan"), _("Approve"), parent)
        self._submit = submit
        self.add_intro(
            _("{plan}\nApprove {amount} as requested. The decision goes to the county.").format(
                plan=_plan_title(plan, scheme_name), amount=format_fen(plan.requested)
            )
        )
        self.note = text_box(_("optional"))
        self.form.addRow(_("Note"), self.note)

    def submit(self) -> None:
        self._submit(self.note.toPlainText())


class ReduceDialog(FormDialog):
    """Give the approved amount and the reason for each line to reduce (lines left empty are
    approved in full); OK runs `submit(cuts, note)` with cuts line → (fen, reason)."""

    def __init__(
        self,
        plan: CountyPlanView,
        scheme_name: str,
        submit: Callable[[Mapping[str, tuple[int, str]], str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Reduce lines of the plan"), _("Reduce"), parent)
        self.setMinimumWidth(760)
        self._submit = submit
        self._plan = plan
        self.add_intro(
            _(
                "{plan}\nFor each line to reduce, type the amount the city approves (yuan) and "
                "the reason. Lines left empty are approved as requested."
            ).format(plan=_plan_title(plan, scheme_name))
        )
        self.table = QTableWidget(len(plan.lines), 4)
        self.table.setObjectName("cuts")
        self.table.setHorizontalHeaderLabels(
            [_("Line"), _("Requested (yuan)"), _("Approved (yuan)"), _("Reason")]
        )
        self.table.verticalHeader().hide()
        self.amounts: dict[str, QLineEdit] = {}
        self.reasons: dict[str, QLineEdit] = {}
        for row, line in enumerate(plan.lines):
            for col, text in enumerate((line.name, format_fen(line.requested))):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if col == 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
            amount, reason = QLineEdit(), QLineEdit()
            amount.setPlaceholderText(_("as requested"))
            reason.setPlaceholderText(_("why the line is reduced"))
            self.table.setCellWidget(row, 2, amount)
            self.table.setCellWidget(row, 3, reason)
            self.amounts[line.line], self.reasons[line.line] = amount, reason
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(2, 140)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(60 + 32 * len(plan.lines))
        self.form.addRow(self.table)
        self.note = text_box(_("optional"))
        self.form.addRow(_("Note"), self.note)

    def cuts(self) -> dict[str, tuple[int, str]]:
        """The lines with an amount typed; ValidationError for an amount that is not one."""
        found = {}
        for line in self._plan.lines:
            text = self.amounts[line.line].text().strip()
            reason = self.reasons[line.line].text()
            if not text:
                if reason.strip():
                    raise ValidationError(
                        _("Type the approved amount for the reduced line."), where=line.name
                    )
                continue
            found[line.line] = (parse_yuan(text, where=line.name), reason)
        return found

    def submit(self) -> None:
        self._submit(self.cuts(), self.note.toPlainText())


class ReturnDialog(FormDialog):
    """Send the plan back with the city's reasons; OK runs `submit(reasons)`."""

    def __init__(
        self,
        plan: CountyPlanView,
        scheme_name: str,
        submit: Callable[[str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Return the plan"), _("Return"), parent)
        self._submit = submit
        self.add_intro(
            _(
                "{plan}\nThe county gets the plan back with these reasons and may submit a new "
                "version."
            ).format(plan=_plan_title(plan, scheme_name))
        )
        self.reason = text_box(_("e.g. inpatient spending is above the time progress"))
        self.form.addRow(_("Reason"), self.reason)

    def submit(self) -> None:
        self._submit(self.reason.toPlainText())
