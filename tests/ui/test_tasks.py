"""TaskRunner: work in order on one worker thread, callbacks on the GUI thread, errors routed."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from mibdesk.core.errors import UserError
from mibdesk.ui import crash
from mibdesk.ui.tasks import Progress, TaskRunner


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.cancel_all()
    tasks.shutdown()


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes shown, as (kind, text), instead of blocking the test."""
    shown: list[tuple[str, str]] = []

    def box(kind: str) -> object:
        def show(parent: QWidget | None, title: str, text: str) -> QMessageBox.StandardButton:
            assert title
            shown.append((kind, text))
            return QMessageBox.StandardButton.Ok

        return staticmethod(show)

    monkeypatch.setattr(QMessageBox, "warning", box("warning"))
    monkeypatch.setattr(QMessageBox, "critical", box("critical"))
    return shown


def test_tasks_run_in_order_on_one_worker_thread(runner: TaskRunner) -> None:
    ran: list[tuple[int, int]] = []
    done: list[tuple[int, int]] = []

    def work(n: int, progress: Progress) -> int:
        ran.append((n, threading.get_ident()))
        time.sleep(0.005)
        return n * 10

    for n in range(5):
        runner.run(partial(work, n), lambda result: done.append((result, threading.get_ident())))
    assert runner.pending == 5
    assert runner.wait_idle(5000)
    assert [n for n, _thread in ran] == [0, 1, 2, 3, 4]
    workers = {thread for _n, thread in ran}
    assert len(workers) == 1 and threading.get_ident() not in workers
    assert done == [(n * 10, threading.get_ident()) for n in range(5)]
    assert runner.pending == 0


def test_busy_and_progress_signals(runner: TaskRunner) -> None:
    busy: list[bool] = []
    steps: list[tuple[str, int, int, str]] = []
    runner.busy.connect(busy.append)
    runner.progressed.connect(lambda *args: steps.append(args))

    def work(progress: Progress) -> None:
        for done in range(1, 4):
            progress.report(done, 3, f"line {done}")

    runner.run(work, lambda result: None, label="Import")
    runner.run(lambda progress: None, lambda result: None, label="Export")
    assert runner.wait_idle(5000)
    assert busy == [True, False]
    assert steps[0] == ("Import", 0, 0, "")
    assert ("Import", 3, 3, "line 3") in steps  # the last step is never throttled away
    assert steps[-1] == ("Export", 0, 0, "")


def test_user_error_shows_its_message(runner: TaskRunner, boxes: list[tuple[str, str]]) -> None:
    def fail(progress: Progress) -> None:
        raise UserError("第3行金额不是数字", where="门诊")

    done: list[object] = []
    runner.run(fail, done.append)
    assert runner.wait_idle(5000)
    assert done == []
    assert boxes == [("warning", "门诊：第3行金额不是数字")]


def test_unexpected_error_gets_a_crash_report_and_the_crash_dialog(
    runner: TaskRunner,
    boxes: list[tuple[str, str]],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(crash, "_logs", tmp_path)

    def crash_in_task(progress: Progress) -> None:
        raise ZeroDivisionError("boom")

    with caplog.at_level(logging.ERROR, logger="mibdesk.core.logs"):
        runner.run(crash_in_task, lambda result: None, label="Settle")
        assert runner.wait_idle(5000)
    [record] = caplog.records
    assert record.exc_info is not None and record.exc_info[0] is ZeroDivisionError
    [report] = tmp_path.glob("crash-*.txt")
    text = report.read_text(encoding="utf-8")
    assert "where: Settle" in text and "crash_in_task" in text  # the traceback is in it
    dialog = crash._dialog
    assert dialog is not None and dialog.isVisible() and dialog.report == report
    dialog.close()
    assert boxes == []


def test_on_error_receives_the_error_instead(
    runner: TaskRunner, boxes: list[tuple[str, str]]
) -> None:
    errors: list[tuple[BaseException, int]] = []

    def fail(progress: Progress) -> None:
        raise UserError("no")

    runner.run(fail, lambda result: None, lambda e: errors.append((e, threading.get_ident())))
    assert runner.wait_idle(5000)
    [(error, thread)] = errors
    assert isinstance(error, UserError) and thread == threading.get_ident()
    assert boxes == []


def test_an_error_in_a_callback_goes_to_the_default_handler(
    runner: TaskRunner, boxes: list[tuple[str, str]]
) -> None:
    def on_done(result: int) -> None:
        raise UserError(f"bad {result}")

    runner.run(lambda progress: 7, on_done)
    assert runner.wait_idle(5000)
    assert boxes == [("warning", "bad 7")]
    assert runner.pending == 0


def test_cancel_stops_the_running_task_and_the_queued_ones(runner: TaskRunner) -> None:
    started = threading.Event()
    outcomes: list[str] = []
    queued_ran: list[bool] = []

    def long_work(progress: Progress) -> None:
        started.set()
        for step in range(1000):
            progress.report(step, 1000)
            time.sleep(0.005)
        outcomes.append("finished")

    running = runner.run(long_work, lambda r: outcomes.append("done"), label="Long")
    runner.run(
        lambda progress: queued_ran.append(True),
        lambda r: outcomes.append("done 2"),
        on_cancelled=lambda: outcomes.append("cancelled 2"),
    )
    third = runner.run(lambda progress: "third", outcomes.append)
    assert started.wait(5)
    runner.cancel_all()
    runner.run(lambda progress: "after", outcomes.append)  # a new task is not cancelled
    assert runner.wait_idle(5000)
    assert running.cancelled and third.cancelled
    assert outcomes == ["cancelled 2", "after"]
    assert queued_ran == []


def test_check_cancelled_raises_only_after_cancel(runner: TaskRunner) -> None:
    release = threading.Event()
    checks: list[bool] = []

    def work(progress: Progress) -> str:
        progress.check_cancelled()
        checks.append(progress.cancelled)
        release.wait(5)
        checks.append(progress.cancelled)
        progress.check_cancelled()
        return "not reached"

    cancelled: list[bool] = []
    handle = runner.run(work, lambda r: None, on_cancelled=lambda: cancelled.append(True))
    time.sleep(0.05)
    handle.cancel()
    release.set()
    assert runner.wait_idle(5000)
    assert checks == [False, True]
    assert cancelled == [True]


def test_wait_idle_times_out(runner: TaskRunner) -> None:
    release = threading.Event()
    runner.run(lambda progress: release.wait(5), lambda result: None)
    assert not runner.wait_idle(50)
    release.set()
    assert runner.wait_idle(5000)


def test_shutdown_finishes_queued_work_and_its_callbacks(qtbot: QtBot) -> None:
    runner = TaskRunner()
    done: list[int] = []

    def work(n: int, progress: Progress) -> int:
        time.sleep(0.01)
        return n

    for n in range(3):
        runner.run(partial(work, n), done.append)
    runner.shutdown()
    assert done == [0, 1, 2]
    assert runner.pending == 0
    with pytest.raises(RuntimeError):
        runner.run(lambda progress: None, lambda result: None)
    runner.shutdown()  # twice is harmless
