"""The county's townships (乡镇/街道), by their 9-digit codes: part of the office set-up."""

from __future__ import annotations

from dataclasses import dataclass

from mibdesk.core.db.models import Township
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.repos import audit, figures
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.setup import office_info, validate_township
from mibdesk.core.services.store import Store


@dataclass(frozen=True)
class TownshipInfo:
    code: str
    name: str
    position: int
    active: bool


def _info(row: Township) -> TownshipInfo:
    return TownshipInfo(row.code, row.name, row.position, row.active)


def list_townships(store: Store, active_only: bool = True) -> list[TownshipInfo]:
    with store.read() as session:
        return [_info(row) for row in figures.townships(session, active_only)]


def save_township(
    store: Store, actor: Actor, code: str, name: str, active: bool = True
) -> Outcome[TownshipInfo]:
    """Add a township or rename/(de)activate one; its code must be inside the county's code."""
    require(actor, Permission.CHANGE_SETTINGS)
    code = code.strip()
    validate_township(code, name, office_info(store).code)
    with store.write() as session:
        existing = {row.code: row for row in figures.townships(session, active_only=False)}
        position = existing[code].position if code in existing else len(existing) + 1
        if any(row.name == name.strip() and row.code != code for row in existing.values()):
            raise ValidationError(
                _("Another township is already called {name}.").format(name=name.strip()),
                where=_("Township name"),
            )
        row = Township(code=code, name=name.strip(), position=position, active=active)
        previous = figures.put_township(session, row)
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=actor.username,
            action="township.save",
            entity="township",
            entity_key=code,
            before=None if previous is None else _info(previous).__dict__,
            after=_info(row).__dict__,
        )
        info = _info(row)
    return Outcome(info, Changes.of(Area.OFFICE, Area.FIGURES, Area.AUDIT))
