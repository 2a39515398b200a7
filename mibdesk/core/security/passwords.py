"""Password hashing with argon2id (argon2-cffi) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _

MIN_LENGTH = 8
MAX_LENGTH = 128
_hasher = PasswordHasher()


def check_policy(password: str) -> None:
    """Refuse a password that is too short, too long, or has no letter or no digit."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise ValidationError(
            _("A password must have {low} to {high} characters.").format(
                low=MIN_LENGTH, high=MAX_LENGTH
            ),
            where=_("Password"),
        )
    if not any(c.isdigit() for c in password) or not any(c.isalpha() for c in password):
        raise ValidationError(
            _("A password must contain at least one letter and one digit."), where=_("Password")
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True when `password` matches; never raises for a wrong password or a damaged hash."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
