"""The office's own copies of package files: the outbox (what it sent) and the inbox (what
it received, by SHA-256), in its data folder."""

from __future__ import annotations

import contextlib
import errno
import os
import uuid
from pathlib import Path

from mibdesk.core.errors import StoreError
from mibdesk.core.exchange.package import read_file, sha256
from mibdesk.core.exchange.refusals import PackageRefused
from mibdesk.core.i18n import _
from mibdesk.core.signing._files import write_atomically


class DataFolderError(StoreError):
    """A package could not be kept in the office's own data folder (disk full, no access);
    nothing was recorded."""


def keep_copy(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write a package file atomically (never half of it under its name). `durable` waits
    until it is on the disk; without, a power cut may lose the copy (not the package: the
    drop keeps it, and `read_copy` falls back to it)."""
    try:
        if durable:
            write_atomically(path, lambda temp: temp.write_bytes(data))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
            try:
                temp.write_bytes(data)
                os.replace(temp, path)
            finally:
                with contextlib.suppress(OSError):
                    temp.unlink()
    except OSError as error:
        raise _folder_error(error, path.parent) from error


def make_durable(path: Path) -> None:
    """Flush a copy written with `durable=False` to the disk, with its folder entry."""
    with contextlib.suppress(OSError):
        with path.open("rb+") as stream:
            os.fsync(stream.fileno())
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_copy(path: Path, digest: str, fallback: Path | None) -> bytes | None:
    """The bytes of a kept copy whose SHA-256 is `digest`; if the copy is gone or damaged,
    from `fallback` (the file in the drop), kept again. None when neither has them."""
    for source in (path, fallback):
        if source is None:
            continue
        try:
            data = read_file(source)
        except (OSError, PackageRefused):
            continue
        if sha256(data) == digest:
            if source != path:
                keep_copy(path, data)
            return data
    return None


def _folder_error(error: OSError, folder: Path) -> DataFolderError:
    cause = (
        _("the disk is full")
        if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
        else str(error)
    )
    return DataFolderError(
        _("A package could not be saved in {path} ({cause}); nothing was recorded.").format(
            path=folder, cause=cause
        )
    )
