"""Interface language: gettext catalogs under resources/locale, Simplified Chinese by default.

Source strings are English; `resources/locale/zh_CN/LC_MESSAGES/mibdesk.po` must translate
every one of them (a test fails otherwise). Official forms are always Chinese and do not
pass through here.
"""

from __future__ import annotations

import gettext

from mibdesk.core.resources import resources_root

LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"

_active: gettext.NullTranslations | None = None
_active_language = DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    """Switch every later `_()` call to `language` (one of LANGUAGES)."""
    global _active, _active_language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    _active_language = language
    _active = _load(language)


def current_language() -> str:
    return _active_language


def _load(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(
        "mibdesk", localedir=str(resources_root() / "locale"), languages=[language], fallback=True
    )


def _(message: str) -> str:
    """Translate `message` into the active language."""
    global _active
    if _active is None:
        _active = _load(_active_language)
    return _active.gettext(message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (translate where shown)."""
    return message
