"""Consistency checks of a policy profile, beyond what the field types say.

`check_profile` runs when a `Profile` is built and raises `ProfileFieldError` for the first
problem, naming the field path (e.g. ``schemes[1].lines[4].sum_of``) and what is wrong.
Each check yields ``(path, problem)``; `profile_problems` lists them all.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from mibdesk.core.catalog.scheme_checks import scheme_problems
from mibdesk.core.catalog.values import cited_documents
from mibdesk.core.errors import ProfileError
from mibdesk.core.i18n import _

if TYPE_CHECKING:
    from mibdesk.core.catalog.profile import Profile, ShaoxingSharing

Problem = tuple[str, str]


class ProfileFieldError(ProfileError):
    """A profile refused because of one field; `field` is its path, `where` the file."""

    def __init__(self, problem: str, *, field: str, where: str = "") -> None:
        super().__init__(f"{field}: {problem}" if field else problem, where=where)
        self.field = field
        self.problem = problem

    def at(self, where: str) -> ProfileFieldError:
        """The same error, located in file `where`."""
        return ProfileFieldError(self.problem, field=self.field, where=where)


def check_profile(profile: Profile) -> None:
    """Raise `ProfileFieldError` for the first consistency problem of `profile`, if any."""
    problems = profile_problems(profile)
    if problems:
        path, problem = problems[0]
        if len(problems) > 1:
            problem += _(" (and {count} more problems)").format(count=len(problems) - 1)
        raise ProfileFieldError(problem, field=path)


def profile_problems(profile: Profile) -> list[Problem]:
    """Every consistency problem of `profile`: sources first, then schemes, timetable, rules."""
    return [
        *_source_problems(profile),
        *_scheme_problems(profile),
        *_timetable_problems(profile),
        *_risk_problems(profile),
        *_settlement_problems(profile),
        *_transfer_problems(profile),
        *_remittance_problems(profile),
    ]


def iter_sources(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every `source` field under `value`: (path of the field, source text)."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            child = getattr(value, name)
            child_path = f"{path}.{name}" if path else name
            if name == "source" and isinstance(child, str):
                yield child_path, child
            else:
                yield from iter_sources(child, child_path)
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from iter_sources(item, f"{path}[{index}]")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from iter_sources(item, f"{path}.{key}")


def _source_problems(profile: Profile) -> Iterator[Problem]:
    for path, source in iter_sources(profile):
        docs = cited_documents(source)
        if docs is None:
            yield path, _('is neither "<document> §<section>" nor "mibdesk 默认（<why>）"')
            continue
        for doc in docs:
            if doc not in profile.sources:
                yield (
                    path,
                    _("cites document {doc}, which is not listed in sources").format(doc=doc),
                )


def _scheme_problems(profile: Profile) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, scheme in enumerate(profile.schemes):
        if scheme.code in seen:
            yield (
                f"schemes[{index}].code",
                _("scheme {code} appears twice").format(code=scheme.code),
            )
        seen.setdefault(scheme.code, index)
        yield from scheme_problems(scheme, f"schemes[{index}]")


def _timetable_problems(profile: Profile) -> Iterator[Problem]:
    from mibdesk.core.catalog.profile import PLAN_STEP_CODES, PLAN_STEP_WHO

    steps = profile.timetable.plan_steps
    codes = [step.code for step in steps]
    if codes != list(PLAN_STEP_CODES):
        for index, expected in enumerate(PLAN_STEP_CODES):
            if index >= len(codes):
                yield "timetable.plan_steps", _("step {code} is missing").format(code=expected)
                return
            if codes[index] != expected:
                yield (
                    f"timetable.plan_steps[{index}].code",
                    _("expected step {code} here; the steps are {order}").format(
                        code=expected, order=", ".join(PLAN_STEP_CODES)
                    ),
                )
                return
        yield f"timetable.plan_steps[{len(PLAN_STEP_CODES)}]", _("there are only four steps")
        return
    last_fixed: tuple[int, int, str] | None = None
    for index, step in enumerate(steps):
        path = f"timetable.plan_steps[{index}]"
        if step.who != PLAN_STEP_WHO[step.code]:
            yield (
                f"{path}.who",
                _("step {code} is done by {who}").format(
                    code=step.code, who=PLAN_STEP_WHO[step.code]
                ),
            )
        if step.rule == "day_of_month":
            if step.day is None:
                yield f"{path}.day", _("missing (required for a fixed-day step)")
            for field in ("after", "days"):
                if getattr(step, field) is not None:
                    yield f"{path}.{field}", _("must be left out for a fixed-day step")
            if step.day is not None:
                if last_fixed and (step.month_offset, step.day) < last_fixed[:2]:
                    yield (
                        f"{path}.day",
                        _("falls before the deadline of step {code}").format(code=last_fixed[2]),
                    )
                last_fixed = (step.month_offset, step.day, step.code)
            continue
        if step.day is not None:
            yield f"{path}.day", _("must be left out for a working-days step")
        if step.month_offset != 0:
            yield f"{path}.month_offset", _("must be 0 for a working-days step")
        if step.days is None:
            yield f"{path}.days", _("missing (required for a working-days step)")
        if step.after is None:
            yield f"{path}.after", _("missing (required for a working-days step)")
        elif step.after not in codes:
            yield (
                f"{path}.after",
                _("names step {code}, which is not in the timetable").format(code=step.after),
            )
        elif codes.index(step.after) >= index:
            yield (
                f"{path}.after",
                _("names step {code}, which does not come before it").format(code=step.after),
            )


def _risk_problems(profile: Profile) -> Iterator[Problem]:
    risk = profile.risk
    if risk.reserve_months_red.value > risk.reserve_months_amber.value:
        yield (
            "risk.reserve_months_red.value",
            _("the red threshold must not be above the amber threshold ({amber})").format(
                amber=risk.reserve_months_amber.value
            ),
        )
    if risk.collection_rate_target.value == 0:
        yield "risk.collection_rate_target.value", _("must be above 0")


def _shares_add_up(block: Any, prefix: str, *pairs: tuple[str, str]) -> Iterator[Problem]:
    for first, second in pairs:
        a: Decimal = getattr(block, first).value
        b: Decimal = getattr(block, second).value
        if a + b != 1:
            yield f"{prefix}.{second}.value", _("{a} and {b} must add up to 1").format(a=a, b=b)


def _pooled(profile: Profile, codes: tuple[str, ...], path: str) -> Iterator[Problem]:
    if not codes:
        yield path, _("names no scheme")
    for index, code in enumerate(codes):
        if code not in profile.scheme_codes:
            yield (
                f"{path}[{index}]",
                _("scheme {code} is not pooled in this profile").format(code=code),
            )
        elif codes.index(code) != index:
            yield f"{path}[{index}]", _("names {code} more than once").format(code=code)


def _method_blocks(
    model: Any, prefix: str, method: str, needed: Mapping[str, tuple[str, ...]]
) -> Iterator[Problem]:
    """Fields required by `method` must be set; those of the other methods left out."""
    mine = needed.get(method, ())
    for field in sorted({field for fields in needed.values() for field in fields}):
        present = getattr(model, field) is not None
        if field in mine and not present:
            yield (
                f"{prefix}.{field}",
                _("missing (required for method {method})").format(method=method),
            )
        elif field not in mine and present:
            yield (
                f"{prefix}.{field}",
                _("must be left out for method {method}").format(method=method),
            )


def _settlement_problems(profile: Profile) -> Iterator[Problem]:
    settlement = profile.settlement
    needed = {"shaoxing": ("shaoxing",), "suzhou": ("suzhou",), "ratio": ("ratio",)}
    yield from _method_blocks(settlement, "settlement", settlement.method, needed)
    for name in ("shaoxing", "suzhou", "ratio"):
        block = getattr(settlement, name)
        if block is not None:
            yield from _shares_add_up(
                block, f"settlement.{name}", ("surplus_pooled_share", "surplus_county_share")
            )
    if settlement.shaoxing:
        yield from _shaoxing_problems(settlement.shaoxing)
    if settlement.suzhou:
        funds = settlement.suzhou.local_funds.value
        for index, fund in enumerate(funds):
            if funds.index(fund) != index:
                yield (
                    f"settlement.suzhou.local_funds.value[{index}]",
                    _("names {code} more than once").format(code=fund),
                )
        codes = settlement.suzhou.county_deficit_schemes.value
        yield from _pooled(profile, codes, "settlement.suzhou.county_deficit_schemes.value")
    if settlement.ratio:
        yield from _shares_add_up(
            settlement.ratio, "settlement.ratio", ("city_share", "county_share")
        )


def _shaoxing_problems(block: ShaoxingSharing) -> Iterator[Problem]:
    prefix = "settlement.shaoxing"
    yield from _shares_add_up(
        block,
        prefix,
        ("deficit_pooled_share", "deficit_county_share"),
        ("overflow_city_share", "overflow_county_share"),
    )
    extra = block.below_excellent_county_extra.value
    if max(block.deficit_county_share.value, block.overflow_county_share.value) + extra > 1:
        yield (
            f"{prefix}.below_excellent_county_extra.value",
            _("would make the county pay more than the whole deficit"),
        )
    grades = block.grades.value
    for index, grade in enumerate(grades):
        if grades.index(grade) != index:
            yield (
                f"{prefix}.grades.value[{index}]",
                _("grade {grade} appears twice").format(grade=grade),
            )
    if block.excellent_grade.value not in grades:
        yield (
            f"{prefix}.excellent_grade.value",
            _("grade {grade} is not in the list of grades ({grades})").format(
                grade=block.excellent_grade.value, grades="、".join(grades)
            ),
        )


def _transfer_problems(profile: Profile) -> Iterator[Problem]:
    transfer = profile.balance_transfer
    needed = {
        "shaoxing_share": ("due", "months", "yearly_top_up"),
        "fixed_share": ("due", "share", "schemes"),
        "none": (),
    }
    yield from _method_blocks(transfer, "balance_transfer", transfer.method, needed)
    if transfer.months is not None:
        if not transfer.months:
            yield "balance_transfer.months", _("names no scheme")
        for code in transfer.months:
            if code not in profile.scheme_codes:
                yield (
                    f"balance_transfer.months.{code}",
                    _("scheme {code} is not pooled in this profile").format(code=code),
                )
    if transfer.schemes is not None:
        yield from _pooled(profile, transfer.schemes.value, "balance_transfer.schemes.value")


def _remittance_problems(profile: Profile) -> Iterator[Problem]:
    deadlines = profile.remittance.resident_subsidy.value
    path = "remittance.resident_subsidy.value"
    if deadlines and "RES" not in profile.scheme_codes:
        yield path, _("the resident scheme (RES) is not pooled in this profile")
    quarters = [deadline.quarter for deadline in deadlines]
    for index, quarter in enumerate(quarters):
        if quarters.index(quarter) != index:
            yield (
                f"{path}[{index}].quarter",
                _("quarter {quarter} appears twice").format(quarter=quarter),
            )
        elif index and quarter < quarters[index - 1]:
            yield f"{path}[{index}].quarter", _("quarters must be listed in order")
