"""Key cards: how an office introduces its exchange key to another.

A card names the office (code, name, level), carries its Ed25519 public key and, when the
office has one, its PDF signing certificate, and is signed with the key it carries (proof
that the sender holds it). A card proves nothing about *who* sent it: the receiving office
registers it only after a person has compared the fingerprint with one given on paper or by
phone (docs/exchange-format.md).

A rotation card (the office replaced its key) names the key it replaces in `replaces` and
carries a second signature over the same card, made with that old key
(`previous_signature`): an office that trusts the old key may take the new one on its word.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints
from pydantic import ValidationError as SchemaError

from mibdesk.core.errors import ValidationError
from mibdesk.core.exchange import keys
from mibdesk.core.exchange.manifest import OfficeCode
from mibdesk.core.exchange.strict_json import canonical_bytes, parse_strict
from mibdesk.core.i18n import _

MAX_CARD = 64 * 1024


class KeyCard(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    format: Literal["mibdesk-key-card"] = "mibdesk-key-card"
    format_version: Literal[1] = 1
    office: OfficeCode
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    level: Literal["township", "county", "city"]
    public_key: Annotated[str, StringConstraints(min_length=44, max_length=44)]
    pdf_certificate: Annotated[str, StringConstraints(max_length=16000)] = ""
    created_at: Annotated[str, StringConstraints(max_length=40)]
    replaces: Annotated[str, StringConstraints(pattern=r"^([0-9a-f]{16})?$")] = ""

    @property
    def public(self) -> bytes:
        return keys.decode_public(self.public_key, where=_("Key card"))

    @property
    def key_id(self) -> str:
        return keys.key_id(self.public)

    @property
    def fingerprint(self) -> str:
        return keys.fingerprint(self.public)


@dataclass(frozen=True)
class CardFile:
    """A card as read from a file: `body` are the exact bytes both signatures cover;
    `previous_signature` is the old key's signature of a rotation card (None otherwise)."""

    card: KeyCard
    body: bytes
    previous_signature: bytes | None = None

    def signed_by(self, public: bytes) -> bool:
        """Whether the replaced key `public` signed this rotation card."""
        signature = self.previous_signature
        return signature is not None and keys.verify(public, signature, self.body)


def write_card(
    card: KeyCard, key: keys.ExchangeKey, previous: keys.ExchangeKey | None = None
) -> bytes:
    """The card file, signed by `key` (the key it carries) and, for a rotation card, by the
    `previous` key it replaces too."""
    body = card.model_dump(mode="json", exclude={"replaces"} if not card.replaces else None)
    signed = canonical_bytes(body)
    document: dict[str, Any] = {
        "card": body,
        "signature": base64.b64encode(key.sign(signed)).decode("ascii"),
    }
    if previous is not None:
        document["previous_signature"] = base64.b64encode(previous.sign(signed)).decode("ascii")
    return canonical_bytes(document)


def open_card(data: bytes, *, where: str) -> CardFile:
    """A card whose self-signature holds; ValidationError otherwise. A rotation card must
    carry the replaced key's signature too (checked against that key by who trusts it)."""
    document = parse_strict(data, where=where, max_bytes=MAX_CARD)
    fields = {"card", "signature"}
    if not isinstance(document, dict) or not fields <= set(document) <= {
        *fields,
        "previous_signature",
    }:
        raise ValidationError(_("This is not a mibdesk key card."), where=where)
    try:
        card = KeyCard.model_validate(document["card"])
        signature = base64.b64decode(str(document["signature"]), validate=True)
        previous = document.get("previous_signature")
        previous_signature = (
            None if previous is None else base64.b64decode(str(previous), validate=True)
        )
    except (SchemaError, ValueError):
        raise ValidationError(_("This is not a mibdesk key card."), where=where) from None
    body = canonical_bytes(document["card"])
    if not keys.verify(card.public, signature, body):
        raise ValidationError(_("The key card's signature does not match."), where=where)
    if bool(card.replaces) != (previous_signature is not None) or card.replaces == card.key_id:
        raise ValidationError(_("This is not a mibdesk key card."), where=where)
    return CardFile(card, body, previous_signature)
