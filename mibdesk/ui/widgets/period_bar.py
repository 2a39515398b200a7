"""The top bar of the month screens: title, scheme, ◀ month ▶, and the month's status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolButton, QWidget

from mibdesk.core.i18n import _
from mibdesk.core.periods import Month

if TYPE_CHECKING:
    from mibdesk.core.catalog import SchemeProfile


class SchemeMonthBar(QWidget):
    """`chosen` fires when the scheme or the month changes; `months` are offered in order."""

    chosen = Signal()

    def __init__(
        self,
        title: str,
        month_label: str,
        schemes: Sequence[SchemeProfile],
        months: Sequence[Month],
        current: Month,
        status_name: str,
    ) -> None:
        super().__init__()
        self.months = list(months)
        heading = QLabel(title)
        heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.scheme_combo = QComboBox()
        for scheme in schemes:
            self.scheme_combo.addItem(scheme.name, scheme.code)
        self.month_combo = QComboBox()
        for month in self.months:
            self.month_combo.addItem(month.label, str(month))
        self.month_combo.setCurrentIndex(self.months.index(current))
        self.prev_button, self.next_button = QToolButton(), QToolButton()
        self.prev_button.setText("◀")
        self.next_button.setText("▶")
        self.prev_button.setToolTip(_("Previous month"))
        self.next_button.setToolTip(_("Next month"))
        self.prev_button.clicked.connect(lambda: self.step_month(-1))
        self.next_button.clicked.connect(lambda: self.step_month(1))
        self.scheme_combo.currentIndexChanged.connect(self.chosen)
        self.month_combo.currentIndexChanged.connect(self.chosen)
        self.status_label = QLabel()
        self.status_label.setObjectName(status_name)
        self.status_label.setStyleSheet("font-weight: bold;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addSpacing(16)
        layout.addWidget(QLabel(_("Scheme")))
        layout.addWidget(self.scheme_combo)
        layout.addSpacing(8)
        layout.addWidget(QLabel(month_label))
        for widget in (self.prev_button, self.month_combo, self.next_button):
            layout.addWidget(widget)
        layout.addSpacing(16)
        layout.addWidget(self.status_label)
        layout.addStretch(1)

    def scheme(self) -> str:
        return str(self.scheme_combo.currentData())

    def month(self) -> Month:
        return self.months[self.month_combo.currentIndex()]

    def step_month(self, step: int) -> None:
        index = self.month_combo.currentIndex() + step
        if 0 <= index < self.month_combo.count():
            self.month_combo.setCurrentIndex(index)

    def update_arrows(self) -> None:
        index = self.month_combo.currentIndex()
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < self.month_combo.count() - 1)
