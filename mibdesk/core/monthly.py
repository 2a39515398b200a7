"""Monthly figures (月报) as plain values: what a month holds, its totals, its problems.

A month's figures for one scheme are integers keyed by `Cell(line, unit)`: fen for money
lines, persons for enrolment lines. `unit` is "" for what the county enters itself, or a
township's 9-digit code for township lines. A blank cell (not reported) is simply absent,
never zero. Computed lines (subtotals and totals, `Line.sum_of`) are never stored: they are
derived here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from mibdesk.core.catalog import SchemeProfile
    from mibdesk.core.catalog.profile import Line

COUNTY = ""  # the unit of what the county office enters itself
FLOW_SECTIONS = frozenset({"income", "expenditure", "base"})  # summed over the year
Severity = Literal["hard", "soft"]


@dataclass(frozen=True, order=True)
class Cell:
    line: str
    unit: str = COUNTY

    def __str__(self) -> str:
        """ "LINE" for the county's own figure, "LINE@township-code" for a township's."""
        return f"{self.line}@{self.unit}" if self.unit else self.line


class ReportStatus(StrEnum):
    """Where a month's report is: 经办人 prepares, 审核人 reviews, 负责人 approves (locks)."""

    DRAFT = "draft"
    PREPARED = "prepared"
    REVIEWED = "reviewed"
    APPROVED = "approved"


@dataclass(frozen=True)
class Problem:
    """A rule a month's figures break: what, where, why, which rule and its source.

    `hard` problems block submission; `soft` ones need a written explanation to submit.
    `key` identifies the problem across re-validations (an explanation is filed under it).
    """

    severity: Severity
    rule: str
    line: str
    unit: str
    message: str
    source: str

    @property
    def key(self) -> str:
        return f"{self.rule}:{self.line}:{self.unit}"


def is_flow(line: Line) -> bool:
    """Income, expenditure and contribution bases add up over the year; stocks do not."""
    return line.section in FLOW_SECTIONS


def county_totals(scheme: SchemeProfile, values: Mapping[Cell, int]) -> dict[str, int]:
    """Per input line, the county's figure: its own entry plus every township's.

    A line with no reported cell at all is absent from the result (blank, not zero).
    """
    totals: dict[str, int] = {}
    inputs = {line.code for line in scheme.lines if not line.sum_of}
    for cell, value in values.items():
        if cell.line in inputs:
            totals[cell.line] = totals.get(cell.line, 0) + value
    return totals


def with_computed(scheme: SchemeProfile, totals: Mapping[str, int]) -> dict[str, int]:
    """`totals` plus every computed line whose parts are not all blank (profile order)."""
    result = dict(totals)
    for line in _computed_in_dependency_order(scheme):
        parts = [result[code] for code in line.sum_of if code in result]
        if parts:
            result[line.code] = sum(parts)
    return result


def _computed_in_dependency_order(scheme: SchemeProfile) -> Iterable[Line]:
    done: set[str] = {line.code for line in scheme.lines if not line.sum_of}
    pending = [line for line in scheme.lines if line.sum_of]
    while pending:  # the profile checks forbid cycles, so every pass makes progress
        ready = [line for line in pending if all(code in done for code in line.sum_of)]
        for line in ready:
            done.add(line.code)
            yield line
        pending = [line for line in pending if line not in ready]
