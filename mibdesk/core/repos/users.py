"""User accounts."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mibdesk.core.db.models import User


def by_username(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


def by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))


def count_usable_heads(session: Session) -> int:
    """Active heads not locked by a head: someone who can still administer the office."""
    stmt = (
        select(func.count())
        .select_from(User)
        .where(User.role == "head", User.active, User.locked_by_head.is_(False))
    )
    return int(session.scalar(stmt) or 0)


def add(session: Session, user: User) -> User:
    session.add(user)
    session.flush()
    return user
