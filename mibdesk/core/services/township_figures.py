"""The township breakdown of a month: who has reported, who has not, and the totals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mibdesk.core.catalog import Profile
from mibdesk.core.monthly import COUNTY, Cell
from mibdesk.core.periods import Month
from mibdesk.core.repos import figures
from mibdesk.core.services.store import Store
from mibdesk.core.services.townships import TownshipInfo, list_townships


@dataclass(frozen=True)
class TownshipBreakdown:
    scheme: str
    month: Month
    lines: tuple[str, ...]  # the scheme's township lines, in report order
    townships: tuple[TownshipInfo, ...]
    cells: Mapping[Cell, int]  # township cells and the county's own ("")
    reported: frozenset[str]  # township codes with at least one figure this month

    @property
    def missing(self) -> tuple[TownshipInfo, ...]:
        return tuple(t for t in self.townships if t.code not in self.reported)

    def total(self, line: str) -> int | None:
        parts = [v for c, v in self.cells.items() if c.line == line]
        return sum(parts) if parts else None

    def township_total(self, line: str) -> int | None:
        parts = [v for c, v in self.cells.items() if c.line == line and c.unit != COUNTY]
        return sum(parts) if parts else None


def township_breakdown(
    store: Store, profile: Profile, scheme: str, month: Month
) -> TownshipBreakdown:
    lines = tuple(line.code for line in profile.scheme(scheme).township_lines)
    townships = tuple(list_townships(store))
    with store.read() as session:
        row = figures.report(session, scheme, month.to_int())
        cells = figures.cells(session, row.id) if row else {}
    wanted = {c: v for c, v in cells.items() if c.line in lines}
    reported = frozenset(c.unit for c in wanted if c.unit != COUNTY)
    return TownshipBreakdown(scheme, month, lines, townships, wanted, reported)
