"""The drop folder: publish a file atomically, list what is new, copy a file in safely.

The drop may be a network share, a synced folder or a USB stick, shared by many offices:
- publishing writes a temporary name, flushes it to disk, re-reads and checks the hash, then
  links it to its final, unique name; an existing file is never overwritten or deleted;
- scanning lists only names that follow the package pattern, so temporary files, partial
  copies and sync-tool conflict copies ("… (1).mibpkg", "…-conflict-…") are ignored;
- a file another program holds locked is retried a few times, then reported.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _

PACKAGE_NAME = re.compile(
    r"^mibdesk_(\d{6}|\d{9})_to_(\d{6}|\d{9})_(\d{8})_([0-9a-f]{12})\.mibpkg$"
)
KEY_CARD_NAME = re.compile(r"^mibdesk_(\d{6}|\d{9})_key_([0-9a-f]{16})(_[0-9a-f]{8})?\.mibkey$")
RETRIES = 5
RETRY_PAUSE = 0.2  # seconds, doubled after each attempt
STALE_AFTER = 3600.0  # seconds: a temporary file this old is no publish still under way
T = TypeVar("T")


class DropUnavailable(UserError):
    """The drop folder cannot be used right now; nothing was lost (outgoing files wait)."""


@dataclass(frozen=True)
class DropFile:
    path: Path
    size: int

    @property
    def name(self) -> str:
        return self.path.name


def package_name(sender: str, recipient: str, sequence: int, package_id: str) -> str:
    return f"mibdesk_{sender}_to_{recipient}_{sequence:08d}_{package_id[:12]}.mibpkg"


def key_card_name(office: str, key_id: str, pdf_certificate: str = "") -> str:
    """The card's file name; a card carrying a PDF certificate is named after it too, so that
    a new certificate goes out as a new card instead of overwriting the old one."""
    suffix = (
        f"_{hashlib.sha256(pdf_certificate.encode()).hexdigest()[:8]}" if pdf_certificate else ""
    )
    return f"mibdesk_{office}_key_{key_id}{suffix}.mibkey"


def check_folder(folder: Path | None, *, writable: bool) -> Path:
    """The drop folder if it can be used; DropUnavailable with the reason otherwise."""
    if folder is None or not str(folder).strip():
        raise DropUnavailable(_("No drop folder is set; choose one in Settings."))
    if not folder.is_dir():
        raise DropUnavailable(
            _("The drop folder {path} cannot be reached (not connected or not there).").format(
                path=folder
            )
        )
    if writable and not os.access(folder, os.W_OK):
        raise DropUnavailable(_("The drop folder {path} is read-only.").format(path=folder))
    return folder


def with_retry(action: Callable[[], T], path: Path) -> T:
    """Run `action`, retrying while another program holds `path` locked (bounded)."""
    pause = RETRY_PAUSE
    for attempt in range(RETRIES):
        try:
            return action()
        except PermissionError:
            if attempt == RETRIES - 1:
                break
            time.sleep(pause)
            pause *= 2
    raise DropUnavailable(
        _("{name} is locked by another program; try again when it is closed.").format(
            name=path.name
        )
    )


def _disk_error(error: OSError, folder: Path) -> DropUnavailable:
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DropUnavailable(_("The drop folder {path} is full.").format(path=folder))
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return DropUnavailable(_("The drop folder {path} is read-only.").format(path=folder))
    if error.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.EIO):  # unplugged
        return DropUnavailable(
            _("The drop folder {path} cannot be reached (not connected or not there).").format(
                path=folder
            )
        )
    return DropUnavailable(
        _("Writing to the drop folder {path} failed: {detail}").format(path=folder, detail=error)
    )


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def publish(folder: Path, name: str, data: bytes) -> Path:
    """Put `data` in `folder` under `name`, atomically; returns the final path.

    A file already there with the same bytes counts as published (a retry after a crash);
    one with other bytes is never touched and raises DropUnavailable.
    """
    final = folder / name
    temp = folder / f".{name}.{uuid.uuid4().hex[:8]}.partial"
    digest = hashlib.sha256(data).hexdigest()
    try:
        with temp.open("xb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if hashlib.sha256(temp.read_bytes()).hexdigest() != digest:
            raise DropUnavailable(
                _("The copy in the drop folder does not read back correctly; check the drive.")
            )
        _link(temp, final, digest)
    except OSError as error:
        raise _disk_error(error, folder) from error
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    _fsync_folder(folder)
    return final


def sweep_leftovers(folder: Path, office: str, older_than: float = STALE_AFTER) -> int:
    """Remove this office's own temporary files that a publish killed half-way left behind
    (`.mibdesk_<office>_….partial`, older than `older_than` seconds); returns how many.
    Another office's files are never touched, whatever their name."""
    prefix, cutoff, removed = f".mibdesk_{office}_", time.time() - older_than, 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if not (entry.name.startswith(prefix) and entry.name.endswith(".partial")):
                continue
            with contextlib.suppress(OSError):
                if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed += 1
    return removed


def _link(temp: Path, final: Path, digest: str) -> None:
    try:
        os.link(temp, final)  # fails if `final` exists: nothing is ever overwritten
        return
    except FileExistsError:
        pass
    except OSError:  # no hard links (FAT on a USB stick, some shares): rename if still free
        if not final.exists():
            os.rename(temp, final)
            return
    if hashlib.sha256(final.read_bytes()).hexdigest() != digest:
        raise DropUnavailable(
            _(
                "{name} already exists in the drop folder with other content; it was left alone."
            ).format(name=final.name)
        )


def scan(
    folder: Path, pattern: re.Pattern[str], wanted: Callable[[re.Match[str]], bool]
) -> Iterator[DropFile]:
    """Files in `folder` whose names match `pattern` and `wanted`, in name order."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        raise DropUnavailable(
            _("The drop folder {path} cannot be read: {detail}").format(path=folder, detail=error)
        ) from error
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None or not wanted(match):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                yield DropFile(Path(entry.path), entry.stat(follow_symlinks=False).st_size)


def read_capped(stream: BinaryIO, limit: int) -> bytes:
    """A file's bytes, at most `limit` + 1 of them (one more than allowed tells a file too
    large). Read in the size the file has: `read(limit + 1)` would set aside the whole cap
    (64 MiB for a package) for every file, however small."""
    size = os.fstat(stream.fileno()).st_size
    data = stream.read(min(size, limit) + 1)
    while len(data) <= limit:  # a file that grew while it was read: the rest, up to the cap
        more = stream.read(min(1 << 20, limit + 1 - len(data)))
        if not more:
            break
        data += more
    return data


def read_in(source: DropFile, limit: int) -> bytes:
    """A drop file's bytes, at most `limit` + 1 of them, retrying while it is locked;
    DropUnavailable when it cannot be read (locked too long, gone, the drive unplugged)."""

    def read() -> bytes:
        with source.path.open("rb") as stream:
            return read_capped(stream, limit)

    try:
        return with_retry(read, source.path)
    except DropUnavailable:
        raise
    except OSError as error:
        raise _disk_error(error, source.path.parent) from error
