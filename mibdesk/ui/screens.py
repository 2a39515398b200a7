"""The screens of the main window, in sidebar order. Later issues add theirs here.

Each screen names the office levels it serves. A city office consolidates and decides what
the counties send, so it gets the city screens instead of the county's own month work. A
township fills only its monthly lines and sends them to the county: it has no workbench,
fund-use plan or quota of its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from mibdesk.core.i18n import N_
from mibdesk.core.security.roles import Actor, Permission
from mibdesk.ui.context import UiContext


@dataclass(frozen=True)
class ScreenSpec:
    key: str
    title: str  # English msgid
    build: Callable[[UiContext], QWidget]
    visible: Callable[[Actor], bool] = lambda actor: True
    levels: frozenset[str] = frozenset({"county", "township", "city"})

    def serves(self, level: str, actor: Actor) -> bool:
        """Shown in the sidebar of an office of `level` to `actor`."""
        return level in self.levels and self.visible(actor)


LOCAL = frozenset({"county", "township"})  # the monthly report, filled by both
COUNTY = frozenset({"county"})
CITY = frozenset({"city"})


def _city_overview(ctx: UiContext) -> QWidget:
    from mibdesk.ui.city.overview_view import CityOverviewScreen

    return CityOverviewScreen(ctx)


def _city_plans(ctx: UiContext) -> QWidget:
    from mibdesk.ui.city.plans_view import PlanReviewScreen

    return PlanReviewScreen(ctx)


def _city_funding(ctx: UiContext) -> QWidget:
    from mibdesk.ui.city.funding_view import FundingScreen

    return FundingScreen(ctx)


def _city_quotas(ctx: UiContext) -> QWidget:
    from mibdesk.ui.city.quotas_view import QuotasScreen

    return QuotasScreen(ctx)


def _city_transfers(ctx: UiContext) -> QWidget:
    from mibdesk.ui.city.transfers_view import TransfersScreen

    return TransfersScreen(ctx)


def _city_settlement(ctx: UiContext) -> QWidget:
    from mibdesk.ui.city.settlement_view import SettlementScreen

    return SettlementScreen(ctx)


def _city_publish(ctx: UiContext) -> QWidget:
    from mibdesk.ui.city.publish_view import PublishScreen

    return PublishScreen(ctx)


def _workbench(ctx: UiContext) -> QWidget:
    from mibdesk.ui.workbench.view import WorkbenchScreen

    return WorkbenchScreen(ctx)


def _figures(ctx: UiContext) -> QWidget:
    from mibdesk.ui.figures.view import MonthlyReportScreen

    return MonthlyReportScreen(ctx)


def _plans(ctx: UiContext) -> QWidget:
    from mibdesk.ui.plans.view import PlanScreen

    return PlanScreen(ctx)


def _execution(ctx: UiContext) -> QWidget:
    from mibdesk.ui.execution.view import ExecutionScreen

    return ExecutionScreen(ctx)


def _exchange(ctx: UiContext) -> QWidget:
    from mibdesk.ui.exchange.view import ExchangeScreen

    return ExchangeScreen(ctx)


def _accounts(ctx: UiContext) -> QWidget:
    from mibdesk.ui.accounts.view import AccountsScreen

    return AccountsScreen(ctx)


def _audit(ctx: UiContext) -> QWidget:
    from mibdesk.ui.audit.view import AuditScreen

    return AuditScreen(ctx)


def _settings(ctx: UiContext) -> QWidget:
    from mibdesk.ui.settings.view import SettingsScreen

    return SettingsScreen(ctx)


def _about(ctx: UiContext) -> QWidget:
    from mibdesk.ui.about.view import AboutScreen

    return AboutScreen(ctx)


SCREENS: tuple[ScreenSpec, ...] = (
    ScreenSpec("city_overview", N_("City overview"), _city_overview, levels=CITY),
    ScreenSpec("city_plans", N_("Plan review"), _city_plans, levels=CITY),
    ScreenSpec("city_funding", N_("Funding"), _city_funding, levels=CITY),
    ScreenSpec("city_quotas", N_("Quotas"), _city_quotas, levels=CITY),
    ScreenSpec("city_transfers", N_("Balance transfers"), _city_transfers, levels=CITY),
    ScreenSpec("city_settlement", N_("Year-end settlement"), _city_settlement, levels=CITY),
    ScreenSpec("city_publish", N_("Publish to counties"), _city_publish, levels=CITY),
    ScreenSpec("workbench", N_("Workbench"), _workbench, levels=COUNTY),
    ScreenSpec("figures", N_("Monthly report"), _figures, levels=LOCAL),
    ScreenSpec("plans", N_("Fund-use plan"), _plans, levels=COUNTY),
    ScreenSpec("execution", N_("Quota execution"), _execution, levels=COUNTY),
    ScreenSpec("exchange", N_("File exchange"), _exchange),
    ScreenSpec(
        "accounts", N_("Accounts"), _accounts, lambda actor: actor.can(Permission.ADMIN_USERS)
    ),
    ScreenSpec("audit", N_("Audit log"), _audit),
    ScreenSpec("settings", N_("Settings"), _settings),
    ScreenSpec("about", N_("About"), _about),
)
