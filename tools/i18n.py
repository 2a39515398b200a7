"""Keep the translation catalogs in step with the code (Babel).

    python tools/i18n.py update    extract strings, merge into resources/locale/*/mibdesk.po
    python tools/i18n.py compile   write the .mo files the program loads
    python tools/i18n.py check     exit 1 if a string is missing, untranslated, fuzzy or stale
    python tools/i18n.py translate FILE.json
                                   update, fill in {msgid: zh_CN text} from FILE, compile;
                                   holds a lock so that several people can run it at once

Source strings are English, marked with `_()` or `N_()`; zh_CN must translate every one.
"""

from __future__ import annotations

import fcntl
import io
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE_DIR = ROOT / "resources" / "locale"
DOMAIN = "mibdesk"
LANGUAGES = ("zh_CN",)
KEYWORDS = {"_": None, "N_": None}


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def extract() -> Catalog:
    template = Catalog(project="mibdesk", domain=DOMAIN)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT / "mibdesk"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def load(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN)
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def update() -> None:
    template = extract()
    for language in LANGUAGES:
        catalog = load(language)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        po_path(language).parent.mkdir(parents=True, exist_ok=True)
        with po_path(language).open("wb") as handle:
            write_po(handle, catalog, width=0, omit_header=False, sort_output=True)


def compiled(language: str) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, load(language), use_fuzzy=False)
    return buffer.getvalue()


def compile_all() -> None:
    for language in LANGUAGES:
        mo_path(language).write_bytes(compiled(language))


def problems() -> list[str]:
    """Everything that keeps a catalog from being complete and current."""
    found: list[str] = []
    wanted = {message.id for message in extract() if message.id}
    for language in LANGUAGES:
        catalog = load(language)
        have = {message.id for message in catalog if message.id}
        found += [f"{language}: not in catalog: {mid!r}" for mid in sorted(wanted - have, key=str)]
        found += [f"{language}: stale entry: {mid!r}" for mid in sorted(have - wanted, key=str)]
        for message in catalog:
            if message.id and (not message.string or message.fuzzy):
                found.append(f"{language}: untranslated: {message.id!r}")
        if not mo_path(language).exists() or mo_path(language).read_bytes() != compiled(language):
            found.append(f"{language}: {mo_path(language).name} is out of date; run compile")
    return found


def translate(source: Path) -> list[str]:
    """Update, apply the translations in `source`, compile; returns msgids still untranslated."""
    wanted: dict[str, str] = json.loads(source.read_text(encoding="utf-8"))
    lock_path = LOCALE_DIR / ".i18n.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        update()
        catalog = load("zh_CN")
        for message in catalog:
            if message.id in wanted:
                message.string = wanted[message.id]
                message.flags.discard("fuzzy")
        with po_path("zh_CN").open("wb") as handle:
            write_po(handle, catalog, width=0, omit_header=False, sort_output=True)
        compile_all()
    return [str(m.id) for m in catalog if m.id and not m.string]


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "translate" and len(sys.argv) == 3:
        missing = translate(Path(sys.argv[2]))
        print("\n".join(f"untranslated: {mid!r}" for mid in missing) or "catalogs complete")
    elif command == "check":
        found = problems()
        print("\n".join(found) if found else "catalogs complete")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
