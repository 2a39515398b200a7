"""JSON as packages carry it: canonical bytes out, strict parsing in.

Canonical: UTF-8, sorted keys, no spaces, Chinese kept as is; the same value always gives
the same bytes, so that hashes and signatures are stable. Strict: no NaN or Infinity, no
duplicate keys, no floats at all (money is integer fen), integers within ±2⁶³, no lone
surrogates; the size is capped before parsing, the nesting depth right after it (json's own
recursion limit, far deeper, ends a hostile nesting early and is refused the same way).
"""

from __future__ import annotations

import json
import re
from typing import Any

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _

MAX_DEPTH = 32
MAX_INT = 2**63 - 1
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def canonical_bytes(value: object) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):  # the rare case: find which key came twice
        seen: set[str] = set()
        for key, _item in pairs:
            if key in seen:
                raise ValueError(_("the key {key!r} appears twice").format(key=key))
            seen.add(key)
    return value


def _no_float(text: str) -> Any:
    raise ValueError(
        _("decimal numbers are not allowed ({text}); money is whole fen").format(text=text[:20])
    )


def _no_constant(text: str) -> Any:
    raise ValueError(_("{text} is not a number").format(text=text))


def _bounded_int(text: str) -> int:
    if len(text) > 20 or abs(value := int(text)) > MAX_INT:
        raise ValueError(_("the number {text} is too large").format(text=text[:24]))
    return value


# One decoder for every parse (json.loads with hooks would build a new one each time).
_DECODER = json.JSONDecoder(
    object_pairs_hook=_no_duplicates,
    parse_float=_no_float,
    parse_int=_bounded_int,
    parse_constant=_no_constant,
)


def _too_deep(value: object) -> bool:
    """Whether containers nest deeper than MAX_DEPTH, walked level by level without
    recursion after parsing. Only containers are kept (the decoder makes plain dicts and
    lists), so this costs little beside the parse and stays linear on hostile input."""
    level: list[Any] = [value] if type(value) is dict or type(value) is list else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return True
        below: list[Any] = []
        for item in level:
            for child in item.values() if type(item) is dict else item:
                if type(child) is dict or type(child) is list:
                    below.append(child)
        level = below
    return False


def _check_encodable(value: object) -> None:
    """A `\\ud800` escape on its own decodes to a lone surrogate, which no UTF-8 text (a
    database row, a package) can hold: refused here rather than failing half-way later."""
    try:
        canonical_bytes(value)
    except UnicodeEncodeError:
        raise ValueError(_("the text holds an invalid character (a lone surrogate)")) from None


def parse_strict(data: bytes, *, where: str, max_bytes: int) -> Any:
    """Parse `data`, refusing anything loose; ValidationError names `where` and the cause."""
    if len(data) > max_bytes:
        raise ValidationError(
            _("The data is {size} bytes, more than the {limit} allowed.").format(
                size=len(data), limit=max_bytes
            ),
            where=where,
        )
    try:
        text = data.decode("utf-8")
        value = _DECODER.decode(text)
        deep = _too_deep(value)
        if not deep and _SURROGATE_ESCAPE.search(text):
            _check_encodable(value)
    except RecursionError:  # json gives up far deeper than our cap: the same refusal
        deep = True
    except UnicodeDecodeError:
        raise ValidationError(_("The data is not UTF-8 text."), where=where) from None
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("The data is not valid JSON (line {line}, column {column}).").format(
                line=error.lineno, column=error.colno
            ),
            where=where,
        ) from None
    except ValueError as error:
        raise ValidationError(
            _("The data is refused: {detail}.").format(detail=error), where=where
        ) from None
    if deep:
        raise ValidationError(
            _("The data is nested more than {depth} levels deep.").format(depth=MAX_DEPTH),
            where=where,
        )
    return value
