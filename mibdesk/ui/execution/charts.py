"""The execution charts (QtCharts): cumulative spending month by month against the quota
line and the time-progress line, with last year's cumulative and the projection; spending by
expenditure line this year beside the same months last year.

Money is int fen everywhere else. Here, and only here, amounts become floats in 万元 or 亿元
because a chart's coordinates are floats: they are for plotting only. Every figure a user
reads (tooltips) is formatted from the exact fen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
    QXYSeries,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QCursor, QFont, QPainter, QPen
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from mibdesk.core.i18n import _
from mibdesk.core.periods import Month
from mibdesk.core.rules.projection import CumulativeSeries, Projection
from mibdesk.core.rules.working import WAN, YI, yuan
from mibdesk.core.services.execution import LineExecution

ACTUAL_COLOR = "#1f5fa8"
PROJECTED_COLOR = "#7ea6d8"
QUOTA_COLOR = "#c62828"
TIME_COLOR = "#e08a00"
LAST_YEAR_COLOR = "#8a8f98"
LAST_YEAR_BAR_COLOR = "#c3cbd6"
MONTHS = 12
TICKS = 6


@dataclass(frozen=True)
class Unit:
    """The unit of a chart's value axis: 亿元 from one hundred million yuan, else 万元."""

    fen: int
    name: str

    def plot(self, fen: int) -> float:
        """`fen` as a float in this unit: a chart coordinate, never a figure shown."""
        return fen / self.fen


def unit_for(largest: int) -> Unit:
    """亿元 once the largest amount reaches one 亿元, else 万元 (so 万元 axes stay below
    10,000 and need no thousands separators)."""
    if abs(largest) >= YI:
        return Unit(YI, _("100 million yuan"))
    return Unit(WAN, _("10,000 yuan"))


def month_text(month: int) -> str:
    return _("Month {month}").format(month=month)


def _font(bold: bool = False, delta: int = 0) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSize(max(8, font.pointSize() + delta))
    font.setBold(bold)
    return font


def _chart() -> QChart:
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setTitleFont(_font(bold=True))
    legend = chart.legend()
    legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
    legend.setFont(_font(delta=-1))
    return chart


def _value_axis(unit: Unit, largest: int) -> QValueAxis:
    axis = QValueAxis()
    axis.setLabelsFont(_font(delta=-1))
    axis.setGridLineColor(QColor("#e3e6ea"))
    axis.setMinorTickCount(0)
    _set_range(axis, unit, largest)
    return axis


def _set_range(axis: QValueAxis, unit: Unit, largest: int) -> None:
    top = unit.plot(largest) * 1.05 if largest > 0 else 1.0
    axis.setRange(0.0, top)
    axis.setTickCount(TICKS)  # applyNiceNumbers changes it: start from the same each time
    axis.applyNiceNumbers()
    step = (axis.max() - axis.min()) / max(1, axis.tickCount() - 1)
    axis.setLabelFormat("%.1f" if step < 1 else "%.0f")


class CumulativeChart(QChartView):
    """Cumulative spending of the year month by month (solid) and as projected (dashed),
    against the available quota, the time-progress line and last year's cumulative."""

    def __init__(self, parent: QWidget | None = None) -> None:
        chart = _chart()
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(360, 240)
        self.actual = self._line(ACTUAL_COLOR, 2.6, Qt.PenStyle.SolidLine)
        self.projected = self._line(PROJECTED_COLOR, 2.0, Qt.PenStyle.DashLine)
        self.quota = self._line(QUOTA_COLOR, 2.0, Qt.PenStyle.SolidLine)
        self.time_progress = self._line(TIME_COLOR, 1.6, Qt.PenStyle.DotLine)
        self.last_year = self._line(LAST_YEAR_COLOR, 1.6, Qt.PenStyle.DashLine)
        self.months = QCategoryAxis()
        self.months.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        self.months.setLabelsFont(_font(delta=-1))
        self.months.setGridLineVisible(False)
        for month in range(1, MONTHS + 1):
            self.months.append(month_text(month), month)
        self.months.setRange(0.6, MONTHS + 0.4)
        self.amounts = _value_axis(unit_for(0), 0)
        chart.addAxis(self.months, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.amounts, Qt.AlignmentFlag.AlignLeft)
        self.runs_out = QScatterSeries()
        self.runs_out.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeCircle)
        self.runs_out.setMarkerSize(11)
        self.runs_out.setColor(QColor(QUOTA_COLOR))
        self.runs_out.setBorderColor(QColor("white"))
        self._exact: dict[QXYSeries, dict[int, int]] = {}
        for series in (*self.all_series(), self.runs_out):
            chart.addSeries(series)
            series.attachAxis(self.months)
            series.attachAxis(self.amounts)
            series.hovered.connect(lambda point, state, s=series: self._hovered(s, point, state))

    def all_series(self) -> tuple[QLineSeries, ...]:
        """The lines in legend order (the run-out marker comes last)."""
        return (self.actual, self.projected, self.quota, self.time_progress, self.last_year)

    def _line(self, color: str, width: float, style: Qt.PenStyle) -> QLineSeries:
        series = QLineSeries()
        pen = QPen(QColor(color), width, style)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        series.setPen(pen)
        return series

    def show_year(self, year: int, series: CumulativeSeries, projection: Projection | None) -> None:
        """Draw `year`'s lines; those without figures (no quota, no last year, no
        projection after December) leave the chart and its legend."""
        projected: list[int | None] = [None] * MONTHS
        if projection is not None and projection.months and projection.through.month < MONTHS:
            for item in projection.months:
                if item.month >= projection.through:
                    projected[item.month.month - 1] = item.cumulative
        lines: list[tuple[QXYSeries, str, Sequence[int | None]]] = [
            (self.actual, _("{year} spent, cumulative").format(year=year), series.actual),
            (self.projected, _("Projected at the current pace"), projected),
            (self.quota, _("Available quota"), series.quota or ()),
            (self.time_progress, _("Time progress (序时进度)"), series.time_progress or ()),
            (
                self.last_year,
                _("{year} spent, cumulative").format(year=year - 1),
                series.last_year,
            ),
            _runs_out(projection, self.runs_out),
        ]
        largest = max((v for _s, _n, values in lines for v in values if v is not None), default=0)
        unit = unit_for(largest)
        chart = self.chart()
        chart.setTitle(
            _("Cumulative spending against the quota, {year} ({unit})").format(
                year=year, unit=unit.name
            )
        )
        self._exact.clear()
        for line, name, values in lines:
            exact = {m: v for m, v in enumerate(values, start=1) if v is not None}
            line.setName(name)
            line.replace([QPointF(m, unit.plot(v)) for m, v in exact.items()])
            self._exact[line] = exact
            for marker in chart.legend().markers(line):
                marker.setVisible(bool(exact))
        _set_range(self.amounts, unit, largest)

    def _hovered(self, series: QXYSeries, point: QPointF, state: bool) -> None:
        if not state:
            QToolTip.hideText()
            return
        exact = self._exact.get(series, {})
        month = min(exact, key=lambda m: abs(m - point.x()), default=None)
        if month is not None:
            text = f"{month_text(month)}　{series.name()}\n{yuan(exact[month])}"
            QToolTip.showText(QCursor.pos(), text, self)


def _runs_out(
    projection: Projection | None, marker: QScatterSeries
) -> tuple[QXYSeries, str, list[int | None]]:
    """The month the quota runs out (or ran out), marked on the cumulative line."""
    points: list[int | None] = [None] * MONTHS
    if projection is None or projection.runs_out is None:
        return marker, "", points
    month = projection.runs_out
    points[month.month - 1] = next(p.cumulative for p in projection.months if p.month == month)
    if month <= projection.through:
        name = _("Spending passed the quota in month {month}")
    else:
        name = _("Quota expected to run out in month {month}")
    return marker, name.format(month=month.month), points


class LineBarChart(QChartView):
    """Spending by expenditure line, this year to date beside the same months last year."""

    def __init__(self, parent: QWidget | None = None) -> None:
        chart = _chart()
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(320, 240)
        self.this_year, self.last_year = QBarSet(""), QBarSet("")
        self.this_year.setColor(QColor(ACTUAL_COLOR))
        self.last_year.setColor(QColor(LAST_YEAR_BAR_COLOR))
        for bar_set in (self.this_year, self.last_year):
            bar_set.setBorderColor(QColor("white"))
        self.series = QHorizontalBarSeries()
        # Qt draws the first set at the bottom of each group: last year first, this year on top
        self.series.append(self.last_year)
        self.series.append(self.this_year)
        self.series.setBarWidth(0.75)
        self.lines = QBarCategoryAxis()
        self.lines.setLabelsFont(_font(delta=-1))
        self.lines.setGridLineVisible(False)
        self.amounts = _value_axis(unit_for(0), 0)
        chart.addSeries(self.series)
        chart.addAxis(self.lines, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(self.amounts, Qt.AlignmentFlag.AlignBottom)
        self.series.attachAxis(self.lines)
        self.series.attachAxis(self.amounts)
        self.series.hovered.connect(self._hovered)
        self._rows: list[LineExecution] = []
        chart.legend().setReverseMarkers(True)

    def show_lines(self, year: int, through: Month | None, lines: Sequence[LineExecution]) -> None:
        """One group of bars per line with spending this year or last (lines with none in
        either are left out); the first line of the report at the top."""
        self._rows = [ln for ln in lines if ln.spent or ln.spent_last_year][::-1]
        largest = max((max(ln.spent, ln.spent_last_year) for ln in self._rows), default=0)
        unit = unit_for(largest)
        title = _("Spending by line: no figures yet")
        if through is not None and self._rows:
            title = _("Spending by line, {months} ({unit})").format(
                months=_("January to {month}").format(month=month_text(through.month)),
                unit=unit.name,
            )
        self.chart().setTitle(title)
        self.this_year.setLabel(_("{year} to date").format(year=year))
        self.last_year.setLabel(_("{year}, same months").format(year=year - 1))
        for bar_set, values in (
            (self.this_year, [ln.spent for ln in self._rows]),
            (self.last_year, [ln.spent_last_year for ln in self._rows]),
        ):
            bar_set.remove(0, bar_set.count())
            bar_set.append([unit.plot(v) for v in values])
        self.lines.clear()
        self.lines.append([ln.name for ln in self._rows])
        _set_range(self.amounts, unit, largest)
        for item in (self.series, self.lines, self.amounts):
            item.setVisible(bool(self._rows))
        self.chart().legend().setVisible(bool(self._rows))

    def _hovered(self, state: bool, index: int, bar_set: QBarSet) -> None:
        if not state or not 0 <= index < len(self._rows):
            QToolTip.hideText()
            return
        row = self._rows[index]
        amount = row.spent if bar_set is self.this_year else row.spent_last_year
        text = f"{row.name}　{bar_set.label()}\n{yuan(amount)}"
        QToolTip.showText(QCursor.pos(), text, self)
