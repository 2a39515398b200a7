"""Replacing the office's exchange key: yearly, or at once after a suspected leak.

The head rotates with a reason. In this order, so that a crash at any point leaves the old
key or the new one in force, never neither:

1. the old private key is archived under `keys/retired/` (never deleted);
2. a new key is made and its rotation card (it names the key it replaces and is signed by
   both keys) is kept in the keys folder;
3. in one database transaction, the audit entry is written and the new key is installed
   over `keys/exchange.key` by one atomic rename, then committed. (Killed between the rename
   and the commit, the new key is in force without its audit entry; the rotation card and
   the archived key in the keys folder still show what happened.)

From then on every package is signed with the new key; streams and sequence numbers go on.
Packages already built (waiting in the outbox) keep the old key's signature: peers accept
them for `peers.GRACE_DAYS`. The rotation card goes to the drop now if it can be reached,
otherwise with the next sync; a peer that trusts the old key takes the new one at once.

After a suspected leak the same rotation is done, and the city (and, for a township, its
county) must also revoke the old key by its id (`mibdesk-cli keys revoke OLD_KEY_ID`), after
comparing the new fingerprint by phone: a thief holding the old key could have made a
rotation card of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mibdesk.core.errors import ValidationError
from mibdesk.core.exchange import drop, keys
from mibdesk.core.exchange.key_card import write_card
from mibdesk.core.i18n import _
from mibdesk.core.repos import audit
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.exchange.context import drop_folder, me
from mibdesk.core.services.exchange.peers import my_card, rotation_card_path
from mibdesk.core.services.store import Store
from mibdesk.core.signing._files import write_atomically

ROTATION_CHANGES = Changes.of(Area.OFFICE, Area.AUDIT)


@dataclass(frozen=True)
class Rotation:
    old_key_id: str
    old_fingerprint: str
    new_key_id: str
    new_fingerprint: str
    waiting_because: str  # why the rotation card is not in the drop yet ("" when it is)


def rotate_exchange_key(store: Store, actor: Actor, reason: str) -> Outcome[Rotation]:
    """Replace the office's exchange key (the head only, with a reason); see the module."""
    require(actor, Permission.CHANGE_SETTINGS)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why."), where=_("Reason"))
    office = me(store)
    old, keys_dir = office.key, store.paths.root / "keys"
    keys.archive(keys_dir, old)
    new = keys.generate()
    card = my_card(store, replace(office, key=new)).model_copy(update={"replaces": old.key_id})
    data = write_card(card, new, previous=old)
    write_atomically(rotation_card_path(store, new.key_id), lambda temp: temp.write_bytes(data))
    rotation = Rotation(
        old.key_id, keys.fingerprint(old.public), new.key_id, keys.fingerprint(new.public), ""
    )
    with store.write() as session:
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=actor.username,
            action="exchange.key_rotate",
            entity="exchange_key",
            entity_key=office.code,
            before={"key_id": old.key_id, "fingerprint": rotation.old_fingerprint},
            after={"key_id": new.key_id, "fingerprint": rotation.new_fingerprint},
            reason=reason,
        )
        keys.install(keys_dir, new)
    name = drop.key_card_name(office.code, new.key_id, card.pdf_certificate)
    try:
        folder = drop.check_folder(drop_folder(store), writable=True)
        drop.publish(folder, name, data)
    except drop.DropUnavailable as error:
        rotation = replace(rotation, waiting_because=str(error))
    return Outcome(rotation, ROTATION_CHANGES)
