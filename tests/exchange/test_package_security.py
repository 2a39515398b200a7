"""Hostile package files: every check of `open_package`, each in its own test.

Zips are crafted with zipfile directly. Where a check comes after the signature, the crafted
manifest is signed with the sender's real key, so that the check itself is what refuses.
"""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from exchange_kit import (
    Trio,
    adjustment_data,
    forge,
    manifest_for,
    office_key,
    pins,
    signature_line,
    signed_zip,
    zip_of,
)
from exchange_offices import COUNTY

from mibdesk.core.exchange import keys, package
from mibdesk.core.exchange.manifest import PAYLOAD_DATA
from mibdesk.core.exchange.package import OpenedPackage, open_package
from mibdesk.core.exchange.refusals import PackageRefused, Reason
from mibdesk.core.exchange.strict_json import canonical_bytes

DATA = canonical_bytes(adjustment_data(1))


@pytest.fixture
def trio(shared_trio: Trio) -> Trio:
    """Opening a package changes nothing: the module's tests share one copy of the offices."""
    return shared_trio


def refusal(trio: Trio, data: bytes) -> Reason:
    with pytest.raises(PackageRefused) as raised:
        open_package(data, pins(trio.county).get)
    assert raised.value.reason in Reason
    assert any("\u4e00" <= char <= "\u9fff" for char in str(raised.value))  # said in Chinese
    return raised.value.reason


def city_package(trio: Trio, **changes: object) -> bytes:
    return forge(trio.city, COUNTY, 1, "", "quota", adjustment_data(1), **changes)


def signed_by_city(
    trio: Trio, manifest: bytes, payload: list[tuple[str | zipfile.ZipInfo, bytes]]
) -> bytes:
    return signed_zip(office_key(trio.city), manifest, payload)


def manifest_bytes(trio: Trio, payload: dict[str, bytes], **changes: object) -> bytes:
    manifest = manifest_for(trio.city, COUNTY, 1, "", "quota", payload, **changes)
    return canonical_bytes(manifest.model_dump(mode="json"))


def test_a_well_formed_package_opens(trio: Trio) -> None:
    opened = open_package(city_package(trio), pins(trio.county).get)
    assert isinstance(opened, OpenedPackage)
    assert opened.members == {PAYLOAD_DATA: DATA}


# --- member names and types: refused before the signature is even looked at ---------------


def with_member(trio: Trio, name: str | zipfile.ZipInfo, data: bytes = b"x") -> bytes:
    payload = {PAYLOAD_DATA: DATA}
    return signed_by_city(trio, manifest_bytes(trio, payload), [(PAYLOAD_DATA, DATA), (name, data)])


@pytest.mark.parametrize(
    "name", ["../evil.json", "payload/../../evil.json", "payload/./data.json", "payload//x"]
)
def test_zip_slip_paths_are_refused(trio: Trio, name: str) -> None:
    assert refusal(trio, with_member(trio, name)) == Reason.UNSAFE_NAME


@pytest.mark.parametrize(
    "name", ["/etc/passwd", "\\windows\\win.ini", "C:/evil.json", "c:evil", "\\\\server\\share\\x"]
)
def test_absolute_paths_are_refused(trio: Trio, name: str) -> None:
    assert refusal(trio, with_member(trio, name)) == Reason.UNSAFE_NAME


@pytest.mark.parametrize(
    "name",
    ["payload/con", "payload/NUL.json", "payload/com1.txt", "aux", "payload/lpt9.pdf",
     "payload/data.json.", "payload/data.json ", "payload/prn.tar.gz"],
)  # fmt: skip
def test_reserved_windows_names_are_refused(trio: Trio, name: str) -> None:
    assert refusal(trio, with_member(trio, name)) == Reason.UNSAFE_NAME


def test_symlinks_are_refused(trio: Trio) -> None:
    link = zipfile.ZipInfo("payload/link", date_time=(1980, 1, 1, 0, 0, 0))
    link.external_attr = (0o120777) << 16  # S_IFLNK
    assert refusal(trio, with_member(trio, link, b"/etc/passwd")) == Reason.UNSAFE_NAME


def test_directories_and_devices_are_refused(trio: Trio) -> None:
    fifo = zipfile.ZipInfo("payload/fifo", date_time=(1980, 1, 1, 0, 0, 0))
    fifo.external_attr = (0o010644) << 16  # S_IFIFO
    assert refusal(trio, with_member(trio, fifo)) == Reason.UNSAFE_NAME
    assert refusal(trio, with_member(trio, "payload/dir/", b"")) == Reason.UNSAFE_NAME


def duplicated(trio: Trio, first: str, second: str) -> bytes:
    payload = {PAYLOAD_DATA: DATA}
    return signed_by_city(trio, manifest_bytes(trio, payload), [(first, DATA), (second, b"{}")])


def test_duplicate_members_are_refused(trio: Trio) -> None:
    assert refusal(trio, duplicated(trio, PAYLOAD_DATA, PAYLOAD_DATA)) == Reason.DUPLICATE_MEMBER


def test_members_differing_only_in_case_are_duplicates(trio: Trio) -> None:
    """On Windows (and macOS) both would be one file."""
    twin = "payload/DATA.json"
    assert refusal(trio, duplicated(trio, PAYLOAD_DATA, twin)) == Reason.DUPLICATE_MEMBER


def test_a_second_manifest_is_a_duplicate(trio: Trio) -> None:
    good = zipfile.ZipFile(io.BytesIO(city_package(trio)))
    members = [(info.filename, good.read(info)) for info in good.infolist()]
    forged = zip_of([*members, ("manifest.json", b"{}")])
    assert refusal(trio, forged) == Reason.DUPLICATE_MEMBER


def test_too_many_members_are_refused(trio: Trio) -> None:
    payload = [(f"payload/f{n}", b"x") for n in range(20)]
    assert refusal(trio, signed_by_city(trio, b"{}", payload)) == Reason.EXTRA_MEMBER


def test_a_decompression_bomb_is_refused_before_it_is_expanded(trio: Trio) -> None:
    bomb = with_member(trio, "payload/zeros.bin", bytes(20 * 1024 * 1024))
    assert len(bomb) < 100_000
    assert refusal(trio, bomb) == Reason.BOMB


def test_a_bomb_in_the_manifest_is_refused(trio: Trio) -> None:
    manifest = b" " * (8 * 1024 * 1024)
    assert refusal(trio, signed_by_city(trio, manifest, [])) == Reason.BOMB


def forge_size(data: bytes, name: str, file_size: int) -> bytes:
    """Rewrite a member's uncompressed size in its local header and the central directory."""
    encoded = name.encode()
    patched = bytearray(data)
    local = patched.find(b"PK\x03\x04" + bytes(26)[:0])
    while local != -1:
        name_length = struct.unpack_from("<H", patched, local + 26)[0]
        if patched[local + 30 : local + 30 + name_length] == encoded:
            struct.pack_into("<I", patched, local + 22, file_size)
        local = patched.find(b"PK\x03\x04", local + 4)
    central = patched.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", patched, central + 28)[0]
        if patched[central + 46 : central + 46 + name_length] == encoded:
            struct.pack_into("<I", patched, central + 24, file_size)
        central = patched.find(b"PK\x01\x02", central + 4)
    return bytes(patched)


def test_a_forged_huge_size_is_refused_without_reading(trio: Trio) -> None:
    forged = forge_size(city_package(trio), PAYLOAD_DATA, 2**31)
    assert refusal(trio, forged) == Reason.TOO_LARGE


@pytest.mark.parametrize("name", [PAYLOAD_DATA, "manifest.json", "manifest.sig"])
def test_a_forged_small_size_is_refused_not_truncated(trio: Trio, name: str) -> None:
    """Reading stops at the claimed size; the CRC then fails: never a silent short read."""
    original = city_package(trio)
    real = zipfile.ZipFile(io.BytesIO(original)).getinfo(name).file_size
    assert refusal(trio, forge_size(original, name, real - 7)) in (
        Reason.NOT_A_PACKAGE,
        Reason.BAD_SIGNATURE,
    )


def test_a_forged_larger_size_changes_nothing(trio: Trio) -> None:
    """A size field larger than the data gives the real bytes, still checked by hash."""
    original = city_package(trio)
    opened = open_package(
        forge_size(original, PAYLOAD_DATA, len(DATA) + 100), pins(trio.county).get
    )
    assert opened.members == {PAYLOAD_DATA: DATA}


def test_a_central_directory_pointing_before_the_file_is_refused(trio: Trio) -> None:
    """zipfile seeks to a negative offset and raises ValueError: still "not a package"."""
    data = bytearray(city_package(trio))
    end = data.rfind(b"PK\x05\x06")
    offset = struct.unpack_from("<I", data, end + 16)[0]
    struct.pack_into("<I", data, end + 16, offset + 4096)
    assert refusal(trio, bytes(data)) == Reason.NOT_A_PACKAGE


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA, 99])
def test_other_compression_methods_are_refused(trio: Trio, method: int) -> None:
    """Packages are stored or deflated; a bzip2 or lzma stream is not read at all."""
    data = bytearray(city_package(trio))
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, central + 10, method)
    assert refusal(trio, bytes(data)) == Reason.NOT_A_PACKAGE


def test_an_encrypted_member_is_refused(trio: Trio) -> None:
    data = bytearray(city_package(trio))
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x1  # general purpose flag: encrypted
    assert refusal(trio, bytes(data)) == Reason.NOT_A_PACKAGE


@pytest.mark.parametrize(
    "data", [b"", b"PK\x05\x06" + bytes(18), b"not a zip at all", b"%PDF-1.7\n" + bytes(100)]
)
def test_something_else_is_not_a_package(trio: Trio, data: bytes) -> None:
    assert refusal(trio, data) == Reason.NOT_A_PACKAGE


def test_a_file_larger_than_a_package_may_be_is_refused_unread(trio: Trio) -> None:
    assert refusal(trio, bytes(package.MAX_PACKAGE + 1)) == Reason.TOO_LARGE


def test_missing_manifest_or_signature(trio: Trio) -> None:
    assert refusal(trio, zip_of([(PAYLOAD_DATA, DATA)])) == Reason.NOT_A_PACKAGE
    manifest = manifest_bytes(trio, {PAYLOAD_DATA: DATA})
    assert refusal(trio, zip_of([("manifest.json", manifest)])) == Reason.NOT_A_PACKAGE


# --- the signature, checked with the pinned key before the manifest is parsed ---------------


def replace_member(data: bytes, name: str, content: bytes) -> bytes:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return zip_of(
        [
            (i.filename, content if i.filename == name else archive.read(i))
            for i in archive.infolist()
        ]
    )


@pytest.mark.parametrize(
    "line",
    [b"", b"ed25519\n", b"rsa 0123456789abcdef AAAA\n", b"ed25519 0123456789abcdef " + b"A" * 88],
)
def test_a_malformed_signature_line_is_refused(trio: Trio, line: bytes) -> None:
    assert refusal(trio, replace_member(city_package(trio), "manifest.sig", line)) == (
        Reason.BAD_SIGNATURE
    )


def test_a_wrong_signature_is_refused(trio: Trio) -> None:
    original = city_package(trio)
    line = zipfile.ZipFile(io.BytesIO(original)).read("manifest.sig")
    flipped = line[:30] + (b"A" if line[30:31] != b"A" else b"B") + line[31:]
    assert refusal(trio, replace_member(original, "manifest.sig", flipped)) == Reason.BAD_SIGNATURE


def test_a_changed_manifest_breaks_the_signature(trio: Trio) -> None:
    original = city_package(trio)
    manifest = zipfile.ZipFile(io.BytesIO(original)).read("manifest.json")
    changed = manifest.replace(b'"sequence":1', b'"sequence":2')
    assert changed != manifest
    assert refusal(trio, replace_member(original, "manifest.json", changed)) == (
        Reason.BAD_SIGNATURE
    )


def test_another_key_signing_in_a_pinned_keys_name_is_refused(trio: Trio) -> None:
    """The township signs, but names the city's key id on the signature line."""
    manifest = manifest_bytes(trio, {PAYLOAD_DATA: DATA})
    line = signature_line(office_key(trio.township), manifest, office_key(trio.city).key_id)
    forged = zip_of([("manifest.json", manifest), ("manifest.sig", line), (PAYLOAD_DATA, DATA)])
    assert refusal(trio, forged) == Reason.BAD_SIGNATURE


def test_an_unknown_key_is_refused(trio: Trio) -> None:
    stranger = keys.ExchangeKey(Ed25519PrivateKey.generate())
    manifest = manifest_bytes(trio, {PAYLOAD_DATA: DATA})
    forged = signed_zip(stranger, manifest, [(PAYLOAD_DATA, DATA)])
    assert refusal(trio, forged) == Reason.UNKNOWN_KEY


def test_a_package_naming_another_office_as_sender_is_refused(trio: Trio) -> None:
    """The township's own key, but the manifest claims the city sent it."""
    payload = {PAYLOAD_DATA: DATA}
    manifest = manifest_for(trio.township, COUNTY, 1, "", "quota", payload)
    claims_city = manifest.model_copy(
        update={"sender": manifest.sender.model_copy(update={"office": "330600"})}
    )
    data = package.build(claims_city, payload, office_key(trio.township))
    assert refusal(trio, data) == Reason.SENDER_MISMATCH


def test_a_manifest_naming_another_key_id_is_refused(trio: Trio) -> None:
    data = city_package(trio, sender={"office": "330600", "key_id": "0" * 16})
    assert refusal(trio, data) == Reason.SENDER_MISMATCH


def test_a_township_cannot_pass_for_its_county(trio: Trio) -> None:
    payload = {PAYLOAD_DATA: DATA}
    manifest = manifest_for(trio.township, "330600", 1, "", "monthly_report", payload)
    as_county = manifest.model_copy(
        update={"sender": manifest.sender.model_copy(update={"office": COUNTY})}
    )
    data = package.build(as_county, payload, office_key(trio.township))
    with pytest.raises(PackageRefused) as raised:
        open_package(data, pins(trio.county).get)
    assert raised.value.reason == Reason.SENDER_MISMATCH


# --- the manifest, parsed strictly once its signature holds ---------------------------------


@pytest.mark.parametrize(
    "change",
    [
        (b'"sequence":1', b'"sequence":NaN'),
        (b'"sequence":1', b'"sequence":Infinity'),
        (b'"sequence":1', b'"sequence":1e400'),
        (b'"sequence":1', b'"sequence":1.0'),
        (b'"sequence":1', b'"sequence":"1"'),
        (b'"sequence":1', b'"sequence":1,"sequence":2'),
        (b'"sequence":1', b'"sequence":1,"surprise":true'),
        (b'"format_version":1', b'"format_version":2'),
        (b'"kind":"quota"', b'"kind":"../../etc"'),
        (b'"subject":{}', b'"subject":' + b"[" * 40 + b"]" * 40),
    ],
)
def test_a_loose_manifest_is_refused_even_when_signed(
    trio: Trio, change: tuple[bytes, bytes]
) -> None:
    payload = {PAYLOAD_DATA: DATA}
    manifest = manifest_bytes(trio, payload)
    assert change[0] in manifest
    loose = manifest.replace(change[0], change[1])
    assert refusal(trio, signed_by_city(trio, loose, [(PAYLOAD_DATA, DATA)])) == (
        Reason.BAD_MANIFEST
    )


def test_an_oversized_signed_manifest_is_refused(trio: Trio) -> None:
    manifest = b'{"pad":"' + bytes(range(65, 91)) * 12_000 + b'"}'
    assert refusal(trio, signed_by_city(trio, manifest, [])) == Reason.TOO_LARGE


# --- the members, against the manifest's list and hashes ------------------------------------


def test_a_member_not_in_the_manifest_is_refused(trio: Trio) -> None:
    assert refusal(trio, with_member(trio, "payload/extra.bin")) == Reason.EXTRA_MEMBER


def test_a_member_missing_from_the_package_is_refused(trio: Trio) -> None:
    payload = {PAYLOAD_DATA: DATA, "payload/plan.pdf": b"%PDF-1.7"}
    manifest = manifest_bytes(trio, payload)
    assert refusal(trio, signed_by_city(trio, manifest, [(PAYLOAD_DATA, DATA)])) == (
        Reason.MISSING_MEMBER
    )


def test_a_member_that_does_not_match_its_hash_is_refused(trio: Trio) -> None:
    manifest = manifest_bytes(trio, {PAYLOAD_DATA: DATA})
    other = DATA.replace(b'"amount":1', b'"amount":9')
    assert refusal(trio, signed_by_city(trio, manifest, [(PAYLOAD_DATA, other)])) == (
        Reason.HASH_MISMATCH
    )


@pytest.mark.parametrize("extra", [b"", b" "])
def test_a_member_longer_or_shorter_than_listed_is_refused(trio: Trio, extra: bytes) -> None:
    manifest = manifest_bytes(trio, {PAYLOAD_DATA: DATA})
    content = DATA + extra if extra else DATA[:-1]
    assert refusal(trio, signed_by_city(trio, manifest, [(PAYLOAD_DATA, content)])) == (
        Reason.HASH_MISMATCH
    )


def test_a_payload_swapped_in_from_another_package_is_refused(trio: Trio) -> None:
    first = city_package(trio)
    second = forge(trio.city, COUNTY, 2, "", "quota", adjustment_data(2))
    swapped_data = zipfile.ZipFile(io.BytesIO(second)).read(PAYLOAD_DATA)
    assert refusal(trio, replace_member(first, PAYLOAD_DATA, swapped_data)) == (
        Reason.HASH_MISMATCH
    )
