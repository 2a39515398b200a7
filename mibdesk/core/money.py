"""Money as an integer number of fen (分); `Decimal` only at the edges, never `float`.

Accepted amount text (`parse_yuan`), after trimming surrounding whitespace (full-width too):

* an optional sign ``-`` or ``－`` and an optional currency sign ``¥``/``￥`` in either order
  (``-¥12.50``, ``¥-12.50``); a space may follow the currency sign; ``+`` is not accepted;
* digits ``0-9`` or full-width ``０-９`` (other Unicode digits are refused);
* an integer part of at least one digit, either plain (leading zeros allowed: ``007``) or
  grouped by thousands with ``,`` or ``，`` in correct 3-digit groups (``1,234,567``);
* optionally a point ``.`` or ``．`` followed by one or two digits (``12.`` and ``.5`` are
  refused; ``1.230`` is refused as having more than two decimals);
* magnitude below `MAX_YUAN` yuan.

Everything else is refused with a `ValidationError` carrying `where`: empty text, letters,
exponents (``1e3``), ``NaN``/``Infinity``, formulas (``=1+2``), spaces inside the number.
A `float` or `bool` is a programming error and raises `TypeError`: floats cannot hold fen
exactly. An `int` means whole yuan. A `Decimal` is accepted when finite, in range, and a whole
number of fen in value (``Decimal("1.230")`` is 1.23 yuan: its exponent is representation,
not something a user typed).

Computed amounts (base × rate) are rounded with ROUND_HALF_UP: halves away from zero.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _

MAX_YUAN = 10**12
"""Amounts with |yuan| >= MAX_YUAN are refused."""
MAX_FEN = MAX_YUAN * 100
MAX_COUNT = 10**9
"""Head counts must be below MAX_COUNT."""

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－￥", "0123456789.,-¥")
_AMOUNT = re.compile(
    r"(?P<sign1>-)?(?:¥\s*)?(?P<sign2>-)?(?P<int>[0-9][0-9,]*)(?:\.(?P<frac>[0-9]*))?",
    re.ASCII,
)
_COUNT = re.compile(r"[0-9][0-9,]*", re.ASCII)
_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+", re.ASCII)
_SHOWN_CHARS = 40
_MAX_MAGNITUDE = 40
"""Computations refuse Decimals beyond 10**±40: no amount or rate is near that."""


def parse_yuan(text: str | Decimal | int, *, where: str = "") -> int:
    """Parse an amount in yuan (see the module docstring for accepted forms) into fen."""
    if isinstance(text, bool) or not isinstance(text, str | Decimal | int):
        raise TypeError(f"amount must be str, Decimal or int, not {type(text).__name__}")
    if isinstance(text, Decimal):
        return _decimal_to_fen(text, where)
    if isinstance(text, int):
        return _checked_fen(text * 100, str(text), where)
    normal = text.strip().translate(_FULL_WIDTH)
    if not normal:
        raise ValidationError(_("Amount is empty"), where=where)
    match = _AMOUNT.fullmatch(normal)
    if match is None or (match["sign1"] and match["sign2"]):
        raise ValidationError(_("Not an amount: {text}").format(text=_shown(text)), where=where)
    frac = match["frac"]
    if frac == "":
        raise ValidationError(
            _("No digits after the point: {text}").format(text=_shown(text)), where=where
        )
    if frac is not None and len(frac) > 2:
        raise ValidationError(
            _("Amount has more than two decimals: {text}").format(text=_shown(text)), where=where
        )
    yuan = _whole_number(match["int"], text, where)
    fen = yuan * 100 + int((frac or "").ljust(2, "0"))
    return _checked_fen(-fen if match["sign1"] or match["sign2"] else fen, text, where)


def parse_count(text: str | int, *, where: str = "") -> int:
    """Parse a head count: whole persons, 0 <= n < MAX_COUNT, no sign, no decimals.

    Digits and thousands separators follow the rules of `parse_yuan`; ``12.0`` is refused.
    """
    if isinstance(text, bool) or not isinstance(text, str | int):
        raise TypeError(f"count must be str or int, not {type(text).__name__}")
    if isinstance(text, str):
        normal = text.strip().translate(_FULL_WIDTH)
        if not normal:
            raise ValidationError(_("Number of persons is empty"), where=where)
        if _COUNT.fullmatch(normal) is None:
            raise ValidationError(
                _("Not a whole number of persons: {text}").format(text=_shown(text)), where=where
            )
        count = _whole_number(normal, text, where)
    else:
        count = text
    if count < 0:
        raise ValidationError(
            _("Number of persons cannot be negative: {text}").format(text=count), where=where
        )
    if count >= MAX_COUNT:
        raise ValidationError(
            _("Number of persons is too large: {text}").format(text=_shown(str(text))), where=where
        )
    return count


def format_fen(fen: int, *, grouping: bool = True) -> str:
    """Yuan with exactly two decimals: ``1,234.56``, ``-0.05``, ``0.00`` (any int)."""
    _require_int(fen)
    yuan, cents = divmod(abs(fen), 100)
    whole = f"{yuan:,}" if grouping else str(yuan)
    return f"{'-' if fen < 0 else ''}{whole}.{cents:02d}"


def format_count(n: int) -> str:
    """A count with thousands separators: ``12,345``."""
    _require_int(n)
    return f"{n:,}"


def fen_to_decimal(fen: int) -> Decimal:
    """The amount in yuan as an exact Decimal with two places: 12345 → Decimal("123.45")."""
    _require_int(fen)
    return Decimal(fen).scaleb(-2)


def round_to_fen(value: Decimal) -> int:
    """A computed amount in yuan rounded half-up (away from zero) to whole fen.

    Exact whatever the Decimal context precision: Decimal("0.005") → 1, Decimal("-0.005") → -1.
    ValueError for NaN, Infinity, or a magnitude beyond 10**±40.
    """
    return _round_half_up(_exact(value) * 100)


def apply_rate(fen: int, rate: Decimal) -> int:
    """`fen` × `rate`, rounded half-up (away from zero) to whole fen; exact arithmetic."""
    _require_int(fen)
    return _round_half_up(fen * _exact(rate))


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_SECTIONS = ("", "万", "亿")


def daxie(fen: int) -> str:
    """The amount in capital numerals as written on Chinese bills and vouchers.

    Follows 《正确填写票据和结算凭证的基本规定》: ``壹拾`` for 10–19 yuan; one ``零`` for a run
    of zeros inside the number, none at the end of a 万/亿 section (107000 → 壹拾万柒仟);
    ``整`` after 元 only; ``元零`` before the 角 when the yuan digit is 0 (1680.32 →
    壹仟陆佰捌拾元零叁角贰分) and before the 分 when the 角 is 0 (325.04 → 叁佰贰拾伍元零肆分);
    below one yuan no 元 (0.05 → 伍分); 0 → 零元整; negatives start with 负.
    Raises ValueError when |fen| >= MAX_FEN.
    """
    _require_int(fen)
    if abs(fen) >= MAX_FEN:
        raise ValueError(f"amount out of range for daxie: {fen} fen")
    if fen == 0:
        return "零元整"
    yuan, cents = divmod(abs(fen), 100)
    jiao, fen_digit = divmod(cents, 10)
    parts = ["负" if fen < 0 else ""]
    if yuan:
        parts.append(_integer_daxie(yuan) + "元")
        if jiao == 0 and fen_digit == 0:
            parts.append("整")
        elif jiao == 0 or yuan % 10 == 0:
            parts.append("零")
    if jiao:
        parts.append(_DIGITS[jiao] + "角")
    if fen_digit:
        parts.append(_DIGITS[fen_digit] + "分")
    return "".join(parts)


def _integer_daxie(number: int) -> str:
    """0 < number < 10**12 in capitals, without the unit 元."""
    out: list[str] = []
    pending_zero = False
    for section_index in range(len(_SECTIONS) - 1, -1, -1):
        section = number // 10 ** (4 * section_index) % 10**4
        if section == 0:
            pending_zero = bool(out)
            continue
        for place in range(3, -1, -1):
            digit = section // 10**place % 10
            if digit == 0:
                pending_zero = bool(out)
                continue
            if pending_zero:
                out.append("零")
                pending_zero = False
            out.append(_DIGITS[digit] + _PLACES[place])
        out.append(_SECTIONS[section_index])
        pending_zero = False  # zeros at the end of a section are not read
    return "".join(out)


def _whole_number(digits: str, text: str, where: str) -> int:
    """The value of ASCII `digits` that may carry correctly grouped thousands separators."""
    if "," in digits:
        if _GROUPED.fullmatch(digits) is None:
            raise ValidationError(
                _("Thousands separators must group digits by three: {text}").format(
                    text=_shown(text)
                ),
                where=where,
            )
        digits = digits.replace(",", "")
    significant = digits.lstrip("0")
    if len(significant) > 12:  # also keeps int() far from its string-length limit
        raise ValidationError(
            _("Number is too large: {text}").format(text=_shown(text)), where=where
        )
    return int(significant or "0")


def _decimal_to_fen(value: Decimal, where: str) -> int:
    if not value.is_finite():
        raise ValidationError(_("Not an amount: {text}").format(text=value), where=where)
    if value and value.adjusted() >= 12:  # checked before any arithmetic on a huge exponent
        raise ValidationError(_("Amount is too large: {text}").format(text=value), where=where)
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    coefficient = int("".join(map(str, digits)))
    if coefficient == 0:
        return 0
    while exponent < -2 and coefficient % 10 == 0:
        coefficient //= 10
        exponent += 1
    if exponent < -2:
        raise ValidationError(
            _("Amount has more than two decimals: {text}").format(text=value), where=where
        )
    fen = coefficient * 10 ** (exponent + 2)
    return _checked_fen(-fen if sign else fen, str(value), where)


def _checked_fen(fen: int, text: str, where: str) -> int:
    if abs(fen) >= MAX_FEN:
        raise ValidationError(
            _("Amount is too large: {text}").format(text=_shown(text)), where=where
        )
    return fen


def _exact(value: Decimal) -> Fraction:
    if not isinstance(value, Decimal):
        raise TypeError(f"expected Decimal, not {type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"not a finite amount: {value}")
    if value and abs(value.adjusted()) > _MAX_MAGNITUDE:  # 10**huge would never finish
        raise ValueError(f"amount out of range: {value}")
    return Fraction(value)


def _round_half_up(value: Fraction) -> int:
    whole, rest = divmod(abs(value.numerator), value.denominator)
    if 2 * rest >= value.denominator:
        whole += 1
    return -whole if value < 0 else whole


def _require_int(value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected int, not {type(value).__name__}")


def _shown(text: str) -> str:
    """User text quoted in a message, cut short so a pasted page cannot flood the dialog."""
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…"
