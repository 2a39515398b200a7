"""The one way to run core work off the GUI thread (Anki's `taskman` pattern).

A `TaskRunner` owns one worker thread: tasks run there one at a time, in the order given, so
the database is only ever touched from that thread. The task function gets a `Progress` to
report through and to notice a cancel; its result or error comes back on the GUI thread.

    runner.run(lambda progress: service.import_file(path, progress), on_done=self._imported,
               label=_("Import workbook"))
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.ui.crash import report_crash

log = logging.getLogger(__name__)

T = TypeVar("T")

REPORT_INTERVAL = 0.1
"""Seconds between two progress signals of one task (the last step is always reported)."""


def _receiver_alive(outcome: Callable[[], None]) -> bool:
    """False when the callback is a method of a widget that was closed and deleted meanwhile
    (a screen closed while its data was loading): the result then has nowhere to go."""
    callback = outcome.func if isinstance(outcome, functools.partial) else outcome
    receiver = getattr(callback, "__self__", None)
    return not isinstance(receiver, QObject) or shiboken6.isValid(receiver)


class Cancelled(Exception):
    """Raised inside a task by `Progress` once the task was cancelled."""


class Progress:
    """A task's line to the GUI, given to the task function; also the caller's handle.

    The task calls `report` (which raises `Cancelled` after a cancel) or checks `cancelled`
    / `check_cancelled` between steps; the GUI calls `cancel`. Thread-safe.
    """

    def __init__(self, label: str, emit: Callable[[str, int, int, str], None]) -> None:
        self.label = label
        self._emit = emit
        self._cancel = threading.Event()
        self._last_report = 0.0

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the task to stop: it raises `Cancelled` at its next check (or never starts)."""
        self._cancel.set()

    def check_cancelled(self) -> None:
        """Raise `Cancelled` if the task was cancelled."""
        if self._cancel.is_set():
            raise Cancelled(self.label)

    def report(self, done: int, total: int, text: str = "") -> None:
        """Say that `done` of `total` steps are done (total 0: unknown); raises `Cancelled`."""
        self.check_cancelled()
        now = time.monotonic()
        if 0 < total <= done or now - self._last_report >= REPORT_INTERVAL:
            self._last_report = now
            self._emit(self.label, done, total, text)


class TaskRunner(QObject):
    """Runs tasks on one worker thread, in order; calls back on the GUI thread.

    Create it on the GUI thread. `busy(True)` is emitted when work starts after idleness and
    `busy(False)` once every task's callback has run; `progressed(label, done, total, text)`
    when a task starts (0, 0) and as it reports.
    """

    busy = Signal(bool)
    progressed = Signal(str, int, int, str)
    _deliver = Signal(object)  # (Progress, outcome callable), emitted on the worker thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mibdesk-worker")
        self._tasks: list[Progress] = []
        self._closed = False
        self._deliver.connect(self._on_deliver)

    @property
    def pending(self) -> int:
        """Tasks queued or running, or whose callback has not run yet."""
        return len(self._tasks)

    def run(
        self,
        fn: Callable[[Progress], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
        label: str = "",
        *,
        on_cancelled: Callable[[], None] | None = None,
    ) -> Progress:
        """Queue `fn(progress)` on the worker thread; return its `Progress` (to cancel it).

        Then, on the GUI thread: `on_done(result)`; or `on_error(error)` if `fn` raised,
        `show_error` when no `on_error` is given; or `on_cancelled()` if it was cancelled.
        An exception raised by a callback goes to `show_error`.
        """
        if self._closed:
            raise RuntimeError("TaskRunner.run after shutdown")
        progress = Progress(label, self.progressed.emit)
        self._tasks.append(progress)
        if len(self._tasks) == 1:
            self.busy.emit(True)
        self._executor.submit(self._work, fn, progress, on_done, on_error, on_cancelled)
        return progress

    def cancel_all(self) -> None:
        """Cancel the running task and every queued one."""
        for progress in self._tasks:
            progress.cancel()

    def wait_idle(self, timeout_ms: int = 5000) -> bool:
        """Process GUI events until every task and callback is done; False on timeout."""
        if not self._tasks:
            return True
        loop = QEventLoop()
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        self.busy.connect(loop.quit)
        timer.start(timeout_ms)
        try:
            loop.exec()
        finally:
            self.busy.disconnect(loop.quit)
        return not self._tasks

    def shutdown(self) -> None:
        """Finish the queued work, run its callbacks, stop the worker thread (at exit)."""
        self._closed = True
        self._executor.shutdown(wait=True)
        QApplication.sendPostedEvents(self)

    def show_error(self, error: BaseException, label: str = "") -> None:
        """The default handling: a `UserError` in a warning box; anything else is a bug: a
        crash report (with the traceback) and the crash dialog (ui/crash.py)."""
        if isinstance(error, UserError):
            log.info("%s: %s", label or "task", error)
            QMessageBox.warning(
                QApplication.activeWindow(), _("Cannot complete the action"), str(error)
            )
            return
        report_crash(error, label or _("a background task"))

    def _work(
        self,
        fn: Callable[[Progress], T],
        progress: Progress,
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None,
        on_cancelled: Callable[[], None] | None,
    ) -> None:
        """On the worker thread: run `fn` and send the matching callback to the GUI thread."""
        outcome: Callable[[], None] | None
        try:
            progress.check_cancelled()
            self.progressed.emit(progress.label, 0, 0, "")
            result = fn(progress)
        except Cancelled:
            outcome = on_cancelled
        except BaseException as error:  # everything reaches the user, even SystemExit
            if on_error is None:
                outcome = functools.partial(self.show_error, error, progress.label)
            else:
                outcome = functools.partial(on_error, error)
        else:
            outcome = functools.partial(on_done, result)
        self._deliver.emit((progress, outcome))

    @Slot(object)
    def _on_deliver(self, item: tuple[Progress, Callable[[], None] | None]) -> None:
        progress, outcome = item
        try:
            if outcome is not None and _receiver_alive(outcome):
                outcome()
        except Exception as error:
            self.show_error(error, progress.label)
        finally:
            self._tasks.remove(progress)
            if not self._tasks:
                self.busy.emit(False)
