"""The calendar tab of the publish screen: a year's twelve months, holidays in red and moved
working days in blue; select days and mark them, import the notice's file, save, publish."""

from __future__ import annotations

import calendar as month_grid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.ui.city.publish_controller import PublishController
from mibdesk.ui.widgets.buttons import push_button

Say = Callable[..., None]
COLOURS = {"holiday": "#f4c7c3", "workday": "#c9daf8"}
WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")
CELL = 26


class MonthTable(QTableWidget):
    """One month: 7 columns (Monday first), a row per week; each day cell holds its date."""

    def __init__(self, year: int, month: int) -> None:
        weeks = month_grid.Calendar().monthdatescalendar(year, month)
        super().__init__(len(weeks), 7)
        self.month = month
        self.days: dict[date, QTableWidgetItem] = {}
        self.setHorizontalHeaderLabels(list(WEEKDAYS))
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for column in range(7):
            self.setColumnWidth(column, CELL)
        for row, week in enumerate(weeks):
            self.setRowHeight(row, 22)
            for column, day in enumerate(week):
                item = QTableWidgetItem(str(day.day) if day.month == month else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if day.month == month:
                    item.setData(Qt.ItemDataRole.UserRole, day.isoformat())
                    self.days[day] = item
                else:
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
                self.setItem(row, column, item)
        self.setFixedSize(CELL * 7 + 4, self.horizontalHeader().height() + 22 * len(weeks) + 4)

    def cell_of(self, day: date) -> QTableWidgetItem:
        return self.days[day]

    def selected_days(self) -> list[date]:
        found = []
        for item in self.selectedItems():
            value = item.data(Qt.ItemDataRole.UserRole)
            if value:
                found.append(date.fromisoformat(value))
        return sorted(found)


class CalendarPanel(QWidget):
    def __init__(
        self, controller: PublishController, say: Say, failed: Callable[[BaseException], None]
    ) -> None:
        super().__init__()
        self.controller = controller
        self._say, self._failed = say, failed
        edit, publish = controller.can_edit, controller.can_publish

        self.year = QSpinBox()
        self.year.setObjectName("calendarYear")
        self.year.setRange(2004, 2999)
        self.year.setValue(controller.draft.year)
        self.year.valueChanged.connect(self._open_year)
        self.source = QLineEdit()
        self.source.setObjectName("calendarSource")
        self.source.setPlaceholderText(_("e.g. 国务院办公厅关于2027年部分节假日安排的通知"))
        self.source.editingFinished.connect(self._source_typed)
        self.status = QLabel()
        self.status.setObjectName("calendarStatus")
        self.status.setWordWrap(True)
        self.published = QLabel()
        self.published.setObjectName("calendarPublished")

        top = QHBoxLayout()
        top.addWidget(QLabel(_("Year")))
        top.addWidget(self.year)
        top.addSpacing(12)
        top.addWidget(QLabel(_("Source")))
        top.addWidget(self.source, 1)

        self.holiday_button = push_button(_("Mark as holiday"), lambda: self.mark("holiday"), edit)
        self.workday_button = push_button(
            _("Mark as moved working day"), lambda: self.mark("workday"), edit
        )
        self.normal_button = push_button(
            _("Mark as ordinary day"), lambda: self.mark("normal"), edit
        )
        self.import_button = push_button(_("Import a file…"), self.import_file, edit)
        self.save_button = push_button(_("Save"), self.save, edit)
        self.publish_button = push_button(_("Publish to all counties"), self.publish, publish)
        marks = QHBoxLayout()
        for button in (self.holiday_button, self.workday_button, self.normal_button):
            marks.addWidget(button)
        legend = QLabel(_("Red: holiday; blue: moved working day (调休上班); grey: weekend."))
        marks.addWidget(legend, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.published, 1)
        for button in (self.import_button, self.save_button, self.publish_button):
            actions.addWidget(button)

        self.grid = QGridLayout()
        self.grid.setSpacing(10)
        self.months: list[MonthTable] = []
        self.boxes: list[QWidget] = []
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addLayout(marks)
        layout.addLayout(self.grid)
        layout.addStretch(1)
        layout.addLayout(actions)
        self._build_months()

    # -- showing ----------------------------------------------------------------------------

    def _build_months(self) -> None:
        for box in self.boxes:
            self.grid.removeWidget(box)
            box.deleteLater()
        self.months, self.boxes = [], []
        year = self.controller.draft.year
        for month in range(1, 13):
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.addWidget(QLabel(_("{month} month").format(month=month)))
            table = MonthTable(year, month)
            box_layout.addWidget(table)
            self.grid.addWidget(box, (month - 1) // 6, (month - 1) % 6, Qt.AlignmentFlag.AlignTop)
            self.months.append(table)
            self.boxes.append(box)
        self.refresh()

    def refresh(self) -> None:
        draft = self.controller.draft
        tips = {"holiday": _("Holiday"), "workday": _("Moved working day")}
        for table in self.months:
            for day, item in table.days.items():
                kind = draft.kind(day)
                item.setBackground(QColor(COLOURS.get(kind, "#ffffff")))
                item.setForeground(QColor("#888888" if kind == "weekend" else "#000000"))
                item.setToolTip(tips.get(kind, ""))
        self.source.setText(draft.data.source)
        data = draft.data
        if not draft.known and not draft.dirty:
            text = _(
                "There is no calendar for {year} yet: import the State Council notice as a file, "
                "or mark the holidays and moved working days, name the source, and save."
            ).format(year=draft.year)
        else:
            text = _("{year}: {holidays} holidays, {workdays} moved working days.").format(
                year=draft.year, holidays=len(data.holidays), workdays=len(data.workdays)
            )
            if draft.dirty:
                text += " " + _("Not saved yet.")
        self.status.setText(text)
        self.published.setText(self.controller.calendar_published())

    # -- actions ----------------------------------------------------------------------------

    def selected_days(self) -> list[date]:
        return [day for table in self.months for day in table.selected_days()]

    def _open_year(self, year: int) -> None:
        self.controller.open_year(year)
        self._build_months()

    def _source_typed(self) -> None:
        self.controller.draft.set_source(self.source.text())
        self.refresh()

    def mark(self, kind: str) -> None:
        days = self.selected_days()
        if not days:
            self._say(_("Select days in the calendar first."), "note")
            return
        try:
            self.controller.draft.mark(days, kind)  # type: ignore[arg-type]
        except UserError as error:
            self._say(str(error))
            return
        for table in self.months:
            table.clearSelection()
        self._say("")
        self.refresh()

    def import_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Import a calendar file"), "", _("Calendar files (*.xlsx *.csv *.json)")
        )
        if not path:
            return
        try:
            self.controller.draft.import_file(Path(path))
        except (UserError, OSError) as error:
            self._say(str(error))
            return
        self._say(_("The file was read; check the days, then save or publish."), "ok")
        self.refresh()

    def save(self) -> None:
        self.controller.draft.set_source(self.source.text())
        try:
            self.controller.save_calendar()
        except UserError as error:
            self._say(str(error))
            return
        self._say(
            _("The calendar for {year} was saved.").format(year=self.controller.draft.year), "ok"
        )
        self.refresh()

    def publish(self) -> None:
        self.controller.draft.set_source(self.source.text())
        self.publish_button.setEnabled(False)

        def done(text: str) -> None:
            self.publish_button.setEnabled(True)
            self._say(text, "ok")
            self.refresh()

        def failed(error: BaseException) -> None:
            self.publish_button.setEnabled(True)
            self._failed(error)

        self.controller.publish_calendar(done, failed)
