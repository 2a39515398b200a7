"""One writer per office: an operating-system lock on `<data folder>/mibdesk.lock`.

The GUI takes the lock when it starts and keeps it until it exits; a `Store` takes it at its
first write (or before a migration) and gives it back when closed; a restore holds it while
it swaps the database. Any other process that wants to write meanwhile is refused with
`OfficeInUseError`, which says who holds the office. Reading never takes the lock, so
`mibdesk-cli health` or a PDF of a month works beside an open window.

The lock is the system's own (`flock` on POSIX, `msvcrt.locking` on Windows): it goes away
with the process however that ends, so a crash or a power cut never leaves an office locked.
Inside one process the lock is shared and counted, so the window's hold and its store's are
one lock, taken from any thread.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from mibdesk.core.errors import StoreError
from mibdesk.core.i18n import _
from mibdesk.core.paths import DataPaths


class OfficeInUseError(StoreError):
    """Another process holds the office's writer lock; nothing was changed."""


@dataclass
class _Held:
    fd: int
    holders: int


_held: dict[Path, _Held] = {}
_guard = threading.Lock()


class OfficeLock:
    """One claim on an office's writer lock. `acquire` and `release` may each be repeated;
    the system lock is let go when the last claim in the process is released."""

    def __init__(self, paths: DataPaths) -> None:
        self.path = paths.lock
        self._key = Path(os.path.abspath(self.path))
        self._mine = False

    @property
    def held(self) -> bool:
        return self._mine

    def acquire(self) -> None:
        """Take the lock; `OfficeInUseError` naming the holder when another process has it."""
        with _guard:
            if self._mine:
                return
            held = _held.get(self._key)
            if held is None:
                held = _held[self._key] = _Held(_lock_file(self.path), 0)
            held.holders += 1
            self._mine = True

    def release(self) -> None:
        with _guard:
            if not self._mine:
                return
            self._mine = False
            held = _held[self._key]
            held.holders -= 1
            if held.holders == 0:
                del _held[self._key]
                _unlock_file(held.fd)

    def __enter__(self) -> OfficeLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()


def _lock_file(path: Path) -> int:
    """Open and lock `path` without waiting, then write who holds it after the first byte
    (the byte Windows locks; the rest stays readable to the process that is refused)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _os_lock(fd)
    except OSError:
        holder = _read_holder(fd)
        os.close(fd)
        raise OfficeInUseError(_in_use_message(path.parent, holder)) from None
    since = datetime.now().astimezone().isoformat(timespec="seconds")
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, b"\n" + json.dumps({"pid": os.getpid(), "since": since}).encode("utf-8"))
    return fd


def _os_lock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock_file(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    os.close(fd)  # on POSIX closing the only descriptor releases the flock


def _read_holder(fd: int) -> dict[str, object]:
    try:
        os.lseek(fd, 1, os.SEEK_SET)
        data = json.loads(os.read(fd, 4096).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _in_use_message(folder: Path, holder: dict[str, object]) -> str:
    pid, since = holder.get("pid"), holder.get("since")
    if isinstance(pid, int) and isinstance(since, str):
        who = _("process {pid}, started {time}").format(pid=pid, time=since[:16].replace("T", " "))
    else:
        who = _("another mibdesk window or mibdesk-cli command")
    return _(
        "The office in {path} is already open in mibdesk ({who}). Only one program may work "
        "on an office at a time: switch to the open mibdesk window, or wait for the command "
        "to finish, then try again."
    ).format(path=folder, who=who)
