"""The gate every workbook passes before a parser sees it: refuse what is not a plain .xlsx.

`check_workbook_file(path)` returns the path when the file looks like an ordinary .xlsx and
raises `ValidationError` (in Chinese, naming the file, saying what to do) otherwise:

* not a file, an empty file, a file over `MAX_FILE_BYTES`;
* an OLE compound file (signature D0CF11E0): an encrypted .xlsx (it holds an
  ``EncryptedPackage`` stream) or a legacy .xls (a ``Workbook``/``Book`` stream), told apart
  by the stream names, or the combined message when neither is recognised;
* text (CSV, HTML saved as "xls", …) and anything else that is not a zip;
* a zip that is not an Excel workbook (.xlsb, .ods, a Word file …);
* a decompression bomb: more than `MAX_MEMBERS` parts, more than `MAX_UNCOMPRESSED_BYTES`
  uncompressed in total, or a part over 1 MiB compressed more than `MAX_RATIO` times;
  encrypted zip entries and compression methods other than stored/deflate (which Excel
  never writes, and which reach far higher ratios);
* a DTD in any XML part (``<!DOCTYPE``, hence ``<!ENTITY``: billion laughs, external
  entities). Entities can only be declared in a DTD, and the DTD can only stand in the prolog
  before the root element, so reading each part's prolog is enough; a prolog longer than
  `MAX_PROLOG_BYTES` or in an unknown encoding is refused as well.

The declared sizes are trustworthy for our parsers: Python's zipfile (openpyxl) stops at the
declared size and fails on the CRC, and calamine refuses a part "larger than its declared
uncompressed size". Behind the gate openpyxl parses through defusedxml (installed as a
dependency), which refuses DTDs again.

Cost: the zip directory and a few KB of each XML part, about a millisecond.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_RATIO = 300
"""Real sheets compress 5–50 times; deflate tops out near 1,030."""
RATIO_FLOOR_BYTES = 1024 * 1024
"""Parts smaller than this are not checked for their ratio (tiny parts compress oddly)."""
MAX_PROLOG_BYTES = 64 * 1024

CFB_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_XLS_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_ALLOWED_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_MB = 1024 * 1024


def check_workbook_file(path: str | os.PathLike[str]) -> Path:
    """`path` as a Path if it is a plain .xlsx that is safe to parse; ValidationError if not."""
    file = Path(path)
    where = file.name or str(file)
    if not file.is_file():
        raise ValidationError(
            _("The file does not exist or is not a file. Check the path and choose it again."),
            where=where,
        )
    size = file.stat().st_size
    if size == 0:
        raise ValidationError(
            _("The file is empty (0 bytes). Choose the workbook that holds the figures."),
            where=where,
        )
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            _(
                "The file is larger than {limit} MB. Keep only the sheets needed, save it as a "
                "new .xlsx and try again."
            ).format(limit=MAX_FILE_BYTES // _MB),
            where=where,
        )
    with file.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(CFB_SIGNATURE):
        raise ValidationError(_compound_file_message(file), where=where)
    if not head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise ValidationError(_not_zip_message(head), where=where)
    _check_zip(file, where)
    return file


def damaged(path: Path, detail: object) -> ValidationError:
    """The error for a workbook a parser failed on after the gate let it through."""
    text = str(detail).strip() or type(detail).__name__
    return ValidationError(
        _(
            "The workbook is damaged and cannot be read ({detail}). Open it in Excel/WPS, save "
            "it again as .xlsx and retry."
        ).format(detail=text[:120]),
        where=path.name,
    )


def _compound_file_message(file: Path) -> str:
    data = file.read_bytes()  # at most MAX_FILE_BYTES, checked before
    if _ENCRYPTED_STREAM in data:
        return _(
            "The workbook is encrypted (it has an opening password). Open it in Excel/WPS, "
            "remove the password and save it as an unencrypted .xlsx."
        )
    if any(name in data for name in _XLS_STREAMS):
        return _(
            "This is an old-format Excel workbook (.xls). Open it in Excel/WPS and save it as "
            ".xlsx."
        )
    return _(
        "The file is encrypted or in the old .xls format. Open it in Excel/WPS and save it as "
        "an unencrypted .xlsx."
    )


def _not_zip_message(head: bytes) -> str:
    if b"\x00" not in head and _looks_like_text(head):
        return _(
            "This is a text file (such as CSV), not an Excel workbook. Open it in Excel/WPS and "
            "save it as .xlsx."
        )
    return _(
        "This is not an Excel workbook (.xlsx). Choose the .xlsx file exported by mibdesk or "
        "saved from Excel/WPS."
    )


def _looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            # the 4096-byte cut may split a character: judge what came before it
            try:
                text = head[:-4].decode(encoding)
            except UnicodeDecodeError:
                continue
        return all(ch.isprintable() or ch in "\r\n\t\ufeff" for ch in text)
    return False


def _check_zip(file: Path, where: str) -> None:
    try:
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            _check_members(infos, where)
            _check_kind({info.filename for info in infos}, where)
            for info in infos:
                if info.filename.lower().endswith(_XML_SUFFIXES):
                    _check_prolog(archive, info, where)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise damaged(file, error) from error


def _check_members(infos: list[zipfile.ZipInfo], where: str) -> None:
    if len(infos) > MAX_MEMBERS:
        raise ValidationError(
            _(
                "The workbook has more than {limit} parts and was not opened. Save the sheets "
                "needed to a new .xlsx."
            ).format(limit=MAX_MEMBERS),
            where=where,
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1 or info.compress_type not in _ALLOWED_METHODS:
            raise ValidationError(
                _(
                    "Part {part} of the workbook is encrypted or compressed in a way Excel does "
                    "not use. Open the file in Excel/WPS and save it as .xlsx."
                ).format(part=info.filename),
                where=where,
            )
        total += info.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise ValidationError(
                _(
                    "The workbook would expand to more than {limit} MB when opened (a zip bomb "
                    "or a far too large sheet) and was not opened. Save only the sheets needed "
                    "to a new .xlsx."
                ).format(limit=MAX_UNCOMPRESSED_BYTES // _MB),
                where=where,
            )
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise ValidationError(
                _(
                    "Part {part} of the workbook is compressed {ratio} times, far beyond any real "
                    "spreadsheet (a zip bomb), and was not opened."
                ).format(part=info.filename, ratio=info.file_size // max(info.compress_size, 1)),
                where=where,
            )


def _check_kind(names: set[str], where: str) -> None:
    if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
        return
    if "xl/workbook.bin" in names:
        message = _(
            "This is a binary Excel workbook (.xlsb). Open it in Excel/WPS and save it as .xlsx."
        )
    elif "content.xml" in names and "mimetype" in names:
        message = _(
            "This is an OpenDocument spreadsheet (.ods). Open it in WPS/Excel and save it as .xlsx."
        )
    else:
        message = _(
            "This is not an Excel workbook (.xlsx). Choose the .xlsx file exported by mibdesk or "
            "saved from Excel/WPS."
        )
    raise ValidationError(message, where=where)


def _check_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> None:
    with archive.open(info) as stream:
        data = stream.read(4096)
        verdict = _prolog_verdict(data)
        while verdict == "more" and len(data) < MAX_PROLOG_BYTES:
            chunk = stream.read(8192)
            if not chunk:
                break
            data += chunk
            verdict = _prolog_verdict(data)
    if verdict == "ok" or (verdict == "more" and len(data) == info.file_size and not data.strip()):
        return
    if verdict == "dtd":
        raise ValidationError(
            _(
                "Part {part} of the workbook declares a DTD or entities (<!DOCTYPE>), which "
                "Excel never writes and which can be used to attack a program. The file was not "
                "opened: save it again from Excel/WPS."
            ).format(part=info.filename),
            where=where,
        )
    raise ValidationError(
        _(
            "Part {part} of the workbook is not well-formed XML. Open the file in Excel/WPS and "
            "save it again as .xlsx."
        ).format(part=info.filename),
        where=where,
    )


def _prolog_verdict(data: bytes) -> str:
    """ "ok" when the root element starts with no DTD before it, "dtd", "bad", or "more"."""
    text = _decode_prefix(data)
    if text is None:
        return "bad"
    position = 0
    length = len(text)
    while True:
        while position < length and text[position] in " \t\r\n\ufeff":
            position += 1
        if position >= length:
            return "more"
        if text[position] != "<":
            return "bad"
        rest = text[position : position + 9]
        if rest.startswith("<?"):
            end = text.find("?>", position + 2)
            if end < 0:
                return "more"
            position = end + 2
        elif rest.startswith("<!--"):
            end = text.find("-->", position + 4)
            if end < 0:
                return "more"
            position = end + 3
        elif rest.startswith("<!"):
            if rest[2:].upper() == "DOCTYPE":
                return "dtd"
            return "more" if len(rest) < 9 else "bad"
        elif len(rest) < 2:
            return "more"
        else:
            return "ok" if (rest[1].isalpha() or rest[1] == "_") else "bad"


def _decode_prefix(data: bytes) -> str | None:
    """The start of an XML part as text (UTF-8, or UTF-16 with or without BOM); None if other."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif data.startswith(b"<\x00"):
        encoding = "utf-16-le"
    elif data.startswith(b"\x00<"):
        encoding = "utf-16-be"
    elif data[:4] in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00"):
        return None  # UTF-32: Excel never writes it
    else:
        encoding = "utf-8"
    if encoding != "utf-8" and len(data) % 2:
        data = data[:-1]
    return data.decode(encoding, errors="replace")
