"""Order and idempotence: replays, tampering, gaps, forks, clocks, quarantine and retry."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from exchange_kit import (
    Trio,
    adjust,
    adjustment_data,
    chain,
    forge,
    inbox_row,
    issue_quota,
    manifest_of,
    outbox_statuses,
    quota_chain,
    quota_documents,
    sha_of_manifest,
    state,
    township_data,
)
from exchange_offices import COUNTY, TOWNSHIP, Office
from helpers import FakeClock
from sqlalchemy import delete, func, select

from mibdesk.core.db.exchange_models import InboxEntry, InboxFile
from mibdesk.core.exchange import package
from mibdesk.core.exchange.refusals import Reason
from mibdesk.core.services import quotas
from mibdesk.core.services.changes import Changes
from mibdesk.core.services.exchange import acks, importer
from mibdesk.core.services.exchange.arrival import Arrival
from mibdesk.core.services.exchange.importer import Verdict, import_bytes
from mibdesk.core.services.exchange.quarantine import received, retry_package, set_aside
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.profiles import office_profile


def feed(office: Office, data: bytes, name: str = "x.mibpkg") -> Verdict:
    return import_bytes(office.store, data, name)[0]


def amounts(office: Office) -> list[int]:
    return [amount for _kind, amount, _doc in quota_documents(office.store)]


def rezip(data: bytes) -> bytes:
    """The same members, stored uncompressed: other file bytes, the same package."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as copy:
        for info in archive.infolist():
            copy.writestr(info.filename, archive.read(info))
    assert buffer.getvalue() != data
    return buffer.getvalue()


def test_the_same_file_twice_is_a_no_op(trio: Trio) -> None:
    first, second = quota_chain(trio.city, 1)
    assert feed(trio.county, first).status == "applied"
    assert feed(trio.county, second).status == "applied"
    before = state(trio.county.store)
    assert feed(trio.county, first, "renamed copy.mibpkg").status == "duplicate"
    assert feed(trio.county, second).status == "duplicate"
    assert state(trio.county.store) == before


def test_an_old_package_replayed_in_other_bytes_is_a_no_op(trio: Trio) -> None:
    first, second = quota_chain(trio.city, 1)
    feed(trio.county, first)
    feed(trio.county, second)
    before = state(trio.county.store)
    assert feed(trio.county, rezip(first)).status == "duplicate"
    assert state(trio.county.store) == before


def test_the_same_id_with_other_content_is_a_tamper_alert(trio: Trio) -> None:
    issue_quota(trio.city)
    sync(trio.county.store)
    sync(trio.city.store)
    assert outbox_statuses(trio.city) == {1: "acknowledged"}
    original = inbox_row(
        trio.county.store, next(trio.drop.glob("mibdesk_330600_to_*")).read_bytes()
    )
    other = forge(
        trio.city, COUNTY, 1, "", "quota", adjustment_data(5), package_id=original.package_id
    )
    verdict = feed(trio.county, other)
    assert verdict.status == "quarantined"
    assert inbox_row(trio.county.store, other).reason_code == Reason.TAMPERED
    assert amounts(trio.county) == [10_000_000_00]
    sync(trio.county.store)
    sync(trio.city.store)
    assert outbox_statuses(trio.city) == {1: "acknowledged"}  # not "refused" by the copy


def test_a_gap_holds_later_packages_until_the_missing_one_arrives(trio: Trio) -> None:
    quota, first, second, third = quota_chain(trio.city, 3)
    assert feed(trio.county, quota).status == "applied"
    assert feed(trio.county, third).status == "held"
    assert feed(trio.county, second).status == "held"
    assert amounts(trio.county) == [10_000_000_00]
    verdict = feed(trio.county, first)
    assert verdict.status == "applied"
    assert amounts(trio.county) == [10_000_000_00, 1, 2, 3]
    assert {inbox_row(trio.county.store, p).status for p in (second, third)} == {"applied"}


def test_a_second_package_under_a_number_already_applied_is_a_fork(trio: Trio) -> None:
    quota, first = quota_chain(trio.city, 1)
    feed(trio.county, quota)
    feed(trio.county, first)
    rival = forge(
        trio.city, COUNTY, 2, sha_of_manifest(trio.county, quota), "quota", adjustment_data(7)
    )
    assert feed(trio.county, rival).status == "quarantined"
    assert inbox_row(trio.county.store, rival).reason_code == Reason.FORK
    assert amounts(trio.county) == [10_000_000_00, 1]


def test_a_package_that_does_not_follow_the_last_applied_one_is_a_fork(trio: Trio) -> None:
    """The right number, but another history: its `previous` is not what was applied."""
    quota, _first = quota_chain(trio.city, 1)
    feed(trio.county, quota)
    stranger = forge(trio.city, COUNTY, 2, "f" * 64, "quota", adjustment_data(7))
    assert feed(trio.county, stranger).status == "quarantined"
    assert inbox_row(trio.county.store, stranger).reason_code == Reason.FORK
    assert amounts(trio.county) == [10_000_000_00]


def test_two_held_packages_under_one_number_are_a_fork(trio: Trio) -> None:
    quota, first, second = quota_chain(trio.city, 2)
    rival = forge(
        trio.city, COUNTY, 3, sha_of_manifest(trio.county, first), "quota", adjustment_data(9)
    )
    feed(trio.county, quota)
    assert feed(trio.county, second).status == "held"
    assert feed(trio.county, rival).status == "quarantined"
    assert inbox_row(trio.county.store, rival).reason_code == Reason.FORK
    feed(trio.county, first)
    assert amounts(trio.county) == [10_000_000_00, 1, 2]


def test_a_set_aside_fork_does_not_move_the_stream(trio: Trio) -> None:
    quota, first = quota_chain(trio.city, 1)
    feed(trio.county, quota)
    rival = forge(trio.city, COUNTY, 1, "", "quota", adjustment_data(3))
    feed(trio.county, rival)
    row = inbox_row(trio.county.store, rival)
    set_aside(trio.county.store, trio.county.head, row.id, "与市局核对，系重复发送")
    assert feed(trio.county, first).status == "applied"
    assert amounts(trio.county) == [10_000_000_00, 1]


def test_the_senders_clock_does_not_decide_the_order(trio: Trio) -> None:
    """The city's clock runs two years ahead for its first package, then is put right."""
    clock = trio.city.store.clock
    assert isinstance(clock, FakeClock)
    issue_quota(trio.city)
    clock.advance(days=731)
    adjust(trio.city, 1)
    clock.advance(days=-731)
    adjust(trio.city, 2)
    files = sorted(trio.drop.glob("mibdesk_330600_to_330699_*.mibpkg"))
    stamps = [manifest_of(trio.county, f.read_bytes()).created_at for f in files]
    assert stamps[1] > stamps[2]
    for found in reversed(files):
        feed(trio.county, found.read_bytes(), found.name)
    assert amounts(trio.county) == [10_000_000_00, 1, 2]


def bad_adjustment(trio: Trio, sequence: int, previous: str) -> bytes:
    data = {**adjustment_data(4), "amount": "四分"}  # a string where fen are due
    return forge(trio.city, COUNTY, sequence, previous, "quota", data)


def test_a_package_with_bad_data_holds_its_stream_until_set_aside(trio: Trio) -> None:
    quota, first, second = quota_chain(trio.city, 2)
    bad = bad_adjustment(trio, 2, sha_of_manifest(trio.county, quota))
    feed(trio.county, quota)
    verdict = feed(trio.county, bad)
    assert verdict.status == "quarantined"
    assert "amount" in verdict.reason
    assert inbox_row(trio.county.store, bad).reason_code == Reason.BAD_DATA
    third = forge(
        trio.city, COUNTY, 3, sha_of_manifest(trio.county, bad), "quota", adjustment_data(3)
    )
    assert feed(trio.county, third).status == "held"
    row = inbox_row(trio.county.store, bad)
    outcome = set_aside(trio.county.store, trio.county.head, row.id, "市局来函作废")
    assert outcome.value.status == "set_aside"
    assert inbox_row(trio.county.store, third).status == "applied"
    assert amounts(trio.county) == [10_000_000_00, 3]
    del first, second


def test_a_package_refused_by_the_rules_is_applied_when_retried_after_the_fix(
    trio: Trio,
) -> None:
    """An adjustment arrives before the county has the year's quota (it came on paper): it
    is refused and acknowledged as such; the county records the quota by hand, retries, and
    the sender's outbox turns to acknowledged."""
    adjust(trio.city, 1)
    verdict = sync(trio.county.store).value.verdicts[0]
    assert verdict.status == "quarantined"
    sync(trio.city.store)
    assert outbox_statuses(trio.city) == {1: "refused"}
    quotas.record_quota(
        trio.county.store, trio.county.head, office_profile(trio.county.store), "EMP", 2027,
        10_000_000_00, "绍医保〔2027〕1号", date(2027, 1, 5),
    )  # fmt: skip
    row = next(r for r in received(trio.county.store) if r.status == "quarantined")
    assert retry_package(trio.county.store, trio.county.head, row.id).value.status == "applied"
    sync(trio.county.store)
    sync(trio.city.store)
    assert outbox_statuses(trio.city) == {1: "acknowledged"}
    assert amounts(trio.county) == [10_000_000_00, 1]


def test_acknowledgements_are_not_acknowledged(trio: Trio) -> None:
    issue_quota(trio.city)
    for _round in range(3):
        sync(trio.county.store)
        sync(trio.city.store)
    names = sorted(p.name for p in trio.drop.glob("*.mibpkg"))
    assert len(names) == 2, names  # the quota and one ack
    assert outbox_statuses(trio.city) == {1: "acknowledged"}


def test_held_packages_of_every_stream_go_ahead_in_one_pass(
    trio: Trio, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a crash between an apply and the search for held packages, two streams each
    have one due; the first one due is refused: the other still goes ahead."""
    quota, first = quota_chain(trio.city, 1)
    bad = bad_adjustment(trio, 3, sha_of_manifest(trio.county, first))
    figures = chain(
        trio.township, COUNTY, "township_figures", [township_data(n) for n in (1, 2, 3)]
    )
    for data in (quota, figures[0], bad, figures[2]):
        feed(trio.county, data)
    with monkeypatch.context() as crash:
        crash.setattr(importer, "apply_held", lambda *args: Changes())
        feed(trio.county, first)
        feed(trio.county, figures[1])
    importer.apply_held(trio.county.store)
    assert inbox_row(trio.county.store, figures[2]).status == "applied"
    assert inbox_row(trio.county.store, bad).status == "quarantined"


def test_a_handler_failing_half_way_changes_nothing_and_the_rest_goes_on(
    trio: Trio, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in a handler, after it wrote its rows: all of it is rolled back, the package is
    quarantined (not left to stop every later sync), other senders' packages are applied."""
    real = importer.KINDS["quota"]

    def half_then_fail(arrival: Arrival, data: Any) -> Changes:
        real.apply(arrival, data)
        raise KeyError("a bug")

    monkeypatch.setitem(importer.KINDS, "quota", replace(real, apply=half_then_fail))
    issue_quota(trio.city)
    (figure,) = chain(trio.township, COUNTY, "township_figures", [township_data(5)])
    (trio.drop / f"mibdesk_{TOWNSHIP}_to_{COUNTY}_00000001_{'b' * 12}.mibpkg").write_bytes(figure)
    report = sync(trio.county.store).value
    assert [v.status for v in report.verdicts] == ["quarantined", "applied"]
    assert "KeyError" in report.verdicts[0].reason
    assert quota_documents(trio.county.store) == []
    assert report.acks == 2 and report.problem == ""
    monkeypatch.setitem(importer.KINDS, "quota", real)
    row = next(r for r in received(trio.county.store) if r.status == "quarantined")
    assert retry_package(trio.county.store, trio.county.head, row.id).value.status == "applied"
    assert amounts(trio.county) == [10_000_000_00]


def forget_kept_bytes(office: Office, data: bytes) -> None:
    """As an earlier version left it: the inbox row without the file's bytes beside it."""
    row_id = inbox_row(office.store, data).id
    with office.store.write() as session:
        session.execute(delete(InboxFile).where(InboxFile.entry_id == row_id))


def test_every_file_received_is_kept_with_its_inbox_row(trio: Trio) -> None:
    quota, first, second = quota_chain(trio.city, 2)
    broken = first[:-40]  # not a package: quarantined
    for data in (quota, second, broken):
        feed(trio.county, data)
    with trio.county.store.read() as session:
        kept = {
            row.package_sha256: bytes(data)
            for row, data in session.execute(
                select(InboxEntry, InboxFile.data).join(
                    InboxFile, InboxFile.entry_id == InboxEntry.id
                )
            )
        }
    assert kept == {package.sha256(data): data for data in (quota, second, broken)}
    assert [inbox_row(trio.county.store, d).status for d in (quota, second, broken)] == [
        "applied",
        "held",
        "quarantined",
    ]


def test_a_held_package_an_earlier_version_kept_in_a_file_is_read_from_there(
    trio: Trio,
) -> None:
    quota, first, second = quota_chain(trio.city, 2)
    feed(trio.county, quota)
    feed(trio.county, second, "not-in-the-drop.mibpkg")
    forget_kept_bytes(trio.county, second)
    inbox = trio.county.store.paths.root / "exchange" / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / f"{package.sha256(second)}.mibpkg").write_bytes(second)
    feed(trio.county, first)
    assert amounts(trio.county) == [10_000_000_00, 1, 2]
    assert inbox_row(trio.county.store, second).status == "applied"


def test_a_held_package_without_kept_bytes_is_read_again_from_the_drop(trio: Trio) -> None:
    issue_quota(trio.city)
    adjust(trio.city, 1)
    adjust(trio.city, 2)
    first, second, third = sorted(trio.drop.glob("mibdesk_330600_to_*.mibpkg"))
    for path in (first, third):
        feed(trio.county, path.read_bytes(), path.name)
    forget_kept_bytes(trio.county, third.read_bytes())
    feed(trio.county, second.read_bytes(), second.name)
    assert amounts(trio.county) == [10_000_000_00, 1, 2]
    with trio.county.store.read() as session:  # and kept now
        assert session.scalar(select(func.count()).select_from(InboxFile)) == 3


def test_a_held_package_lost_everywhere_is_quarantined_with_the_reason(trio: Trio) -> None:
    quota, first, second = quota_chain(trio.city, 2)
    feed(trio.county, quota)
    feed(trio.county, second, "gone.mibpkg")
    forget_kept_bytes(trio.county, second)
    feed(trio.county, first)
    row = inbox_row(trio.county.store, second)
    assert (row.status, row.reason_code) == ("quarantined", Reason.FILE_LOST)
    assert "gone.mibpkg" in row.reason
    assert amounts(trio.county) == [10_000_000_00, 1]


def test_many_acknowledgements_are_split_into_packages_the_sender_takes(
    trio: Trio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(acks, "ACKS_PER_PACKAGE", 2)
    issue_quota(trio.city)
    for number in (1, 2, 3, 4):
        adjust(trio.city, number)
    assert sync(trio.county.store).value.acks == 3
    assert sync(trio.city.store).value.count("applied") == 3
    assert set(outbox_statuses(trio.city).values()) == {"acknowledged"}
