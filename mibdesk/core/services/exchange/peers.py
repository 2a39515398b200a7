"""Whose packages this office accepts: key cards, fingerprints, registration, revocation.

An office's key card is published to the drop at every sync. A card from an office this one
deals with (the city above, the counties or townships below) appears as *pending*; a person
compares its fingerprint with the one given on paper, then registers or rejects it. The
city's trust list (a package) registers and revokes keys at its counties in bulk.

A rotation card (docs/exchange-format.md, "Key rotation") signed by the office's registered
key registers the new key at once and *retires* the old one: packages signed by a retired
key are still accepted for `GRACE_DAYS` after this office learnt of the rotation (they were
in flight), and refused after that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from mibdesk.core.db.exchange_models import ExchangePeer
from mibdesk.core.errors import ValidationError
from mibdesk.core.exchange import drop, keys
from mibdesk.core.exchange.key_card import CardFile, KeyCard, open_card, write_card
from mibdesk.core.exchange.package import PinnedKey
from mibdesk.core.i18n import _
from mibdesk.core.repos import audit
from mibdesk.core.repos import exchange as ledger
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.exchange.context import Me, me
from mibdesk.core.services.store import Store

PEER_CHANGES = Changes.of(Area.OFFICE, Area.AUDIT)
GRACE_DAYS = 30
"""How long packages signed by a replaced key are still accepted (the refusal's text,
refusals.Reason.RETIRED_KEY, says 30 days too)."""
ROTATION_CARD = "rotation-{key_id}.mibkey"
"""The rotation card made when the key `key_id` replaced the previous one, kept in the keys
folder and published instead of a self-signed card while that key is in use."""


@dataclass(frozen=True)
class PeerInfo:
    office: str
    name: str
    level: str
    key_id: str
    fingerprint: str
    status: str
    source: str
    found_at: str
    has_pdf_certificate: bool


def _info(row: ExchangePeer) -> PeerInfo:
    public = keys.decode_public(row.public_key, where=row.office)
    return PeerInfo(
        row.office,
        row.name,
        row.level,
        row.key_id,
        keys.fingerprint(public),
        row.status,
        row.source,
        row.found_at,
        bool(row.pdf_certificate),
    )


def pdf_certificate_pem(store: Store) -> str:
    """The office's PDF signing certificate (public part), if it has one."""
    from mibdesk.core.services.forms import key_path
    from mibdesk.core.signing.keys import certificate_copy

    path = certificate_copy(key_path(store))
    return path.read_text(encoding="ascii") if path.exists() else ""


def my_card(store: Store, office: Me | None = None) -> KeyCard:
    office = office or me(store)
    return KeyCard(
        office=office.code,
        name=office.name,
        level=office.level,  # type: ignore[arg-type]
        public_key=keys.encode_public(office.key.public),
        pdf_certificate=pdf_certificate_pem(store),
        created_at=stamp(store.clock()),
    )


def my_fingerprint(store: Store) -> str:
    return keys.fingerprint(me(store).key.public)


def rotation_card_path(store: Store, key_id: str) -> Path:
    return store.paths.root / "keys" / ROTATION_CARD.format(key_id=key_id)


def card_file(store: Store, office: Me | None = None) -> tuple[str, bytes]:
    """This office's key card as it is published: its file name and bytes. After a rotation,
    the rotation card kept then (while it carries the current PDF certificate), so that an
    office that missed it still takes the new key on the old key's word."""
    office = office or me(store)
    card = my_card(store, office)
    data = b""
    saved = rotation_card_path(store, office.key.key_id)
    if saved.exists():
        kept = open_card(saved.read_bytes(), where=saved.name)
        if kept.card.pdf_certificate == card.pdf_certificate:
            card, data = kept.card, saved.read_bytes()
    name = drop.key_card_name(office.code, office.key.key_id, card.pdf_certificate)
    return name, data or write_card(card, office.key)


def export_card(store: Store, target: Path) -> Path:
    """Write this office's key card to `target` (a folder: the standard name is used)."""
    name, data = card_file(store)
    path = target / name if target.is_dir() else target
    drop.publish(path.parent, path.name, data)
    return path


def related(mine: Me, card: KeyCard) -> bool:
    """Offices this one exchanges with: its city, its counties, its county, its townships."""
    if card.office == mine.code:
        return False
    if mine.level == "city":
        return card.level == "county" and card.office[:4] == mine.code[:4]
    if mine.level == "county":
        return (card.level == "city" and card.office[:4] == mine.code[:4]) or (
            card.level == "township" and card.office[:6] == mine.code
        )
    return card.level == "county" and mine.code[:6] == card.office


def note_card(store: Store, found: CardFile | KeyCard, source: str) -> bool:
    """Record a card as pending unless its key is already known; True if it is new.

    A known key's card that brings a new PDF certificate updates it: the card is signed with
    the very key already registered, so it is that office speaking about itself. Likewise a
    rotation card signed by the office's registered (active) key registers the new key and
    retires the old one; one whose old key is unknown, not active or did not sign it is
    only pending, like any card, and the refusal is in the audit log."""
    if isinstance(found, KeyCard):  # a card made here (no file): self-signed, no rotation
        found = CardFile(found, b"")
    card = found.card
    at = stamp(store.clock())
    with store.write() as session:
        row = ledger.peer_by_key(session, card.key_id)
        if row is None or (row.status == "pending" and card.replaces):
            old = _rotated_from(session, found, source, at)
            if old is not None:
                _rotate(session, row, found, old, source, at)
                return True
            if row is None:
                session.add(_row(card, "pending", source, at))
                return True
            return False
        if card.pdf_certificate and card.pdf_certificate != row.pdf_certificate:
            row.pdf_certificate = card.pdf_certificate
            audit.append(
                session,
                at=at,
                actor="exchange",
                action="peer.certificate",
                entity="exchange_peer",
                entity_key=f"{row.office}/{row.key_id}",
                after={"source": source},
            )
    return False


def _rotated_from(session: Session, found: CardFile, source: str, at: str) -> ExchangePeer | None:
    """The registered key a rotation card replaces, if that key signed it; None (and, for a
    rotation card, an audit entry saying why) otherwise."""
    card = found.card
    if not card.replaces:
        return None
    old = ledger.peer_by_key(session, card.replaces)
    trusted = (
        old is not None
        and old.status == "active"
        and (old.office, old.level) == (card.office, card.level)
        and found.signed_by(keys.decode_public(old.public_key, where=old.office))
    )
    if trusted:
        return old
    audit.append(
        session,
        at=at,
        actor="exchange",
        action="peer.rotation_refused",
        entity="exchange_peer",
        entity_key=f"{card.office}/{card.key_id}",
        after={"replaces": card.replaces, "source": source},
        reason=_(
            "The card says it replaces key {key}, which is not this office's registered key "
            "for {code} or did not sign it: the new key waits for its fingerprint to be checked."
        ).format(key=card.replaces, code=card.office),
    )
    return None


def _rotate(
    session: Session,
    row: ExchangePeer | None,
    found: CardFile,
    old: ExchangePeer,
    source: str,
    at: str,
) -> None:
    card = found.card
    if row is None:
        row = _row(card, "active", source, at)
        session.add(row)
    row.status, row.decided_at, row.decided_by = "active", at, "exchange"
    old.status, old.decided_at, old.decided_by = "retired", at, "exchange"
    audit.append(
        session,
        at=at,
        actor="exchange",
        action="peer.rotated",
        entity="exchange_peer",
        entity_key=f"{card.office}/{card.key_id}",
        before={"key_id": old.key_id, "status": "active"},
        after={"key_id": card.key_id, "fingerprint": card.fingerprint, "source": source},
        reason=_(
            "The office replaced its key; the old key is accepted for {days} more days."
        ).format(days=GRACE_DAYS),
    )


def _row(card: KeyCard, status: str, source: str, at: str) -> ExchangePeer:
    return ExchangePeer(
        office=card.office,
        name=card.name,
        level=card.level,
        key_id=card.key_id,
        public_key=card.public_key,
        pdf_certificate=card.pdf_certificate,
        status=status,
        source=source,
        found_at=at,
        decided_at=None,
        decided_by="",
    )


def import_card(store: Store, actor: Actor, data: bytes, *, where: str) -> Outcome[PeerInfo]:
    """Add a key card handed over by file (USB stick, e-mail) as pending."""
    require(actor, Permission.CHANGE_SETTINGS)
    found = open_card(data, where=where)
    card = found.card
    if not related(me(store), card):
        raise ValidationError(
            _("This office does not exchange packages with {name} ({code}).").format(
                name=card.name, code=card.office
            ),
            where=where,
        )
    note_card(store, found, where)
    return Outcome(peer(store, card.key_id), PEER_CHANGES)


def peer(store: Store, key_id: str) -> PeerInfo:
    with store.read() as session:
        row = ledger.peer_by_key(session, key_id)
        if row is None:
            raise ValidationError(_("No key {key} is known.").format(key=key_id))
        return _info(row)


def list_peers(store: Store) -> list[PeerInfo]:
    with store.read() as session:
        statuses = ("pending", "active", "retired", "revoked", "rejected")
        return [_info(row) for row in ledger.peers(session, statuses)]


def decide(
    store: Store, actor: Actor, key_id: str, status: str, fingerprint: str = "", reason: str = ""
) -> Outcome[PeerInfo]:
    """Register (`active`, only with the fingerprint typed or read back), reject or revoke."""
    require(actor, Permission.CHANGE_SETTINGS)
    with store.write() as session:
        row = ledger.peer_by_key(session, key_id)
        if row is None:
            raise ValidationError(_("No key {key} is known.").format(key=key_id))
        info = _info(row)
        if status == "active":
            if row.status != "pending":
                raise ValidationError(_("Only a pending key can be registered."))
            if fingerprint.replace(" ", "").upper() != info.fingerprint.replace(" ", ""):
                raise ValidationError(
                    _("The fingerprint does not match the key card; do not register it."),
                    where=_("Fingerprint"),
                )
            previous = ledger.active_peer(session, row.office)
            if previous is not None:  # a new key replaces the office's old one
                previous.status = "revoked"
        elif status in ("rejected", "revoked") and not reason.strip():
            raise ValidationError(_("Say why."), where=_("Reason"))
        before = row.status
        row.status, row.decided_at, row.decided_by = status, stamp(store.clock()), actor.username
        audit.append(
            session,
            at=stamp(store.clock()),
            actor=actor.username,
            action=f"peer.{status}",
            entity="exchange_peer",
            entity_key=f"{row.office}/{key_id}",
            before={"status": before},
            after={"status": status, "fingerprint": info.fingerprint},
            reason=reason,
        )
        return Outcome(_info(row), PEER_CHANGES)


def pinned(store: Store) -> dict[str, PinnedKey]:
    """key id → key, for every active, retired or revoked peer (revoked ones, and retired
    ones past their grace period, to refuse by name)."""
    grace_from = store.clock() - timedelta(days=GRACE_DAYS)
    with store.read() as session:
        rows = ledger.peers(session, ("active", "retired", "revoked"))
        return {
            row.key_id: PinnedKey(
                row.office,
                keys.decode_public(row.public_key, where=row.office),
                revoked=row.status == "revoked",
                retired=row.status == "retired"
                and datetime.fromisoformat(row.decided_at or "") < grace_from,
            )
            for row in rows
        }
