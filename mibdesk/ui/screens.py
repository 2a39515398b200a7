"""The screens of the main window, in sidebar order. Later issues add theirs here."""

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
    ScreenSpec("workbench", N_("Workbench"), _workbench),
    ScreenSpec("figures", N_("Monthly report"), _figures),
    ScreenSpec("plans", N_("Fund-use plan"), _plans),
    ScreenSpec("execution", N_("Quota execution"), _execution),
    ScreenSpec("exchange", N_("File exchange"), _exchange),
    ScreenSpec(
        "accounts", N_("Accounts"), _accounts, lambda actor: actor.can(Permission.ADMIN_USERS)
    ),
    ScreenSpec("audit", N_("Audit log"), _audit),
    ScreenSpec("settings", N_("Settings"), _settings),
    ScreenSpec("about", N_("About"), _about),
)
