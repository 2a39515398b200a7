"""Properties of the importer (hypothesis): the order of delivery does not matter, importing
twice is importing once, and a damaged package is refused whole, never applied in part."""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from exchange_kit import (
    QUOTA,
    Template,
    Trio,
    adjustment_data,
    chain,
    forge,
    open_copy,
    pins,
    quota_chain,
    quota_documents,
    state,
    township_data,
    zip_of,
)
from exchange_offices import COUNTY, TOWNSHIP, Office
from helpers import CHINA, FakeClock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mibdesk.core.exchange.package import open_package
from mibdesk.core.exchange.refusals import PackageRefused
from mibdesk.core.services.exchange.importer import import_bytes

SLOW = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def streams(shared_trio: Trio) -> list[bytes]:
    """Two interleaving streams to the county: the city's quota and three adjustments, the
    township's figure sent twice (the second value must win)."""
    city = quota_chain(shared_trio.city, 3)
    township = chain(
        shared_trio.township, COUNTY, "township_figures", [township_data(7), township_data(8)]
    )
    return city + township


class Counties:
    """Fresh copies of the template county, one per example."""

    def __init__(self, template: Template, root: Path) -> None:
        self.template, self.root, self.numbers = template, root, itertools.count()

    def fresh(self) -> Office:
        target = self.root / str(next(self.numbers))
        clock = FakeClock(datetime(2026, 11, 23, 9, 30, tzinfo=CHINA))
        return open_copy(self.template, COUNTY, target, target / "drop", clock)


@pytest.fixture(scope="module")
def counties(trio_template: Template, tmp_path_factory: pytest.TempPathFactory) -> Counties:
    return Counties(trio_template, tmp_path_factory.mktemp("counties"))


def imported(county: Office, packages: list[bytes]) -> dict[str, object]:
    for data in packages:
        import_bytes(county.store, data, "p.mibpkg")
    return state(county.store)


@pytest.fixture(scope="module")
def in_order(counties: Counties, streams: list[bytes]) -> Iterator[dict[str, object]]:
    county = counties.fresh()
    final = imported(county, streams)
    county.store.close()
    assert final["quotas"] == [("quota", QUOTA, "绍医保〔2027〕1号")] + [
        ("adjustment", n, f"绍医保调〔2027〕{n}号") for n in (1, 2, 3)
    ]
    yield final


@settings(SLOW, max_examples=10)
@given(order=st.permutations(range(6)))
def test_any_order_of_delivery_gives_the_same_final_state(
    counties: Counties, streams: list[bytes], in_order: dict[str, object], order: list[int]
) -> None:
    county = counties.fresh()
    try:
        assert imported(county, [streams[i] for i in order]) == in_order
    finally:
        county.store.close()


@settings(SLOW, max_examples=8)
@given(
    first=st.lists(st.integers(0, 5), max_size=8), second=st.lists(st.integers(0, 5), max_size=8)
)
def test_importing_twice_is_importing_once(
    counties: Counties, streams: list[bytes], first: list[int], second: list[int]
) -> None:
    """Any packages, then any of them again: the second round changes nothing."""
    county = counties.fresh()
    try:
        once = imported(county, [streams[i] for i in first])
        assert imported(county, [streams[i] for i in first + second if i in first]) == once
    finally:
        county.store.close()


# --- damaged packages -------------------------------------------------------------------------


def members(data: bytes) -> list[tuple[str, bytes]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return [(info.filename, archive.read(info)) for info in archive.infolist()]


def structure(data: bytes) -> list[int]:
    """Offsets of the zip's fixed header fields (local headers, central directory, end
    record): flips there reach zipfile's parsing, not just the CRC of compressed data."""
    offsets = []
    for signature, length in ((b"PK\x03\x04", 30), (b"PK\x01\x02", 46), (b"PK\x05\x06", 22)):
        start = data.find(signature)
        while start != -1:
            offsets.extend(range(start + 4, min(start + length, len(data))))
            start = data.find(signature, start + 4)
    return offsets


@st.composite
def flipped(draw: st.DrawFn, data: bytes) -> bytes:
    damaged = bytearray(data)
    anywhere = st.integers(0, len(damaged) - 1)
    for _flip in range(draw(st.integers(1, 4))):
        position = draw(st.one_of(st.sampled_from(structure(data)), anywhere))
        damaged[position] ^= draw(st.integers(1, 255))
    return bytes(damaged)


@st.composite
def reshuffled(draw: st.DrawFn, data: bytes, other: bytes) -> bytes:
    """Members swapped, renamed, dropped, doubled, or taken from another package."""
    parts = members(data)
    foreign = members(other)
    for _step in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["swap", "rename", "drop", "double", "foreign", "order"]))
        i, j = (draw(st.integers(0, len(parts) - 1)) for _pick in range(2))
        if action == "swap":
            parts[i], parts[j] = (parts[i][0], parts[j][1]), (parts[j][0], parts[i][1])
        elif action == "rename":
            parts[i] = (parts[j][0], parts[i][1])
        elif action == "drop" and len(parts) > 1:
            del parts[i]
        elif action == "double":
            parts.append(parts[i])
        elif action == "foreign":
            parts[i] = (parts[i][0], foreign[min(i, len(foreign) - 1)][1])
        else:
            parts = draw(st.permutations(parts))
    return zip_of(parts)


def opened_or_refused(trio: Trio, damaged: bytes, *genuine: bytes) -> None:
    """`damaged` is refused, or it opens as exactly one of the `genuine` packages (every
    member taken from the other package makes that package, intact)."""
    try:
        opened = open_package(damaged, pins(trio.county).get)
    except PackageRefused:
        return
    intact = [open_package(data, pins(trio.county).get) for data in genuine]
    assert (opened.manifest_sha256, opened.members) in [
        (package.manifest_sha256, package.members) for package in intact
    ]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_flipped_bytes_are_refused_or_harmless(
    shared_trio: Trio, streams: list[bytes], data: st.DataObject
) -> None:
    original = streams[1]
    opened_or_refused(shared_trio, data.draw(flipped(original)), original)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_swapped_members_are_refused_or_harmless(
    shared_trio: Trio, streams: list[bytes], data: st.DataObject
) -> None:
    original = streams[1]
    damaged = data.draw(reshuffled(original, streams[2]))
    opened_or_refused(shared_trio, damaged, original, streams[2])


@pytest.fixture(scope="module")
def stray(shared_trio: Trio) -> bytes:
    """A sound package, but for the township: whole, it is refused by the county."""
    return forge(shared_trio.city, TOWNSHIP, 1, "", "quota", adjustment_data(9))


@pytest.fixture(scope="module")
def county_with_quota(counties: Counties, streams: list[bytes]) -> Iterator[Office]:
    county = counties.fresh()
    import_bytes(county.store, streams[0], "quota.mibpkg")
    yield county
    county.store.close()


@settings(SLOW, max_examples=25)
@given(data=st.data())
def test_a_damaged_package_is_never_half_applied(
    county_with_quota: Office, streams: list[bytes], stray: bytes, data: st.DataObject
) -> None:
    """Imported for real: the county has the quota, then the adjustment, or nothing more."""
    damaged = data.draw(st.one_of(flipped(streams[1]), reshuffled(streams[1], stray)))
    before = quota_documents(county_with_quota.store)
    verdict, _changes = import_bytes(county_with_quota.store, damaged, "damaged.mibpkg")
    after = quota_documents(county_with_quota.store)
    assert verdict.status in ("quarantined", "applied", "duplicate")
    if verdict.status == "applied":
        assert after == [*before, ("adjustment", 1, "绍医保调〔2027〕1号")]
    else:
        assert after == before
