"""Consistency checks of one scheme's report lines, rates and premiums.

Lines: codes unique; each line counted in its section's unit; `sum_of` naming lines of the
same section and unit, without cycles or double counting; one grand total per enrolment,
income and expenditure section covering every entered line; a balance line. Rates and
premiums name entered lines of the right section. Each problem is ``(path, message)``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from mibdesk.core.i18n import _

if TYPE_CHECKING:
    from mibdesk.core.catalog.profile import Line, SchemeProfile

Problem = tuple[str, str]


def scheme_problems(scheme: SchemeProfile, prefix: str) -> Iterator[Problem]:
    """Every problem of `scheme`, whose path in the profile is `prefix`."""
    yield from _line_problems(scheme, prefix)
    yield from _contribution_problems(scheme, prefix)


def _line_problems(scheme: SchemeProfile, prefix: str) -> Iterator[Problem]:
    from mibdesk.core.catalog.profile import SECTION_UNITS

    by_code: dict[str, Line] = {}
    for index, line in enumerate(scheme.lines):
        path = f"{prefix}.lines[{index}]"
        if line.code in by_code:
            yield f"{path}.code", _("line {code} appears twice").format(code=line.code)
        by_code.setdefault(line.code, line)
        if line.unit != SECTION_UNITS[line.section]:
            yield (
                f"{path}.unit",
                _("a {section} line must be counted in {unit}").format(
                    section=line.section, unit=SECTION_UNITS[line.section]
                ),
            )
        if line.township and line.section not in ("enrolment", "income"):
            yield f"{path}.township", _("only enrolment and income lines are entered per township")
    bad_refs = False
    for index, line in enumerate(scheme.lines):
        for problem in _sum_problems(line, by_code):
            bad_refs = True
            yield f"{prefix}.lines[{index}].sum_of", problem
    if bad_refs:
        return  # cycles and totals are meaningless over broken references
    cycle = _find_cycle(scheme)
    if cycle:
        index = next(i for i, line in enumerate(scheme.lines) if line.code == cycle[0])
        yield (
            f"{prefix}.lines[{index}].sum_of",
            _("forms a cycle: {cycle}").format(cycle=" → ".join(cycle)),
        )
        return
    yield from _total_problems(scheme, prefix)


def _sum_problems(line: Line, by_code: Mapping[str, Line]) -> Iterator[str]:
    for code, count in Counter(line.sum_of).items():
        if count > 1:
            yield _("names {code} more than once").format(code=code)
    for code in line.sum_of:
        part = by_code.get(code)
        if code == line.code:
            yield _("adds the line to itself")
        elif part is None:
            yield _("refers to {code}, which is not a line of this scheme").format(code=code)
        elif part.unit != line.unit:
            yield _("adds {code}, counted in {part_unit}, into a line counted in {unit}").format(
                code=code, part_unit=part.unit, unit=line.unit
            )
        elif part.section != line.section:
            yield _("adds {code} from section {part_section} into section {section}").format(
                code=code, part_section=part.section, section=line.section
            )


def _find_cycle(scheme: SchemeProfile) -> list[str]:
    """A cycle of sum_of references as [a, b, …, a], or [] when there is none."""
    parts = {line.code: line.sum_of for line in scheme.lines}
    done: set[str] = set()

    def visit(code: str, trail: list[str]) -> list[str]:
        if code in trail:
            return [*trail[trail.index(code) :], code]
        if code in done:
            return []
        for part in parts.get(code, ()):
            found = visit(part, [*trail, code])
            if found:
                return found
        done.add(code)
        return []

    for line in scheme.lines:
        found = visit(line.code, [])
        if found:
            return found
    return []


def _leaves(code: str, parts: Mapping[str, tuple[str, ...]]) -> Counter[str]:
    """The entered lines a line adds up, with how often each is counted."""
    if not parts.get(code):
        return Counter({code: 1})
    counted: Counter[str] = Counter()
    for part in parts[code]:
        counted.update(_leaves(part, parts))
    return counted


def _total_problems(scheme: SchemeProfile, prefix: str) -> Iterator[Problem]:
    from mibdesk.core.catalog.profile import TOTALLED_SECTIONS

    parts = {line.code: line.sum_of for line in scheme.lines}
    position = {line.code: index for index, line in enumerate(scheme.lines)}
    for line in scheme.lines:
        leaves = _leaves(line.code, parts)
        twice = sorted(code for code, count in leaves.items() if count > 1)
        if twice:
            yield (
                f"{prefix}.lines[{position[line.code]}].sum_of",
                _("counts {codes} more than once").format(codes=", ".join(twice)),
            )
    for section in TOTALLED_SECTIONS:
        lines = scheme.lines_in(section)
        inner = {code for line in lines for code in line.sum_of}
        roots = [line for line in lines if line.computed and line.code not in inner]
        if not roots:
            yield (
                f"{prefix}.lines",
                _("has no total line for section {section}").format(section=section),
            )
            continue
        if len(roots) > 1:
            yield (
                f"{prefix}.lines[{position[roots[1].code]}].sum_of",
                _("section {section} has more than one total: {codes}").format(
                    section=section, codes=", ".join(line.code for line in roots)
                ),
            )
            continue
        covered = _leaves(roots[0].code, parts)
        for line in lines:
            if not line.computed and line.code not in covered:
                yield (
                    f"{prefix}.lines[{position[line.code]}]",
                    _("is not included in the section total {total}").format(total=roots[0].code),
                )
    if not scheme.lines_in("balance"):
        yield f"{prefix}.lines", _("has no balance line")


def _entered(scheme: SchemeProfile, code: str, section: str) -> str | None:
    """Why `code` is not an entered line of `section` in `scheme`, or None if it is."""
    line = next((line for line in scheme.lines if line.code == code), None)
    if line is None:
        return _("refers to {code}, which is not a line of this scheme").format(code=code)
    if line.section != section:
        return _("{code} is a {actual} line, not a {section} line").format(
            code=code, actual=line.section, section=section
        )
    if line.computed:
        return _("{code} is a computed total, not an entered line").format(code=code)
    return None


def _contribution_problems(scheme: SchemeProfile, prefix: str) -> Iterator[Problem]:
    pairs: set[tuple[str, str]] = set()
    for index, rate in enumerate(scheme.contribution_rates):
        path = f"{prefix}.contribution_rates[{index}]"
        for field, code, section in (
            ("base_line", rate.base_line, "base"),
            ("income_line", rate.income_line, "income"),
        ):
            why = _entered(scheme, code, section)
            if why:
                yield f"{path}.{field}", why
        if (rate.base_line, rate.income_line) in pairs:
            yield path, _("the same base and income line appear in two rates")
        pairs.add((rate.base_line, rate.income_line))
    for index, premium in enumerate(scheme.premiums):
        path = f"{prefix}.premiums[{index}]"
        for position, code in enumerate(premium.enrolment_lines):
            why = _entered(scheme, code, "enrolment")
            if why:
                yield f"{path}.enrolment_lines[{position}]", why
            if premium.enrolment_lines.index(code) != position:
                yield (
                    f"{path}.enrolment_lines[{position}]",
                    _("names {code} more than once").format(code=code),
                )
        why = _entered(scheme, premium.income_line, "income")
        if why:
            yield f"{path}.income_line", why
