"""The gate before any parser: real files of every kind a person (or an attacker) may choose.

Each refusal is a Chinese ValidationError naming the file and saying what to do; nothing is
parsed. The bomb and the entity tricks are crafted by hand so that the tests stay small and
fast (the 1 GB member is about 1 MB on disk).
"""

from __future__ import annotations

import struct
import time
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest

from mibdesk.core.catalog import load_profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.excel import safety
from mibdesk.core.excel.history import read_history
from mibdesk.core.excel.safety import check_workbook_file
from mibdesk.core.excel.template import read_template

SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "正常.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "单位代码"
    workbook.save(path)
    return path


def refused(path: Path, *words: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_workbook_file(path)
    error = caught.value
    assert error.where == path.name, error
    for word in words:
        assert word in error.message, error.message
    return error


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_zip(path: Path, parts: dict[str, bytes], **kwargs: int) -> Path:
    with zipfile.ZipFile(path, "w", kwargs.get("method", zipfile.ZIP_DEFLATED)) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_a_plain_workbook_passes(xlsx: Path) -> None:
    assert check_workbook_file(str(xlsx)) == xlsx


def test_missing_empty_and_directory(tmp_path: Path) -> None:
    refused(tmp_path / "没有.xlsx", "不存在")
    (tmp_path / "空.xlsx").write_bytes(b"")
    refused(tmp_path / "空.xlsx", "为空")
    (tmp_path / "目录.xlsx").mkdir()
    refused(tmp_path / "目录.xlsx", "不是文件")


def test_a_file_too_large(xlsx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 1000)
    refused(xlsx, "超过")


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal valid OLE compound file (version 3, 512-byte sectors, no mini stream)."""
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    sectors: list[bytes] = []
    chains: list[tuple[int, int]] = []
    next_sector = 2  # 0: FAT, 1: directory
    for data in streams.values():
        data = data.ljust(max(4096, -(-len(data) // 512) * 512), b"\0")  # no mini stream
        count = len(data) // 512
        chains.append((next_sector, count))
        sectors += [data[i * 512 : (i + 1) * 512] for i in range(count)]
        next_sector += count
    fat = [fat_sector, end]
    for start, count in chains:
        fat += [start + i + 1 for i in range(count - 1)] + [end]
    assert len(fat) <= 128
    fat_bytes = struct.pack("<128I", *(fat + [free] * (128 - len(fat))))

    def entry(name: str, kind: int, start: int, size: int, child: int, right: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB3I", len(encoded), kind, 1, free, right, child)
            + b"\0" * 36
            + struct.pack("<IQ", start, size)
        )

    names = list(streams)
    entries = [entry("Root Entry", 5, end, 0, 1, free)]
    for index, name in enumerate(names, start=1):
        right = index + 1 if index < len(names) else free
        entries.append(entry(name, 2, chains[index - 1][0], len(streams[name]), free, right))
    directory = b"".join(entries).ljust(512, b"\0")
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<108I", *([free] * 108))
    )
    assert len(header) == 512
    return header + fat_bytes + directory + b"".join(sectors)


def test_an_old_xls_workbook(tmp_path: Path) -> None:
    path = tmp_path / "旧表.xls"
    path.write_bytes(compound_file({"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00" * 8}))
    olefile = pytest.importorskip("olefile")
    assert olefile.OleFileIO(str(path)).listdir() == [["Workbook"]]  # a real compound file
    refused(path, "旧版", ".xls")


def test_an_unknown_compound_file(tmp_path: Path) -> None:
    path = tmp_path / "未知.xlsx"
    path.write_bytes(compound_file({"Contents": b"x" * 100}))
    refused(path, "已加密或为旧版 xls 格式", "不加密的 .xlsx")


def test_a_password_protected_workbook(xlsx: Path, tmp_path: Path) -> None:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    path = tmp_path / "加密.xlsx"
    with xlsx.open("rb") as plain, path.open("wb") as encrypted:
        ooxml.OOXMLFile(plain).encrypt("mima2026", encrypted)
    assert path.read_bytes().startswith(safety.CFB_SIGNATURE)
    refused(path, "加密", "密码")
    with pytest.raises(ValidationError, match="加密"):
        read_template(path)
    with pytest.raises(ValidationError, match="加密"):
        read_history(path, load_profile("shaoxing"), "330602", set())


@pytest.mark.parametrize(
    "content",
    [
        "单位代码,险种,项目代码,期间,数值\n330602,EMP,INC_EMPLOYER,2024-01,1234.56\n".encode(),
        "单位代码,险种\n330602,职工医保\n".encode("gb18030"),
        b"<html><body><table><tr><td>1</td></tr></table></body></html>",  # an "xls" that is HTML
    ],
)
def test_text_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "数据.xls"
    path.write_bytes(content)
    refused(path, "文本文件", "另存为 .xlsx")


def test_binary_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "图片.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    refused(path, "不是 Excel 工作簿")


def test_zips_that_are_not_xlsx(tmp_path: Path) -> None:
    refused(
        write_zip(tmp_path / "a.xlsx", {"xl/workbook.bin": b"", "[Content_Types].xml": b""}),
        ".xlsb",
    )
    refused(write_zip(tmp_path / "b.xlsx", {"mimetype": b"x", "content.xml": b"<a/>"}), ".ods")
    refused(write_zip(tmp_path / "c.xlsx", {"word/document.xml": b"<a/>"}), "不是 Excel 工作簿")


def test_a_truncated_workbook_is_damaged(xlsx: Path) -> None:
    data = xlsx.read_bytes()
    xlsx.write_bytes(data[: len(data) // 2])
    refused(xlsx, "损坏")


def test_unusual_compression_is_refused(xlsx: Path, tmp_path: Path) -> None:
    path = write_zip(tmp_path / "bz.xlsx", members(xlsx), method=zipfile.ZIP_BZIP2)
    refused(path, "压缩方式")


def test_too_many_parts(xlsx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parts = members(xlsx) | {f"xl/media/{n}.bin": b"" for n in range(20)}
    monkeypatch.setattr(safety, "MAX_MEMBERS", 10)
    refused(write_zip(tmp_path / "many.xlsx", parts), "部件超过 10 个")


def zeros_deflated(size: int) -> bytes:
    """Raw deflate of `size` zero bytes without compressing them all: after a full flush every
    1 MiB block compresses to the same bytes, so one is repeated."""
    block = 1 << 20
    assert size % block == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    one = compressor.compress(b"\0" * block) + compressor.flush(zlib.Z_FULL_FLUSH)
    return one * (size // block) + compressor.flush()


def zip_with_raw_member(path: Path, parts: dict[str, bytes], name: str, size: int) -> Path:
    """A zip holding `parts` and a member `name` of `size` zero bytes (crafted, not compressed)."""
    body = zeros_deflated(size)
    crc = 0
    for _ in range(size >> 20):
        crc = zlib.crc32(b"\0" * (1 << 20), crc)
    write_zip(path, parts)
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        start = archive.start_dir
    data = bytearray(path.read_bytes()[:start])
    encoded = name.encode()
    offset = len(data)
    data += struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(body), size, len(encoded), 0
    )
    data += encoded + body
    central = bytearray()
    for info in infos:
        central += _central_entry(
            info.filename.encode(),
            info.CRC,
            info.compress_size,
            info.file_size,
            info.compress_type,
            info.header_offset,
        )
    central += _central_entry(encoded, crc, len(body), size, 8, offset)
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(infos) + 1, len(infos) + 1, len(central), len(data), 0
    )
    path.write_bytes(bytes(data + central + end))
    return path


def _central_entry(
    name: bytes, crc: int, compressed: int, size: int, method: int, offset: int
) -> bytes:
    return (
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            method,
            0,
            0,
            crc,
            compressed,
            size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        + name
    )


def test_a_decompression_bomb_is_refused_without_inflating_it(xlsx: Path, tmp_path: Path) -> None:
    parts = members(xlsx)
    del parts[SHEET]
    path = zip_with_raw_member(tmp_path / "炸弹.xlsx", parts, SHEET, 1 << 30)
    assert path.stat().st_size < 2 << 20
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(SHEET).file_size == 1 << 30  # a real, valid 1 GiB member
    start = time.perf_counter()
    refused(path, "200 MB", "压缩炸弹")
    assert time.perf_counter() - start < 0.5
    with pytest.raises(ValidationError, match="压缩炸弹"):
        read_template(path)


def test_a_part_with_an_absurd_ratio_is_refused(xlsx: Path, tmp_path: Path) -> None:
    parts = members(xlsx)
    path = zip_with_raw_member(tmp_path / "ratio.xlsx", parts, "xl/media/zeros.bin", 64 << 20)
    refused(path, "xl/media/zeros.bin", "压缩比")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&lol9;</t></si></sst>"""


def with_shared_strings(xlsx: Path, target: Path, shared: bytes) -> Path:
    """`xlsx` with a sharedStrings.xml part that cell A1 refers to."""
    parts = members(xlsx)
    parts["xl/sharedStrings.xml"] = shared
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Target="sharedStrings.xml" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    sheet = parts[SHEET].decode()
    start = sheet.index('<c r="A1"')
    end = sheet.index("</c>", start) + 4
    parts[SHEET] = (sheet[:start] + '<c r="A1" t="s"><v>0</v></c>' + sheet[end:]).encode()
    return write_zip(target, parts)


def test_billion_laughs_in_shared_strings(xlsx: Path, tmp_path: Path) -> None:
    path = with_shared_strings(xlsx, tmp_path / "laughs.xlsx", BILLION_LAUGHS)
    refused(path, "xl/sharedStrings.xml", "DOCTYPE")
    # Behind the gate, openpyxl parses through defusedxml and refuses the entities as well.
    defusedxml = pytest.importorskip("defusedxml")
    with pytest.raises(ValueError) as caught:
        openpyxl.load_workbook(path)
    assert isinstance(caught.value.__cause__, defusedxml.DefusedXmlException)


def test_harmless_shared_strings_pass(xlsx: Path, tmp_path: Path) -> None:
    shared = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!-- written by hand -->'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
        + "单位代码".encode()
        + b"</t></si></sst>"
    )
    path = with_shared_strings(xlsx, tmp_path / "ok.xlsx", shared)
    check_workbook_file(path)
    assert openpyxl.load_workbook(path).active["A1"].value == "单位代码"


@pytest.mark.parametrize(
    "prolog",
    [
        b'<?xml version="1.0"?><!-- ' + b"x" * 100_000 + b' --><!DOCTYPE a [<!ENTITY e "e">]><a/>',
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>'.encode(
            "utf-16"
        ),
        b'<?xml version="1.0"?>\n<!doctype a><a/>',
        b"\xef\xbb\xbf<!DOCTYPE a><a/>",
        b"not xml at all",
    ],
)
def test_dtds_hidden_in_the_prolog(xlsx: Path, tmp_path: Path, prolog: bytes) -> None:
    parts = members(xlsx) | {"docProps/custom.xml": prolog}
    error = refused(write_zip(tmp_path / "dtd.xlsx", parts), "docProps/custom.xml")
    assert "DOCTYPE" in error.message or "XML" in error.message


def with_lying_sheet(xlsx: Path, target: Path, actual: bytes, declared: int) -> Path:
    """`xlsx` whose sheet part holds `actual` but whose headers declare `declared` bytes."""
    parts = members(xlsx) | {SHEET: actual}
    write_zip(target, parts)
    data = bytearray(target.read_bytes())
    with zipfile.ZipFile(target) as archive:
        info = archive.getinfo(SHEET)
    struct.pack_into("<I", data, info.header_offset + 22, declared)  # local header
    name = SHEET.encode()
    central = data.rfind(b"PK\x01\x02" + data[info.header_offset + 4 : info.header_offset + 6])
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.rfind(b"PK\x01\x02", 0, central)
    struct.pack_into("<I", data, central + 24, declared)  # central directory
    target.write_bytes(bytes(data))
    return target


def test_a_part_larger_than_it_declares_is_not_inflated(xlsx: Path, tmp_path: Path) -> None:
    """The gate trusts declared sizes because both parsers stop at them."""
    sheet = members(xlsx)[SHEET]
    padded = sheet.replace(b"<sheetData>", b"<sheetData>" + b" " * (64 << 20))
    path = with_lying_sheet(xlsx, tmp_path / "lie.xlsx", padded, 100_000)
    check_workbook_file(path)  # the declared sizes are harmless; only the prolog is read
    profile = load_profile("shaoxing")
    with pytest.raises(ValidationError, match="损坏"):
        read_history(path, profile, "330602", set())  # calamine: larger than declared
    with pytest.raises(zipfile.BadZipFile, match="CRC"):
        openpyxl.load_workbook(path)  # zipfile stops at the declared size: CRC error
