"""Errors that speak to the user.

A `UserError` carries a message already translated for the user (what, where, what to do).
Anything else that escapes a service is a bug and is logged with its traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can act on; `str(error)` is the message to show."""

    def __init__(self, message: str, *, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}：{self.message}" if self.where else self.message


class ValidationError(UserError):
    """Input that breaks a rule: nothing was changed."""


class ProfileError(UserError):
    """A policy profile that is malformed or inconsistent."""


class CalendarUnknownError(UserError):
    """A working-day question about a year for which there is no calendar data."""


class AuthError(UserError):
    """Login, lockout or permission failure."""


class StoreError(UserError):
    """The database cannot be opened or used safely."""
