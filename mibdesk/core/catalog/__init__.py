"""Schemes, report lines and policy profiles: policy as data (architecture rule 4).

    from mibdesk.core.catalog import load_profile
    profile = load_profile("jining")
    rate = profile.scheme("EMP").contribution_rates[0].rate      # Decimal("0.074")
    profile.timetable.step("county_plan").day                    # 25 (004 §4.4)

The profile format is described field by field in `resources/profiles/README.md`.
"""

from __future__ import annotations

from mibdesk.core.catalog.checks import ProfileFieldError, iter_sources, profile_problems
from mibdesk.core.catalog.loader import (
    ProfileSummary,
    ProfileSyntaxError,
    clear_cache,
    list_profiles,
    load_profile,
    parse_profile,
    profile_to_json,
)
from mibdesk.core.catalog.profile import (
    PLAN_STEP_CODES,
    SECTION_UNITS,
    BalanceTransfer,
    DueRule,
    Line,
    PlanStep,
    Premium,
    Profile,
    QuarterDeadline,
    Rate,
    RatioSharing,
    Remittance,
    RiskThresholds,
    SchemeProfile,
    Settlement,
    ShaoxingSharing,
    SuzhouSharing,
    Timetable,
)
from mibdesk.core.catalog.schemes import SCHEME_CODES, SCHEMES, SchemeCode
from mibdesk.core.catalog.values import FrozenMap, MonthDay, Sourced, is_default

__all__ = [
    "PLAN_STEP_CODES",
    "SCHEMES",
    "SCHEME_CODES",
    "SECTION_UNITS",
    "BalanceTransfer",
    "DueRule",
    "FrozenMap",
    "Line",
    "MonthDay",
    "PlanStep",
    "Premium",
    "Profile",
    "ProfileFieldError",
    "ProfileSummary",
    "ProfileSyntaxError",
    "QuarterDeadline",
    "Rate",
    "RatioSharing",
    "Remittance",
    "RiskThresholds",
    "SchemeCode",
    "SchemeProfile",
    "Settlement",
    "ShaoxingSharing",
    "Sourced",
    "SuzhouSharing",
    "Timetable",
    "clear_cache",
    "is_default",
    "iter_sources",
    "list_profiles",
    "load_profile",
    "parse_profile",
    "profile_problems",
    "profile_to_json",
]
