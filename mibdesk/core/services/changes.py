"""What a service changed, so that each screen refreshes only what it shows (Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class Area(StrEnum):
    OFFICE = "office"
    USERS = "users"
    AUDIT = "audit"
    SETTINGS = "settings"
    BACKUPS = "backups"
    CALENDAR = "calendar"
    FIGURES = "figures"
    QUOTAS = "quotas"
    PLANS = "plans"
    SETTLEMENT = "settlement"


@dataclass(frozen=True)
class Changes:
    areas: frozenset[Area] = field(default_factory=frozenset)

    @classmethod
    def of(cls, *areas: Area) -> Changes:
        return cls(frozenset(areas))

    def touches(self, *areas: Area) -> bool:
        return bool(self.areas.intersection(areas))

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.areas | other.areas)


NO_CHANGES = Changes()


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """A service's answer: the plain data it returns and what it changed."""

    value: T
    changes: Changes = NO_CHANGES
