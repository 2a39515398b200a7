"""A look inside a package file for a person (a technician at the command line), applying
nothing: its manifest, members, sizes and hashes, and whether its signature was verified.

The package is first opened as the importer opens it (`open_package`), which checks member
names, sizes and ratios before anything is read. Only when those checks passed (the package
is verified, or refused for its key, signature or contents) are the members read, each with
a size cap, and the manifest parsed strictly — and then shown as *unverified* unless the
sender's key is registered and the signature holds.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mibdesk.core.errors import UserError
from mibdesk.core.exchange.manifest import MANIFEST, SIGNATURE
from mibdesk.core.exchange.package import (
    MAX_MANIFEST,
    MAX_MEMBER,
    MAX_MEMBERS,
    PinnedKey,
    open_package,
    sha256,
)
from mibdesk.core.exchange.refusals import PackageRefused, Reason
from mibdesk.core.exchange.strict_json import parse_strict

VERIFIED, UNVERIFIED, REFUSED = "verified", "unverified", "refused"
_READABLE = frozenset(
    {
        Reason.BAD_SIGNATURE,
        Reason.UNKNOWN_KEY,
        Reason.REVOKED_KEY,
        Reason.SENDER_MISMATCH,
        Reason.BAD_MANIFEST,
        Reason.EXTRA_MEMBER,
        Reason.MISSING_MEMBER,
        Reason.HASH_MISMATCH,
    }
)
"""Refusals raised only after every member passed the name, size and ratio checks."""


@dataclass(frozen=True)
class MemberInfo:
    name: str
    size: int
    sha256: str
    check: str  # manifest | signature | matches | differs (from the manifest) | not_listed


@dataclass(frozen=True)
class PackageLook:
    size: int
    sha256: str
    signature: str  # verified | unverified | refused
    problem: str  # why it is unverified or refused ("" when verified)
    manifest: dict[str, Any] | None  # as the package states it (None: unreadable)
    members: list[MemberInfo]

    @property
    def key_id(self) -> str:
        sender = (self.manifest or {}).get("sender")
        return str(sender.get("key_id", "")) if isinstance(sender, dict) else ""


def examine(data: bytes, pinned: Callable[[str], PinnedKey | None]) -> PackageLook:
    """Look at package bytes; `pinned(key_id)` gives a registered key, or None."""
    try:
        open_package(data, pinned)
    except PackageRefused as refusal:
        readable = refusal.reason in _READABLE
        status = UNVERIFIED if refusal.reason == Reason.UNKNOWN_KEY else REFUSED
        problem = str(refusal)
    else:
        readable, status, problem = True, VERIFIED, ""
    manifest: dict[str, Any] | None = None
    members: list[MemberInfo] = []
    if readable:
        contents = _read_members(data)
        manifest = _manifest(contents.get(MANIFEST, b""))
        listed = _listed(manifest)
        members = [
            MemberInfo(name, len(body), sha256(body), _check(name, body, listed))
            for name, body in contents.items()
        ]
    return PackageLook(len(data), sha256(data), status, problem, manifest, members)


def _read_members(data: bytes) -> dict[str, bytes]:
    """Every member's bytes, each at most MAX_MEMBER (a damaged one reads as empty)."""
    found: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist()[:MAX_MEMBERS]:
            try:
                with archive.open(info) as stream:
                    found[info.filename] = stream.read(MAX_MEMBER)
            except (zipfile.BadZipFile, zlib.error, EOFError):
                found[info.filename] = b""
    return found


def _manifest(data: bytes) -> dict[str, Any] | None:
    try:
        value = parse_strict(data, where=MANIFEST, max_bytes=MAX_MANIFEST)
    except UserError:
        return None
    return value if isinstance(value, dict) else None


def _check(name: str, body: bytes, listed: dict[str, tuple[object, object]]) -> str:
    if name in (MANIFEST, SIGNATURE):
        return "manifest" if name == MANIFEST else "signature"
    if name not in listed:
        return "not_listed"
    return "matches" if listed[name] == (len(body), sha256(body)) else "differs"


def _listed(manifest: dict[str, Any] | None) -> dict[str, tuple[object, object]]:
    """name → (size, SHA-256) as the manifest lists its files."""
    files = (manifest or {}).get("files")
    if not isinstance(files, list):
        return {}
    return {
        str(entry.get("name")): (entry.get("size"), entry.get("sha256"))
        for entry in files
        if isinstance(entry, dict)
    }
