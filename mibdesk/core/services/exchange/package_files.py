"""The office's own copies of package files in its data folder: the outbox (what it sent),
and the inbox folder where an earlier version kept what it received (by SHA-256; the
database keeps them now)."""

from __future__ import annotations

import errno
from collections.abc import Iterable
from pathlib import Path

from mibdesk.core.errors import StoreError
from mibdesk.core.exchange.package import read_file, sha256
from mibdesk.core.exchange.refusals import PackageRefused
from mibdesk.core.i18n import _
from mibdesk.core.repos import import_ledger
from mibdesk.core.services.exchange.context import drop_folder, inbox_dir
from mibdesk.core.services.store import Store
from mibdesk.core.signing._files import write_atomically


class DataFolderError(StoreError):
    """A package could not be kept in the office's own data folder (disk full, no access);
    nothing was recorded."""


def keep_copy(path: Path, data: bytes) -> None:
    """Write a package file atomically and durably (never half of it under its name)."""
    try:
        write_atomically(path, lambda temp: temp.write_bytes(data))
    except OSError as error:
        raise _folder_error(error, path.parent) from error


def received_file(store: Store, entry_id: int, digest: str, file_name: str) -> bytes | None:
    """The bytes of a received file (inbox row `entry_id`): kept with the row, or, for a
    file an earlier version kept in the inbox folder (or one over the size cap), from that
    folder, then from the drop. None when none of them has these bytes."""
    with store.read() as session:
        data = import_ledger.file_of(session, entry_id)
    if data is not None:
        return data
    folder = drop_folder(store)
    places = (inbox_dir(store) / f"{digest}.mibpkg", folder / file_name if folder else None)
    return read_copy(places, digest)


def read_copy(places: Iterable[Path | None], digest: str) -> bytes | None:
    """The bytes whose SHA-256 is `digest`, from the first of `places` that has them (a
    missing, unreadable or changed file is passed over); None when none has them."""
    for place in places:
        if place is None:
            continue
        try:
            data = read_file(place)
        except (OSError, PackageRefused):
            continue
        if sha256(data) == digest:
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
