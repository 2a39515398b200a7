"""Quota and plan commands: quota show|record|adjust, plan draft|show."""

from __future__ import annotations

import argparse
from typing import Any

from mibdesk.cli.common import (
    CommandFailed,
    add_common,
    authenticate,
    emit,
    opened_office,
    parse_date,
)
from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen, parse_yuan
from mibdesk.core.periods import Month
from mibdesk.core.services import execution, plan_flow, plans, quotas
from mibdesk.core.services.profiles import office_profile


def register(commands: Any) -> None:
    quota = commands.add_parser("quota", help=_("quotas and their execution"))
    quota_sub = quota.add_subparsers(dest="quota_command", required=True)
    show = quota_sub.add_parser("show", help=_("quota execution of a year"))
    add_common(show)
    show.add_argument("--year", type=int, required=True)
    show.set_defaults(handler=run_quota_show)
    for name, helptext in (
        ("record", _("record a year's quota")),
        ("adjust", _("record a budget adjustment")),
    ):
        sub = quota_sub.add_parser(name, help=helptext)
        add_common(sub)
        sub.add_argument("--scheme", required=True)
        sub.add_argument("--year", type=int, required=True)
        sub.add_argument("--amount", required=True, help=_("yuan, e.g. 850000000.00"))
        sub.add_argument("--doc-no", required=True, help=_("the city's document number (文号)"))
        sub.add_argument("--doc-date", required=True, help=_("YYYY-MM-DD"))
        sub.add_argument("--line", default="", help=_("an expenditure line, where split"))
        if name == "adjust":
            sub.add_argument("--reason", required=True)
        sub.add_argument("--as", dest="acting", required=True)
        sub.set_defaults(handler=run_quota_record if name == "record" else run_quota_adjust)

    plan = commands.add_parser("plan", help=_("monthly fund-use plans"))
    plan_sub = plan.add_subparsers(dest="plan_command", required=True)
    for name, helptext in (
        ("draft", _("draft a month's plan from the suggestions")),
        ("show", _("show a month's plan and its deadlines")),
    ):
        sub = plan_sub.add_parser(name, help=helptext)
        add_common(sub)
        sub.add_argument("--scheme", required=True)
        sub.add_argument("--period", required=True, help=_("the month the plan is for"))
        if name == "draft":
            sub.add_argument("--as", dest="acting", required=True)
        sub.set_defaults(handler=run_plan_draft if name == "draft" else run_plan_show)


def run_quota_show(args: argparse.Namespace) -> int:
    with opened_office(args) as store:
        profile = office_profile(store)
        found = execution.execution(store, profile, args.year)
    lines = []
    for scheme in found:
        lines.append(f"{scheme.name} {args.year}")
        if scheme.position is None:
            lines.append("  " + _("no quota recorded"))
            continue
        p = scheme.position
        lines.append(
            "  "
            + _("available {a}, approved {b}, spent {c}, remaining {d}").format(
                a=format_fen(p.available),
                b=format_fen(p.approved_plans),
                c=format_fen(p.spent),
                d=format_fen(p.remaining_for_plans),
            )
        )
        lines += [f"  [{i.state}] {i.sentence}" for i in scheme.indicators]
        if scheme.projection is not None:
            lines.append("  " + scheme.projection.sentence)
    emit(args, found, "\n".join(lines))
    return 0


def _record(args: argparse.Namespace, adjust: bool) -> int:
    amount = parse_yuan(args.amount, where="--amount")
    with opened_office(args) as store:
        profile = office_profile(store)
        actor = authenticate(store, args.acting)
        if adjust:
            outcome = quotas.record_adjustment(
                store,
                actor,
                profile,
                args.scheme.upper(),
                args.year,
                amount,
                args.doc_no,
                parse_date(args.doc_date),
                args.reason,
                args.line,
            )
        else:
            outcome = quotas.record_quota(
                store,
                actor,
                profile,
                args.scheme.upper(),
                args.year,
                amount,
                args.doc_no,
                parse_date(args.doc_date),
                args.line,
            )
    emit(
        args,
        outcome.value,
        _("Recorded: {amount} ({doc})").format(
            amount=format_fen(outcome.value.amount), doc=outcome.value.doc_no
        ),
    )
    return 0


def run_quota_record(args: argparse.Namespace) -> int:
    return _record(args, adjust=False)


def run_quota_adjust(args: argparse.Namespace) -> int:
    return _record(args, adjust=True)


def _show(
    args: argparse.Namespace, view: plans.PlanView, steps: list[plan_flow.StepStatus]
) -> None:
    lines = [
        _("{scheme} {month}, version {version}: {status}").format(
            scheme=view.scheme,
            month=view.month.label,
            version=view.version,
            status=plans.status_label(view.status),
        )
    ]
    for line in view.lines:
        lines.append(
            f"  {line.name:<24}{format_fen(line.requested):>20}"
            f"{format_fen(line.suggested) if line.suggested is not None else '':>20}"
        )
    lines.append(
        "  "
        + _("requested {total}; remaining quota for plans {room}").format(
            total=format_fen(view.requested_total),
            room=format_fen(view.position.remaining_for_plans),
        )
    )
    for step in steps:
        due = step.deadline.due.isoformat() if step.deadline.due else step.deadline.problem
        late = f" +{step.late_days}" if step.late_days else ""
        lines.append(f"  {step.deadline.name}: {due} [{step.state}{late}]")
    emit(args, {"plan": view, "steps": steps}, "\n".join(lines))


def run_plan_draft(args: argparse.Namespace) -> int:
    month = Month.parse(args.period, where="--period")
    with opened_office(args) as store:
        profile = office_profile(store)
        actor = authenticate(store, args.acting)
        view = plans.draft_plan(store, actor, profile, args.scheme.upper(), month).value
        steps = plan_flow.plan_steps(store, profile, view, store.clock().date())
    _show(args, view, steps)
    return 0


def run_plan_show(args: argparse.Namespace) -> int:
    month = Month.parse(args.period, where="--period")
    with opened_office(args) as store:
        profile = office_profile(store)
        view = plans.plan_view(store, profile, args.scheme.upper(), month)
        if view is None:
            raise CommandFailed(
                _("No plan has been drafted for {month}.").format(month=month.label)
            )
        steps = plan_flow.plan_steps(store, profile, view, store.clock().date())
    _show(args, view, steps)
    return 0
