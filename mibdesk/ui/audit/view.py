"""The audit screen: who did what and when, filtered; one entry's before/after; chain check."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.i18n import _
from mibdesk.core.repos.audit import AuditFilter
from mibdesk.core.security.audit_chain import AuditRecord
from mibdesk.core.services import audit_labels
from mibdesk.core.services.audit_log import ChainVerdict
from mibdesk.core.services.changes import Area
from mibdesk.ui.accounts.listing import message_label, row_list, selected_row, show_message
from mibdesk.ui.audit.controller import AuditController, local_time, pretty_json, verdict_text
from mibdesk.ui.context import UiContext
from mibdesk.ui.widgets.refreshing import RefreshingScreen

FILTER_DELAY_MS = 250
"""Typing pauses this long before the list is filtered again."""


class _OptionalDate(QWidget):
    """A check box and a date: unchecked means "any date"."""

    def __init__(self, label: str, default: QDate) -> None:
        super().__init__()
        self.check = QCheckBox(label)
        self.date = QDateEdit(default)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setEnabled(False)
        self.check.toggled.connect(self.date.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.date)

    def iso(self) -> str:
        """The date as ISO text, or "" when any date will do."""
        return self.date.date().toString("yyyy-MM-dd") if self.check.isChecked() else ""


def _json_pane(title: str) -> tuple[QGroupBox, QPlainTextEdit]:
    box = QGroupBox(title)
    text = QPlainTextEdit()
    text.setReadOnly(True)
    text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    text.setPlaceholderText(_("No value"))
    QVBoxLayout(box).addWidget(text)
    return box, text


class AuditScreen(RefreshingScreen):
    """Filter bar, newest entries first, the selected entry's values, and the chain check.

    Refreshes on `Area.AUDIT` (and `Area.USERS`, for the list of actors) — at once when shown,
    otherwise the next time it is shown, since every write in the office adds an entry.
    """

    areas = (Area.AUDIT, Area.USERS)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.controller = AuditController(ctx)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._load)

        today = ctx.store.clock().date()
        self.actor = QComboBox()
        self.actor.setLineEdit(QLineEdit(placeholderText=_("Anyone")))
        self.actor.setMinimumContentsLength(10)
        self.action = QComboBox()
        self.action.setMinimumContentsLength(14)
        self.text = QLineEdit()
        self.text.setPlaceholderText(_("Search keys, reasons and new values"))
        self.text.setClearButtonEnabled(True)
        start = today - timedelta(days=30)
        self.date_from = _OptionalDate(_("From"), QDate(start.year, start.month, start.day))
        self.date_to = _OptionalDate(_("To"), QDate(today.year, today.month, today.day))
        clear = QPushButton(_("Clear filter"))
        clear.clicked.connect(self.clear_filter)
        self._fill_choices()
        for signal in (
            self.actor.currentTextChanged,
            self.action.currentIndexChanged,
            self.text.textChanged,
            self.date_from.check.toggled,
            self.date_from.date.dateChanged,
            self.date_to.check.toggled,
            self.date_to.date.dateChanged,
        ):
            signal.connect(self._filter_timer.start)

        bar = QHBoxLayout()
        for label, widget in ((_("Actor"), self.actor), (_("Action"), self.action)):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addWidget(self.text, 1)
        bar.addWidget(self.date_from)
        bar.addWidget(self.date_to)
        bar.addWidget(clear)

        self.grid = row_list(self)
        self.grid.set_table(self.controller.table)
        self.grid.selectionModel().selectionChanged.connect(self._show_details)
        self.summary = QLabel()
        self.summary.setObjectName("auditSummary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        before_box, self.before = _json_pane(_("Before"))
        after_box, self.after = _json_pane(_("After"))
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.summary)
        panes = QHBoxLayout()
        panes.addWidget(before_box)
        panes.addWidget(after_box)
        details_layout.addLayout(panes, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.grid)
        splitter.addWidget(details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        self.verify_button = QPushButton(_("Verify the audit chain"))
        self.verify_button.clicked.connect(self.verify)
        self.verdict = message_label("auditVerdict")
        self.count = QLabel()
        self.count.setObjectName("auditCount")
        footer = QHBoxLayout()
        footer.addWidget(self.verify_button)
        footer.addWidget(self.verdict, 1)
        footer.addWidget(self.count)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)
        self._load()

    def refresh(self) -> None:
        """Read the choices and entries again; an earlier chain verdict no longer holds."""
        show_message(self.verdict, "")
        self._fill_choices()
        self._load()

    def current_filter(self) -> AuditFilter:
        return AuditFilter(
            actor=self.actor.currentText().strip(),
            action=self.action.currentData() or "",
            text=self.text.text().strip(),
            date_from=self.date_from.iso(),
            date_to=self.date_to.iso(),
        )

    def clear_filter(self) -> None:
        self.actor.setCurrentText("")
        self.action.setCurrentIndex(0)
        self.text.clear()
        self.date_from.check.setChecked(False)
        self.date_to.check.setChecked(False)

    def selected_entry(self) -> AuditRecord | None:
        return self.controller.record_at(selected_row(self.grid))

    def verify(self) -> None:
        """Check the whole chain in the background; the verdict appears next to the button."""
        self.verify_button.setEnabled(False)
        show_message(self.verdict, _("Checking every entry of the audit log…"), "note")
        self.controller.verify(self._show_verdict, self._verify_failed)

    def _fill_choices(self) -> None:
        """Offer the current actors and actions, keeping what is chosen."""
        actor, action = self.actor.currentText(), self.action.currentData()
        for combo in (self.actor, self.action):
            combo.blockSignals(True)
            combo.clear()
        self.actor.addItems(["", *self.controller.actors()])
        self.actor.setCurrentText(actor)
        self.action.addItem(_("Any action"), "")
        for name in self.controller.actions():
            self.action.addItem(audit_labels.action_label(name), name)
        self.action.setCurrentIndex(max(self.action.findData(action), 0))
        for combo in (self.actor, self.action):
            combo.blockSignals(False)

    def _load(self) -> None:
        """Show the entries matching the filter, keeping the selected entry if it is shown."""
        kept = self.selected_entry()
        flt = self.current_filter()
        self.controller.load(flt)
        self.grid.refresh()
        self.grid.clearSelection()
        row = self.controller.row_of(kept.id) if kept else None
        if row is not None:
            self.grid.go_to(row, 0)
        self._show_details()
        shown = len(self.controller.records)
        self.count.setText(
            _("Newest {n} entries shown; narrow the filter to see older ones.").format(n=shown)
            if shown >= flt.limit
            else _("{n} entries").format(n=shown)
        )

    def _show_details(self) -> None:
        record = self.selected_entry()
        if record is None:
            self.summary.setText(_("Select an entry to see what it changed."))
            self.before.clear()
            self.after.clear()
            return
        parts = [
            _("No. {id}").format(id=record.id),
            local_time(record.at),
            record.actor,
            record.action,
            f"{record.entity} {record.entity_key}",
        ]
        if record.reason:
            parts.append(_("Reason: {reason}").format(reason=record.reason))
        self.summary.setText("　".join(parts))
        self.before.setPlainText(pretty_json(record.before_json))
        self.after.setPlainText(pretty_json(record.after_json))

    def _show_verdict(self, verdict: ChainVerdict) -> None:
        self.verify_button.setEnabled(True)
        show_message(self.verdict, verdict_text(verdict), "ok" if verdict.ok else "error")
        if verdict.first_broken_id is None:
            return
        self._load()  # the entry was changed behind our back: show it as it is now
        row = self.controller.row_of(verdict.first_broken_id)
        if row is not None:
            self.grid.go_to(row, 0)

    def _verify_failed(self) -> None:
        self.verify_button.setEnabled(True)
        show_message(self.verdict, "")
