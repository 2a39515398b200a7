"""The office's exchange key (Ed25519): signs every package it sends.

Separate from the head's PDF signing key: packages are sent by a timer or a scheduled task,
so this key works without a password. It proves which office's computer produced a package;
the legal signature on a form remains the head's PAdES signature inside the PDF.
The private key lives in `<data>/keys/exchange.key` (PEM, PKCS#8), written atomically.
A replaced key is archived, never deleted, as `<data>/keys/retired/exchange-<key id>.key`
(see services/exchange/rotation.py).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.signing._files import write_atomically

KEY_FILE = "exchange.key"
RETIRED_DIR = "retired"


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


@lru_cache(maxsize=256)
def _public_key(public: bytes) -> Ed25519PublicKey:
    """The key object for raw bytes, made once (an import verifies many packages per key)."""
    return Ed25519PublicKey.from_public_bytes(public)


def verify(public: bytes, signature: bytes, data: bytes) -> bool:
    try:
        _public_key(public).verify(signature, data)
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
    key = generate()
    install(keys_dir, key)
    return key


def generate() -> ExchangeKey:
    """A new key, not yet saved."""
    return ExchangeKey(Ed25519PrivateKey.generate())


def _pem(key: ExchangeKey) -> bytes:
    return key.private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def install(keys_dir: Path, key: ExchangeKey) -> None:
    """Make `key` the office's key: one atomic rename, so that a crash leaves the old key or
    the new one in `exchange.key`, never neither nor half of one."""
    pem = _pem(key)
    write_atomically(keys_dir / KEY_FILE, lambda temp: temp.write_bytes(pem))


def archive(keys_dir: Path, key: ExchangeKey) -> Path:
    """Keep a copy of `key` under `retired/` (written atomically; an existing copy stays)."""
    path = keys_dir / RETIRED_DIR / f"exchange-{key.key_id}.key"
    if not path.exists():
        pem = _pem(key)
        write_atomically(path, lambda temp: temp.write_bytes(pem))
    return path
