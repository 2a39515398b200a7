"""Whose packages this office accepts: key cards, fingerprints, registration, revocation.

An office's key card is published to the drop at every sync. A card from an office this one
deals with (the city above, the counties or townships below) appears as *pending*; a person
compares its fingerprint with the one given on paper, then registers or rejects it. The
city's trust list (a package) registers and revokes keys at its counties in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mibdesk.core.db.models import ExchangePeer
from mibdesk.core.errors import ValidationError
from mibdesk.core.exchange import drop, keys
from mibdesk.core.exchange.key_card import KeyCard, read_card, write_card
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


def export_card(store: Store, target: Path) -> Path:
    """Write this office's key card to `target` (a folder: the standard name is used)."""
    office = me(store)
    card = my_card(store, office)
    name = drop.key_card_name(office.code, office.key.key_id, card.pdf_certificate)
    path = target / name if target.is_dir() else target
    drop.publish(path.parent, path.name, write_card(card, office.key))
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


def note_card(store: Store, card: KeyCard, source: str) -> bool:
    """Record a card as pending unless its key is already known; True if it is new.

    A known key's card that brings a new PDF certificate updates it: the card is signed with
    the very key already registered, so it is that office speaking about itself."""
    at = stamp(store.clock())
    with store.write() as session:
        row = ledger.peer_by_key(session, card.key_id)
        if row is None:
            session.add(_row(card, "pending", source, at))
            return True
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
    card = read_card(data, where=where)
    if not related(me(store), card):
        raise ValidationError(
            _("This office does not exchange packages with {name} ({code}).").format(
                name=card.name, code=card.office
            ),
            where=where,
        )
    note_card(store, card, where)
    return Outcome(peer(store, card.key_id), PEER_CHANGES)


def peer(store: Store, key_id: str) -> PeerInfo:
    with store.read() as session:
        row = ledger.peer_by_key(session, key_id)
        if row is None:
            raise ValidationError(_("No key {key} is known.").format(key=key_id))
        return _info(row)


def list_peers(store: Store) -> list[PeerInfo]:
    with store.read() as session:
        statuses = ("pending", "active", "revoked", "rejected")
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
    """key id → key, for every active or revoked peer (revoked ones to refuse by name)."""
    with store.read() as session:
        rows = ledger.peers(session, ("active", "revoked"))
        return {
            row.key_id: PinnedKey(
                row.office,
                keys.decode_public(row.public_key, where=row.office),
                row.status == "revoked",
            )
            for row in rows
        }
