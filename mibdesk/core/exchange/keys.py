"""The office's exchange key (Ed25519): signs every package it sends.

Separate from the head's PDF signing key: packages are sent by a timer or a scheduled task,
so this key works without a password. It proves which office's computer produced a package;
the legal signature on a form remains the head's PAdES signature inside the PDF.
The private key lives in `<data>/keys/exchange.key` (PEM, PKCS#8), written atomically.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.signing._files import write_atomically

KEY_FILE = "exchange.key"


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: bytes) -> str:
    """16 hex digits naming a public key (the start of its SHA-256)."""
    return hashlib.sha256(public).hexdigest()[:16]


def fingerprint(public: bytes) -> str:
    """What people compare on paper: 32 hex digits of the key's SHA-256 in groups of four."""
    digest = hashlib.sha256(public).hexdigest()[:32].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def encode_public(public: bytes) -> str:
    return base64.b64encode(public).decode("ascii")


def decode_public(text: str, *, where: str) -> bytes:
    try:
        public = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        public = b""
    if len(public) != 32:
        raise ValidationError(_("This is not an Ed25519 public key."), where=where)
    return public


@dataclass(frozen=True)
class ExchangeKey:
    private: Ed25519PrivateKey

    @property
    def public(self) -> bytes:
        return raw_public(self.private.public_key())

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)


def verify(public: bytes, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def load_or_create(keys_dir: Path) -> ExchangeKey:
    """The office's key, created on first use."""
    path = keys_dir / KEY_FILE
    if path.exists():
        try:
            private = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except ValueError:
            private = None
        if not isinstance(private, Ed25519PrivateKey):
            raise ValidationError(
                _("The exchange key file is damaged; restore it from a backup."),
                where=str(path),
            )
        return ExchangeKey(private)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    write_atomically(path, lambda temp: temp.write_bytes(pem))
    return ExchangeKey(private)
