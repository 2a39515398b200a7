"""Interface language: gettext catalogs under resources/locale, Simplified Chinese by default.

Source strings are English; `resources/locale/zh_CN/LC_MESSAGES/mibdesk.po` must translate
every one of them (a test fails otherwise). Official forms are always Chinese: their fixed
text does not pass through here, and text they take from the rules (working-step labels) is
made inside `official()`, which gives Chinese on that thread whatever the interface language.
"""

from __future__ import annotations

import gettext
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from mibdesk.core.resources import resources_root

LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"

_active: gettext.NullTranslations | None = None
_active_language = DEFAULT_LANGUAGE
OFFICIAL_LANGUAGE = "zh_CN"
"""The language of official forms and of the notices sent to other offices."""
_thread = threading.local()  # `official` sets `translations` on the thread it runs on


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


@contextmanager
def official() -> Iterator[None]:
    """Within this block `_()` on the current thread translates into Chinese (an official
    form, a notice to another office), whatever the interface language; other threads, e.g.
    the GUI's while a worker renders a form, keep the interface language. Nestable."""
    before = getattr(_thread, "translations", None)
    _thread.translations = _load(OFFICIAL_LANGUAGE)
    try:
        yield
    finally:
        _thread.translations = before


def _(message: str) -> str:
    """Translate `message` into the active language (Chinese inside `official()`)."""
    global _active
    override = getattr(_thread, "translations", None)
    if override is not None:
        return str(override.gettext(message))
    if _active is None:
        _active = _load(_active_language)
    return _active.gettext(message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (translate where shown)."""
    return message
