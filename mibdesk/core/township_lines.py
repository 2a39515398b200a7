"""What a township office (乡镇医保站) reports: its lines of the county's monthly report.

A township fills only the scheme's township lines (`Line.township`: resident enrolment
categories, personal contributions) for its own area; its county sums them in its township
breakdown. Of the computed lines, a township sees those it can complete by itself: the
subtotals and totals whose every part is a township line (or such a subtotal). A total
that also needs county-level lines (基金收入合计, …) is not the township's to show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mibdesk.core.catalog import Profile, SchemeProfile


def township_view_lines(scheme: SchemeProfile) -> frozenset[str]:
    """The codes of the lines a township sees: its input lines and the computed lines made
    only of them (followed through subtotals, in any order the profile lists them)."""
    shown = {line.code for line in scheme.lines if line.township and not line.computed}
    computed = [line for line in scheme.lines if line.computed]
    grew = True
    while grew:  # the profile checks forbid cycles, so this ends
        grew = False
        for line in computed:
            if line.code not in shown and all(code in shown for code in line.sum_of):
                shown.add(line.code)
                grew = True
    return frozenset(shown)


def township_schemes(profile: Profile) -> tuple[SchemeProfile, ...]:
    """The schemes a township reports in: those with township lines (every scheme when the
    profile marks none, so that a township office still has something to open)."""
    found = tuple(scheme for scheme in profile.schemes if scheme.township_lines)
    return found or tuple(profile.schemes)
