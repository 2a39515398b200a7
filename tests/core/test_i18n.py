"""The interface language: every string translated in zh_CN, English selectable."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from mibdesk.core.i18n import _, current_language, set_language

TOOLS = Path(__file__).resolve().parents[2] / "tools" / "i18n.py"


def _tool() -> object:
    spec = importlib.util.spec_from_file_location("i18n_tool", TOOLS)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_zh_cn_catalog_translates_every_string_and_is_compiled() -> None:
    problems = _tool().problems()  # type: ignore[attr-defined]
    assert problems == []


def test_placeholders_survive_translation() -> None:
    """A translation that drops or renames a {placeholder} would break str.format."""
    import re

    from babel.messages.pofile import read_po

    po = TOOLS.parents[1] / "resources" / "locale" / "zh_CN" / "LC_MESSAGES" / "mibdesk.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    fields = re.compile(r"\{(\w*)\}")
    for message in catalog:
        if message.id and message.string:
            assert sorted(fields.findall(str(message.id))) == sorted(
                fields.findall(str(message.string))
            ), message.id


def test_chinese_by_default_and_english_on_request() -> None:
    assert current_language() == "zh_CN"
    assert _("Workbench") == "工作台"
    set_language("en")
    assert _("Workbench") == "Workbench"
