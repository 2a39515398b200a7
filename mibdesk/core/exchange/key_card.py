"""Key cards: how an office introduces its exchange key to another.

A card names the office (code, name, level), carries its Ed25519 public key and, when the
office has one, its PDF signing certificate, and is signed with the key it carries (proof
that the sender holds it). A card proves nothing about *who* sent it: the receiving office
registers it only after a person has compared the fingerprint with one given on paper or by
phone (docs/exchange-format.md).
"""

from __future__ import annotations

import base64
from typing import Annotated, Literal

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

    @property
    def public(self) -> bytes:
        return keys.decode_public(self.public_key, where=_("Key card"))

    @property
    def key_id(self) -> str:
        return keys.key_id(self.public)

    @property
    def fingerprint(self) -> str:
        return keys.fingerprint(self.public)


def write_card(card: KeyCard, key: keys.ExchangeKey) -> bytes:
    body = card.model_dump(mode="json")
    signature = base64.b64encode(key.sign(canonical_bytes(body))).decode("ascii")
    return canonical_bytes({"card": body, "signature": signature})


def read_card(data: bytes, *, where: str) -> KeyCard:
    """A card whose self-signature holds; ValidationError otherwise."""
    document = parse_strict(data, where=where, max_bytes=MAX_CARD)
    if not isinstance(document, dict) or set(document) != {"card", "signature"}:
        raise ValidationError(_("This is not a mibdesk key card."), where=where)
    try:
        card = KeyCard.model_validate(document["card"])
        signature = base64.b64decode(str(document["signature"]), validate=True)
    except (SchemaError, ValueError):
        raise ValidationError(_("This is not a mibdesk key card."), where=where) from None
    if not keys.verify(card.public, signature, canonical_bytes(document["card"])):
        raise ValidationError(_("The key card's signature does not match."), where=where)
    return card
