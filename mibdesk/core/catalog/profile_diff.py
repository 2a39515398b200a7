"""What a policy-profile update changes, and a profile's key parameters, readable by a person.

`profile_changes(current, update)` compares the two profiles parameter by parameter (every
leaf of the profile document): a list of `ParameterChange` (path, section label, before,
after), in document order; an unchanged parameter is not listed. Entries of lists that carry
a `code` (schemes, lines, plan steps) are matched by code, not by position, so inserting a
line shows one added line rather than every later line changed. `key_parameters(profile)`
names the parameters a city checks before publishing, in Chinese (through msgids).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from mibdesk.core.catalog.profile import Profile
from mibdesk.core.i18n import N_, _

ABSENT = "—"

SECTIONS = {
    "format_version": N_("File format"),
    "id": N_("Profile"),
    "name": N_("Profile"),
    "version": N_("Profile version"),
    "city_code": N_("Profile"),
    "sources": N_("Policy documents"),
    "schemes": N_("Schemes and report lines"),
    "timetable": N_("Timetable"),
    "carry_over": N_("Quota carry-over"),
    "risk": N_("Risk indicators"),
    "settlement": N_("Year-end settlement"),
    "balance_transfer": N_("Balance transfers"),
    "remittance": N_("Income remittance"),
}


SETTLEMENT_METHODS = {
    "shaoxing": N_("surplus 50/50; deficits from the county balance, then shared in steps"),
    "suzhou": N_("local balance and risk reserve first, then the city fund"),
    "ratio": N_("surplus first, then a city–county ratio"),
}


@dataclass(frozen=True)
class ParameterChange:
    path: str  # e.g. "risk.reserve_months_red.value", "schemes[EMP].lines[EXP_X].name"
    section: str  # translated label of the profile section
    before: str  # a text as it is, other values as JSON; ABSENT where the update adds it
    after: str  # ABSENT where the update removes it


def profile_changes(current: Profile, update: Profile) -> list[ParameterChange]:
    """Every parameter whose value differs between `current` and `update` (see module)."""
    before = dict(_leaves(current.model_dump(mode="json"), ""))
    after = dict(_leaves(update.model_dump(mode="json"), ""))
    paths = list(before) + [path for path in after if path not in before]
    return [
        ParameterChange(
            path,
            _(SECTIONS.get(_section(path), N_("Other"))),
            before.get(path, ABSENT),
            after.get(path, ABSENT),
        )
        for path in paths
        if before.get(path) != after.get(path)
    ]


def _section(path: str) -> str:
    return path.split(".", 1)[0].split("[", 1)[0]


def _leaves(value: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaves(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list) and value and all(_coded(item) for item in value):
        for item in value:
            assert isinstance(item, dict)
            yield from _leaves(item, f"{path}[{item['code']}]")
    elif isinstance(value, str):
        yield path, value  # shown as written; a type never changes (the schema fixes it)
    else:
        yield path, json.dumps(value, ensure_ascii=False)


def _coded(item: object) -> bool:
    return isinstance(item, dict) and isinstance(item.get("code"), str)


@dataclass(frozen=True)
class KeyParameter:
    label: str  # translated
    value: str
    source: str


def key_parameters(profile: Profile) -> list[KeyParameter]:
    """The parameters shown with the profile in force: identity, schemes, deadlines, risk
    bands, settlement and balance-transfer rules, each with its source."""
    table = profile.timetable
    due = table.monthly_report_due
    found = [
        KeyParameter(_("Profile"), f"{profile.name}（{profile.id}）", ""),
        KeyParameter(_("Profile version"), str(profile.version), ""),
        KeyParameter(_("Schemes"), "、".join(f"{s.name}（{s.code}）" for s in profile.schemes), ""),
        KeyParameter(
            _("Monthly report due"),
            _("day {day} of the month {offset} month(s) after").format(
                day=due.day, offset=due.month_offset
            ),
            due.source,
        ),
    ]
    for step in table.plan_steps:
        if step.rule == "day_of_month":
            rule = _("by day {day}").format(day=step.day)
        else:
            rule = _("{days} working days after the previous step").format(days=step.days)
        found.append(KeyParameter(_("Plan step: {name}").format(name=step.name), rule, step.source))
    risk = profile.risk
    found += [
        KeyParameter(
            _("Reserve months: red below"),
            str(risk.reserve_months_red.value),
            risk.reserve_months_red.source,
        ),
        KeyParameter(
            _("Reserve months: amber below"),
            str(risk.reserve_months_amber.value),
            risk.reserve_months_amber.source,
        ),
        KeyParameter(
            _("Year-end settlement"),
            _(SETTLEMENT_METHODS[profile.settlement.method]),
            profile.settlement.source,
        ),
        KeyParameter(
            _("Balance transfers"),
            transfer_rule_text(profile),
            profile.balance_transfer.source,
        ),
    ]
    return found


def transfer_rule_text(profile: Profile) -> str:
    """The profile's balance-transfer rule in one sentence ('' when it has none)."""
    rule = profile.balance_transfer
    if rule.method == "shaoxing_share" and rule.months:
        months = "，".join(
            _("{scheme} {months} months").format(
                scheme=profile.scheme(code).name, months=format(m.value.normalize(), "f")
            )
            for code, m in rule.months.items()
        )
        return _(
            "Every county transfers the same share of its retained balance, enough for "
            "{months} of citywide spending; topped up each year."
        ).format(months=months)
    if rule.method == "fixed_share" and rule.share and rule.schemes:
        share = format((rule.share.value * 100).normalize(), "f")
        month = rule.due.value.month if rule.due else 1
        return _(
            "{share}% of each county's historical balance ({schemes}) by the end of month {month}."
        ).format(
            share=share,
            schemes="、".join(profile.scheme(c).name for c in rule.schemes.value),
            month=month,
        )
    return _("No balance transfer rule.")
