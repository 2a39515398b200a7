"""Building a package (a zip) and opening one safely.

Opening checks, in this order, so that nothing from an unverified sender is parsed:
size caps and member names (zip-slip, absolute paths, reserved Windows names, symlinks,
duplicates, decompression bombs); the signature over the exact manifest bytes, with the
key pinned for the key id it names; then the manifest itself; then every member's size and
hash against the manifest, and the member list (nothing extra, nothing missing).
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError as SchemaError

from mibdesk.core.errors import ValidationError
from mibdesk.core.exchange import keys
from mibdesk.core.exchange.drop import read_capped
from mibdesk.core.exchange.manifest import MANIFEST, SIGNATURE, FileEntry, Manifest
from mibdesk.core.exchange.refusals import PackageRefused, Reason
from mibdesk.core.exchange.strict_json import canonical_bytes, parse_strict

MAX_PACKAGE = 64 * 1024 * 1024
MAX_MANIFEST = 256 * 1024
MAX_SIGNATURE = 256
MAX_MEMBER = 48 * 1024 * 1024
MAX_MEMBERS = 18
MAX_RATIO = 100  # uncompressed ÷ compressed, per member: more is a decompression bomb
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_SIGNATURE_LINE = re.compile(rb"^ed25519 ([0-9a-f]{16}) ([A-Za-z0-9+/]{86}==)\n$")
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_WINDOWS_FORBIDDEN = re.compile(r'[\x00-\x1f<>:"|?*\\]')


@dataclass(frozen=True)
class PinnedKey:
    """A peer's public key as this office registered it."""

    office: str
    public: bytes
    revoked: bool = False
    retired: bool = False  # replaced by a new key, and its grace period is over


@dataclass(frozen=True)
class OpenedPackage:
    manifest: Manifest
    manifest_sha256: str
    members: Mapping[str, bytes]  # payload members, verified against the manifest


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build(manifest: Manifest, payload: Mapping[str, bytes], key: keys.ExchangeKey) -> bytes:
    """The package bytes: manifest, its signature, then the payload members (deterministic)."""
    manifest_bytes = canonical_bytes(manifest.model_dump(mode="json"))
    signature = base64.b64encode(key.sign(manifest_bytes))
    members = [
        (MANIFEST, manifest_bytes),
        (SIGNATURE, b"ed25519 " + key.key_id.encode("ascii") + b" " + signature + b"\n"),
        *payload.items(),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def file_entries(payload: Mapping[str, bytes]) -> list[FileEntry]:
    return [FileEntry(name=n, size=len(d), sha256=sha256(d)) for n, d in payload.items()]


def _unsafe_part(part: str) -> bool:
    """A path part that climbs, is empty, or that Windows would read as another name (a
    device, or a name it silently strips of trailing dots and spaces)."""
    return (
        part in ("", ".", "..")
        or part.endswith((".", " "))
        or _WINDOWS_RESERVED.match(part) is not None
        or _WINDOWS_FORBIDDEN.search(part) is not None
    )


def _check_member(info: zipfile.ZipInfo, seen: set[str]) -> None:
    name = info.filename
    if name.startswith(("/", "\\")) or any(_unsafe_part(part) for part in name.split("/")):
        raise PackageRefused(Reason.UNSAFE_NAME, name=name)
    # Case-insensitive, as Windows and macOS folders are: "A.json" and "a.json" are one file.
    if name.casefold() in seen:
        raise PackageRefused(Reason.DUPLICATE_MEMBER, name=name)
    seen.add(name.casefold())
    # The file type in the Unix mode bits: none (zip tools on Windows, Python's own
    # `writestr`, which writes 0o600 alone) or a regular file; never a link, device or folder.
    kind = stat.S_IFMT(info.external_attr >> 16)
    if info.is_dir() or kind not in (0, stat.S_IFREG):
        raise PackageRefused(Reason.UNSAFE_NAME, name=name)
    # Encrypted members, and compression methods other than the two packages use (bzip2
    # and lzma decompressors fail in their own ways), are not a package's.
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise PackageRefused(Reason.NOT_A_PACKAGE)
    if info.file_size > MAX_MEMBER:
        raise PackageRefused(Reason.TOO_LARGE, name=name)
    if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1024 * 1024:
        raise PackageRefused(Reason.BOMB, name=name)


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The member's bytes, never more than `limit`; a forged size fails the CRC check."""
    with archive.open(info) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise PackageRefused(Reason.TOO_LARGE, name=info.filename)
    return data


def open_package(data: bytes, pinned: Callable[[str], PinnedKey | None]) -> OpenedPackage:
    """Verify and open package bytes; PackageRefused says why not. `pinned(key_id)` gives
    the registered key for a key id, or None when the key is unknown."""
    if len(data) > MAX_PACKAGE:
        raise PackageRefused(Reason.TOO_LARGE, name="")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _open(archive, pinned)
    except PackageRefused:
        raise
    # What zipfile raises on damaged structures besides BadZipFile: a central directory
    # offset bent to before the start ("negative seek value", ValueError), a name not
    # valid in its declared encoding (UnicodeDecodeError), a truncated stream.
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
        ValueError,
        OSError,
        OverflowError,
        struct.error,
    ):
        raise PackageRefused(Reason.NOT_A_PACKAGE) from None


def _open(archive: zipfile.ZipFile, pinned: Callable[[str], PinnedKey | None]) -> OpenedPackage:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise PackageRefused(Reason.EXTRA_MEMBER, name=str(len(infos)))
    seen: set[str] = set()
    for info in infos:
        _check_member(info, seen)
    by_name = {info.filename: info for info in infos}
    if MANIFEST not in by_name or SIGNATURE not in by_name:
        raise PackageRefused(Reason.NOT_A_PACKAGE)
    match = _SIGNATURE_LINE.match(_read(archive, by_name[SIGNATURE], MAX_SIGNATURE))
    if match is None:
        raise PackageRefused(Reason.BAD_SIGNATURE)
    key_id = match.group(1).decode("ascii")
    key = pinned(key_id)
    if key is None:
        raise PackageRefused(Reason.UNKNOWN_KEY, name=key_id)
    if key.revoked:
        raise PackageRefused(Reason.REVOKED_KEY, name=key_id)
    if key.retired:
        raise PackageRefused(Reason.RETIRED_KEY, name=key_id)
    manifest_bytes = _read(archive, by_name[MANIFEST], MAX_MANIFEST)
    raw_signature = base64.b64decode(match.group(2))
    if not keys.verify(key.public, raw_signature, manifest_bytes):
        raise PackageRefused(Reason.BAD_SIGNATURE)
    try:
        manifest = Manifest.model_validate(
            parse_strict(manifest_bytes, where=MANIFEST, max_bytes=MAX_MANIFEST)
        )
    except ValidationError as error:  # parse_strict's refusals (NaN, duplicates, depth …)
        raise PackageRefused(Reason.BAD_MANIFEST, name=error.message[:200]) from None
    except (SchemaError, ValueError) as error:
        raise PackageRefused(Reason.BAD_MANIFEST, name=str(error)[:200]) from None
    if manifest.sender.office != key.office or manifest.sender.key_id != key_id:
        raise PackageRefused(Reason.SENDER_MISMATCH, name=manifest.sender.office)
    declared = {entry.name: entry for entry in manifest.files}
    present = set(by_name) - {MANIFEST, SIGNATURE}
    if present - set(declared):
        raise PackageRefused(Reason.EXTRA_MEMBER, name=sorted(present - set(declared))[0])
    if set(declared) - present:
        raise PackageRefused(Reason.MISSING_MEMBER, name=sorted(set(declared) - present)[0])
    members: dict[str, bytes] = {}
    for name, entry in declared.items():
        if entry.size > MAX_MEMBER:
            raise PackageRefused(Reason.TOO_LARGE, name=name)
        # One byte more than listed is read, so that a longer member is a mismatch too.
        with archive.open(by_name[name]) as stream:
            content = stream.read(entry.size + 1)
        if len(content) != entry.size or sha256(content) != entry.sha256:
            raise PackageRefused(Reason.HASH_MISMATCH, name=name)
        members[name] = content
    return OpenedPackage(manifest, sha256(manifest_bytes), members)


def read_file(path: Path) -> bytes:
    """A package file's bytes, refusing one larger than MAX_PACKAGE before reading it."""
    with path.open("rb") as stream:
        data = read_capped(stream, MAX_PACKAGE)
    if len(data) > MAX_PACKAGE:
        raise PackageRefused(Reason.TOO_LARGE, name=path.name)
    return data
