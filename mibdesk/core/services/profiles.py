"""The office's policy profile: the bundled one, or the city's newer update of it.

A city publishes profile updates through the file drop; the update is stored in the office
database (so it travels with backups) and replaces the bundled profile of the same id from
then on. An update for another profile, or not newer than the one in force, is refused.
"""

from __future__ import annotations

import json
from functools import lru_cache

from mibdesk.core.catalog import Profile, load_profile
from mibdesk.core.catalog.loader import parse_profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.repos import audit, office
from mibdesk.core.security.roles import Actor
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import Store

UPDATE_KEY = "profile_update"


@lru_cache(maxsize=4)
def _parsed(text: str) -> Profile:
    return parse_profile(text, where=_("Policy profile update"))


def office_profile(store: Store) -> Profile:
    """The profile in force for this office."""
    info = office_info(store)
    with store.read() as session:
        stored = office.setting_values(session).get(UPDATE_KEY)
    if stored is not None:
        profile = _parsed(json.loads(stored))
        if profile.id == info.profile_id:
            return profile
    return load_profile(info.profile_id)


def apply_profile_update(store: Store, actor: Actor, text: str, *, where: str) -> Outcome[Profile]:
    """Put a city's profile update in force (audited); refused if not for this office's
    profile or not newer than the one in force."""
    update = parse_profile(text, where=where)
    current = office_profile(store)
    if update.id != current.id:
        raise ValidationError(
            _("The update is for the profile {got}, but this office uses {want}.").format(
                got=update.id, want=current.id
            ),
            where=where,
        )
    if update.version <= current.version:
        raise ValidationError(
            _("The update has version {got}; version {have} is already in force.").format(
                got=update.version, have=current.version
            ),
            where=where,
        )
    with store.write() as session:
        office.put_setting(session, UPDATE_KEY, json.dumps(text, ensure_ascii=False))
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=actor.username,
            action="profile.update",
            entity="profile",
            entity_key=update.id,
            before={"version": current.version},
            after={"version": update.version},
            reason=where,
        )
    return Outcome(update, Changes.of(Area.OFFICE, Area.FIGURES, Area.QUOTAS, Area.PLANS))
