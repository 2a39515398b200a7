"""Strict JSON: what `parse_strict` refuses, and what a package's loose payload becomes
(quarantined with the reason, nothing applied)."""

from __future__ import annotations

import time
import zipfile

import pytest
from exchange_kit import (
    Trio,
    adjustment_data,
    forge_raw,
    inbox_row,
    manifest_for,
    office_key,
    quota_chain,
    quota_documents,
    sha_of_manifest,
    signed_zip,
)
from exchange_offices import COUNTY

from mibdesk.core.errors import ValidationError
from mibdesk.core.exchange import package
from mibdesk.core.exchange.manifest import PAYLOAD_DATA
from mibdesk.core.exchange.refusals import PackageRefused, Reason
from mibdesk.core.exchange.strict_json import MAX_DEPTH, canonical_bytes, parse_strict
from mibdesk.core.services.exchange.importer import import_bytes

MB = 1024 * 1024


def parse(data: bytes, max_bytes: int = MB) -> object:
    return parse_strict(data, where="payload/data.json", max_bytes=max_bytes)


def refused(data: bytes, max_bytes: int = MB) -> str:
    with pytest.raises(ValidationError) as raised:
        parse(data, max_bytes)
    assert raised.value.where == "payload/data.json"
    return raised.value.message


@pytest.mark.parametrize("text", [b"NaN", b"Infinity", b"-Infinity", b'{"a":[1,NaN]}'])
def test_nan_and_infinity_are_refused(text: bytes) -> None:
    refused(text)


@pytest.mark.parametrize("text", [b"1e400", b"-1e400", b"1.5", b"1E2", b"-0.0", b'{"fen":0.1}'])
def test_floats_are_refused_money_is_whole_fen(text: bytes) -> None:
    refused(text)


def test_integers_beyond_64_bits_are_refused() -> None:
    assert parse(str(2**63 - 1).encode()) == 2**63 - 1
    assert parse(str(-(2**63 - 1)).encode()) == -(2**63 - 1)
    refused(str(2**63).encode())
    refused(str(2**70).encode())


def test_a_huge_integer_is_refused_without_converting_it() -> None:
    start = time.perf_counter()
    refused(b"9" * 200_000)
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize("text", [b'{"a":1,"a":2}', b'{"x":{"b":1,"b":1}}', b'[{"k":1,"k":1}]'])
def test_duplicate_keys_are_refused(text: bytes) -> None:
    assert "twice" in refused(text) or "两次" in refused(text)


def test_nesting_up_to_the_cap_is_accepted_deeper_is_refused() -> None:
    assert parse(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH) is not None
    refused(b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1))
    refused(b'{"a":' * 100_000 + b"1" + b"}" * 100_000)  # no RecursionError escapes


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    text = b'{"note":"' + b"[{" * 100 + b'\\"]}", "x":[1]}'
    assert parse(text) == {"note": "[{" * 100 + '"]}', "x": [1]}


@pytest.mark.parametrize(
    "data", [b'"' + b'\\"' * 2_000_000 + b"[" * 40, b"[" * 3_000_000, b"{" * 3_000_000]
)
def test_the_depth_check_stays_linear_on_hostile_input(data: bytes) -> None:
    """An unterminated string of escaped quotes, or brackets by the million: refused in
    well under a second, never a quadratic walk."""
    start = time.perf_counter()
    refused(data, max_bytes=16 * MB)
    assert time.perf_counter() - start < 1


def test_brackets_by_the_million_inside_a_string_are_text() -> None:
    text = b'["' + b"[" * 3_000_000 + b'"]'
    start = time.perf_counter()
    assert parse(text, max_bytes=16 * MB) == ["[" * 3_000_000]
    assert time.perf_counter() - start < 1


def test_fifty_megabytes_are_refused_before_parsing() -> None:
    data = b"[" + b'"abcdefgh",' * (50 * MB // 11) + b"1]"
    start = time.perf_counter()
    refused(data, max_bytes=16 * MB)
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize(
    "data", [b"\xff\xfe{}", b'{"a":"\xc3"}', b"\xef\xbb\xbf{}", b"", b"{", b"{'a':1}"]
)
def test_text_that_is_not_utf8_json_is_refused(data: bytes) -> None:
    refused(data)


@pytest.mark.parametrize("text", [b'"\\ud800"', b'{"doc":"a\\udfffb"}', b'["\\udbff"]'])
def test_lone_surrogates_are_refused(text: bytes) -> None:
    """They cannot be written as UTF-8: not to the database, not into a package."""
    refused(text)


def test_surrogate_pairs_and_chinese_are_text() -> None:
    assert parse('{"名称":"\\ud83d\\ude00医保"}'.encode()) == {"名称": "😀医保"}


def test_canonical_bytes_are_stable_and_parse_back() -> None:
    value = {"b": [1, {"z": "青溪", "a": -5}], "a": ""}
    assert canonical_bytes(value) == '{"a":"","b":[1,{"a":-5,"z":"青溪"}]}'.encode()
    assert parse(canonical_bytes(value)) == value


# --- the same, inside a package correctly signed by a registered sender ----------------------


@pytest.mark.parametrize(
    "raw",
    [
        canonical_bytes(adjustment_data(1)).replace(b'"amount":1', b'"amount":NaN'),
        canonical_bytes(adjustment_data(1)).replace(b'"amount":1', b'"amount":1e400'),
        canonical_bytes(adjustment_data(1)).replace(b'"amount":1', b'"amount":1,"amount":2'),
        canonical_bytes(adjustment_data(1)).replace(b'"amount":1', b'"amount":1.0'),
        canonical_bytes(adjustment_data(1)).replace(b'"line":""', b'"line":"\\ud800"'),
        canonical_bytes(adjustment_data(1)).replace(
            b'"reason":', b'"deep":' + b"[" * 40 + b"]" * 40 + b',"reason":'
        ),
        canonical_bytes({**adjustment_data(1), "surprise": 1}),
        canonical_bytes({**adjustment_data(1), "amount": "1"}),
        canonical_bytes({**adjustment_data(1), "amount": 10**15}),
        b"[]",
    ],
)
def test_a_loose_payload_is_quarantined_and_changes_nothing(trio: Trio, raw: bytes) -> None:
    quota = quota_chain(trio.city, 0)[0]
    import_bytes(trio.county.store, quota, "quota.mibpkg")
    data = forge_raw(trio.city, COUNTY, 2, sha_of_manifest(trio.county, quota), "quota", raw)
    verdict, _changes = import_bytes(trio.county.store, data, "loose.mibpkg")
    assert verdict.status == "quarantined"
    assert inbox_row(trio.county.store, data).reason_code == Reason.BAD_DATA
    assert len(quota_documents(trio.county.store)) == 1


def test_a_payload_over_its_cap_is_quarantined(trio: Trio) -> None:
    raw = canonical_bytes({**adjustment_data(1), "reason": "x" * (17 * MB)})
    data = signed_zip(
        office_key(trio.city),
        canonical_bytes(
            manifest_for(trio.city, COUNTY, 1, "", "quota", {PAYLOAD_DATA: raw}).model_dump(
                mode="json"
            )
        ),
        [(PAYLOAD_DATA, raw)],
        zipfile.ZIP_STORED,
    )
    verdict, _changes = import_bytes(trio.county.store, data, "big.mibpkg")
    assert verdict.status == "quarantined"
    assert inbox_row(trio.county.store, data).reason_code == Reason.BAD_DATA


def test_a_fifty_megabyte_payload_is_refused_unread(trio: Trio) -> None:
    raw = b"[" + b'"abcdefgh",' * (50 * MB // 11) + b"1]"
    manifest = manifest_for(trio.city, COUNTY, 1, "", "quota", {PAYLOAD_DATA: raw})
    data = signed_zip(
        office_key(trio.city),
        canonical_bytes(manifest.model_dump(mode="json")),
        [(PAYLOAD_DATA, raw)],
        zipfile.ZIP_STORED,
    )
    with pytest.raises(PackageRefused) as raised:
        package.open_package(data, lambda _key_id: None)
    assert raised.value.reason == Reason.TOO_LARGE
