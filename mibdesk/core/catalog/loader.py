"""Reading and writing policy profiles: bundled files, city updates, canonical JSON.

- `list_profiles()` / `load_profile(id)`: the bundled profiles in `resources/profiles/`,
  validated once and cached (profiles are immutable).
- `parse_profile(text, where=...)`: a profile arriving as text (a city's package); `where`
  names the file in every error.
- `profile_to_json(profile)`: the canonical text; `parse_profile(profile_to_json(p)) == p`,
  and every bundled file is exactly the canonical text of its profile.

A bad profile raises a `ProfileError` subclass whose `where` is the file: `ProfileSyntaxError`
(not JSON; `line`, `column`) or `ProfileFieldError` (`field` is the path, e.g.
``schemes[1].lines[4].sum_of``, and the message says what is wrong).
"""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from mibdesk.core.catalog.checks import ProfileFieldError
from mibdesk.core.catalog.profile import FORMAT_VERSION, Profile
from mibdesk.core.errors import ProfileError
from mibdesk.core.i18n import N_, _
from mibdesk.core.resources import resource_path

log = logging.getLogger(__name__)

MAX_PROFILE_CHARS = 2_000_000
"""A profile larger than this is refused before parsing (a few hundred KB is typical)."""
JSON_WIDTH = 140
"""Canonical JSON puts an object or list on one line when it fits in this many characters."""

_PROFILE_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_PATTERN_HINTS = {
    r"^[0-9]{6}$": N_("must be the 6-digit administrative division code, e.g. 330600"),
    r"^[a-z][a-z0-9_]{0,39}$": N_(
        "must be lowercase letters, digits and _, starting with a letter"
    ),
    r"^[A-Z][A-Z0-9_]{0,39}$": N_("must be capital letters, digits and _, starting with a letter"),
}


class ProfileSyntaxError(ProfileError):
    """A profile that is not valid JSON; `line` and `column` are 1-based."""

    def __init__(self, message: str, *, line: int, column: int, where: str = "") -> None:
        super().__init__(message, where=where)
        self.line = line
        self.column = column


@dataclass(frozen=True)
class ProfileSummary:
    """What a profile picker shows."""

    id: str
    name: str
    version: int


def profiles_dir() -> Path:
    """The folder of bundled profiles."""
    return resource_path("profiles")


def list_profiles() -> list[ProfileSummary]:
    """The bundled profiles, by id; ProfileError if one of them is broken."""
    return [
        ProfileSummary(profile.id, profile.name, profile.version)
        for profile in (load_profile(path.stem) for path in sorted(profiles_dir().glob("*.json")))
    ]


@functools.cache
def load_profile(profile_id: str) -> Profile:
    """The bundled profile `profile_id` (the file stem), validated; cached."""
    where = f"profiles/{profile_id}.json"
    if not _PROFILE_ID.match(profile_id):
        raise ProfileError(_("there is no policy profile with this name"), where=profile_id)
    path = profiles_dir() / f"{profile_id}.json"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ProfileError(_("there is no policy profile with this name"), where=where) from None
    except (OSError, UnicodeDecodeError) as error:
        log.warning("cannot read profile %s: %r", path, error)
        raise ProfileError(_("the file cannot be read as UTF-8 text"), where=where) from None
    profile = parse_profile(text, where=where)
    if profile.id != profile_id:
        raise ProfileFieldError(
            _("must be the file name without .json ({stem})").format(stem=profile_id),
            field="id",
            where=where,
        )
    return profile


def clear_cache() -> None:
    """Forget loaded profiles (after bundled files change, e.g. in tests)."""
    load_profile.cache_clear()


class _DuplicateKeyError(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def parse_profile(text: str, *, where: str) -> Profile:
    """Parse and validate a profile; a ProfileError naming `where` if it is refused."""
    if len(text) > MAX_PROFILE_CHARS:
        raise ProfileError(_("the file is too large to be a policy profile"), where=where)
    text = text.removeprefix("\ufeff")
    try:
        data = json.loads(
            text, object_pairs_hook=_refuse_duplicates, parse_constant=_refuse_constant
        )
    except json.JSONDecodeError as error:
        log.info("profile %s is not JSON: %s", where, error)
        raise ProfileSyntaxError(
            _("not valid JSON at line {line}, column {column}").format(
                line=error.lineno, column=error.colno
            ),
            line=error.lineno,
            column=error.colno,
            where=where,
        ) from None
    except _DuplicateKeyError as error:
        raise ProfileFieldError(
            _("the key appears twice in the same object"), field=error.key, where=where
        ) from None
    except (ValueError, RecursionError) as error:
        log.info("profile %s refused while parsing: %r", where, error)
        raise ProfileError(_("the file is not a policy profile"), where=where) from None
    version = data.get("format_version") if isinstance(data, dict) else None
    if type(version) is int and version > FORMAT_VERSION:
        raise ProfileFieldError(
            _("format {found} is newer than this program reads ({known}); update mibdesk").format(
                found=version, known=FORMAT_VERSION
            ),
            field="format_version",
            where=where,
        )
    try:
        return Profile.model_validate_json(text, strict=True)
    except ValidationError as error:
        log.info("profile %s refused: %s", where, error)
        raise _field_error(error, where) from None
    except ProfileFieldError as error:
        log.info("profile %s refused: %s", where, error)
        raise error.at(where) from None


def profile_to_json(profile: Profile) -> str:
    """The canonical JSON text of `profile` (fields at their defaults left out)."""
    data = profile.model_dump(mode="json", exclude_defaults=True)
    return _format(data, 0) + "\n"


def _format(value: Any, depth: int) -> str:
    compact = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if not isinstance(value, dict | list) or not value:
        return compact
    if 2 * depth + len(compact) <= JSON_WIDTH:
        return compact
    pad = "  " * (depth + 1)
    if isinstance(value, dict):
        items = [
            f"{pad}{json.dumps(key, ensure_ascii=False)}: {_format(item, depth + 1)}"
            for key, item in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + "  " * depth + "}"
    items = [f"{pad}{_format(item, depth + 1)}" for item in value]
    return "[\n" + ",\n".join(items) + "\n" + "  " * depth + "]"


def field_path(loc: tuple[int | str, ...]) -> str:
    """A pydantic location as a path: ("schemes", 1, "lines") → "schemes[1].lines"."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part != "[key]":
            path += f".{part}" if path else part
    return path


def _field_error(error: ValidationError, where: str) -> ProfileFieldError:
    errors = error.errors()
    first = errors[0]
    problem = describe_error(first)
    if len(errors) > 1:
        problem += _(" (and {count} more problems)").format(count=len(errors) - 1)
    return ProfileFieldError(problem, field=field_path(first["loc"]), where=where)


_TYPE_NAMES = {
    "int": N_("must be a whole number"),
    "string": N_("must be text in quotes"),
    "bool": N_("must be true or false"),
    "decimal": N_('must be a decimal written as text, e.g. "0.074"'),
    "tuple": N_("must be a list [ … ]"),
    "list": N_("must be a list [ … ]"),
    "dict": N_("must be an object { … }"),
    "model": N_("must be an object { … }"),
    "mapping": N_("must be an object { … }"),
}
_BOUNDS = {
    "greater_than": ("gt", N_("must be greater than {limit}")),
    "greater_than_equal": ("ge", N_("must be at least {limit}")),
    "less_than": ("lt", N_("must be less than {limit}")),
    "less_than_equal": ("le", N_("must be at most {limit}")),
}


def describe_error(error: ErrorDetails) -> str:
    """A short translated message for one pydantic error (no pydantic English)."""
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    message = _describe(kind, ctx)
    if error["loc"] and error["loc"][-1] == "[key]":
        message = _("key: {problem}").format(problem=message)
    return message


def _describe(kind: str, ctx: dict[str, Any]) -> str:
    if kind == "missing":
        return _("missing")
    if kind == "extra_forbidden":
        return _("is not a field of the profile format (misspelt?)")
    if kind == "value_error":
        return str(ctx.get("error", "")) or _("is not valid")
    if kind == "literal_error":
        choices = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return _("must be one of {choices}").format(choices=choices)
    if kind in _BOUNDS:
        key, message = _BOUNDS[kind]
        return _(message).format(limit=ctx.get(key))
    if kind == "string_too_short":
        return _("must not be empty")
    if kind == "string_too_long":
        return _("is too long (at most {limit} characters)").format(limit=ctx.get("max_length"))
    if kind == "too_short":
        return _("must have at least {limit} entries").format(limit=ctx.get("min_length"))
    if kind == "too_long":
        return _("must have at most {limit} entries").format(limit=ctx.get("max_length"))
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(str(ctx.get("pattern")))
        return _(hint) if hint else _("has the wrong form")
    if kind == "finite_number":
        return _("must be a finite number")
    if kind in ("int_from_float", "int_parsing"):
        whole_number = _TYPE_NAMES["int"]
        return _(whole_number)
    if kind.endswith(("_type", "_parsing")):
        name = _TYPE_NAMES.get(kind.rsplit("_", 1)[0])
        if name:
            return _(name)
        return _("has the wrong type")
    if kind == "json_invalid":
        return _("is not valid JSON")
    return _("is not valid")
