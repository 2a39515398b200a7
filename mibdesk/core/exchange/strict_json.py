"""JSON as packages carry it: canonical bytes out, strict parsing in.

Canonical: UTF-8, sorted keys, no spaces, Chinese kept as is; the same value always gives
the same bytes, so that hashes and signatures are stable. Strict: no NaN or Infinity, no
duplicate keys, no floats at all (money is integer fen), integers within ±2⁶³, and caps on
size and depth checked before and while parsing.
"""

from __future__ import annotations

import json
from typing import Any

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _

MAX_DEPTH = 32
MAX_INT = 2**63 - 1


def canonical_bytes(value: object) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(_("the key {key!r} appears twice").format(key=key))
        seen[key] = value
    return seen


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


def _depth(data: bytes) -> int:
    """The deepest nesting of brackets outside strings, counted without parsing."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def parse_strict(data: bytes, *, where: str, max_bytes: int) -> Any:
    """Parse `data`, refusing anything loose; ValidationError names `where` and the cause."""
    if len(data) > max_bytes:
        raise ValidationError(
            _("The data is {size} bytes, more than the {limit} allowed.").format(
                size=len(data), limit=max_bytes
            ),
            where=where,
        )
    if _depth(data) > MAX_DEPTH:
        raise ValidationError(
            _("The data is nested more than {depth} levels deep.").format(depth=MAX_DEPTH),
            where=where,
        )
    try:
        text = data.decode("utf-8")
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_float=_no_float,
            parse_int=_bounded_int,
            parse_constant=_no_constant,
        )
    except UnicodeDecodeError:
        raise ValidationError(_("The data is not UTF-8 text."), where=where) from None
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("The data is not valid JSON (line {line}, column {column}).").format(
                line=error.lineno, column=error.colno
            ),
            where=where,
        ) from None
    except (ValueError, RecursionError) as error:
        raise ValidationError(
            _("The data is refused: {detail}.").format(detail=error), where=where
        ) from None
