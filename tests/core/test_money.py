"""Money: integer fen, strict parsing, formatting, rounding and capital numerals (大写)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mibdesk.core.errors import ValidationError
from mibdesk.core.money import (
    MAX_COUNT,
    MAX_FEN,
    MAX_YUAN,
    apply_rate,
    daxie,
    fen_to_decimal,
    format_count,
    format_fen,
    parse_count,
    parse_yuan,
    round_to_fen,
)

fens = st.integers(min_value=-(MAX_FEN - 1), max_value=MAX_FEN - 1)
FULL_WIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


def test_limits() -> None:
    assert MAX_YUAN == 10**12
    assert MAX_FEN == 10**14


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("0", 0),
        ("0.00", 0),
        ("-0.00", 0),
        ("12", 1200),
        ("12.5", 1250),
        ("12.05", 1205),
        ("007", 700),
        ("-0.01", -1),
        ("1,234.56", 123456),
        ("1,234,567.89", 123456789),
        ("  1234.56\t", 123456),
        ("\u30001234.56\u3000", 123456),
        ("１２３４．５６", 123456),
        ("１，２３４．５６", 123456),
        ("－１２．３０", -1230),
        ("¥12.30", 1230),
        ("￥1,000", 100000),
        ("¥ 5", 500),
        ("-¥12.30", -1230),
        ("¥-12.30", -1230),
        ("999,999,999,999.99", MAX_FEN - 1),
        ("-999999999999.99", -(MAX_FEN - 1)),
    ],
)
def test_parse_yuan_accepts(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "1.234",
        "1.230",
        "0.001",
        "abc",
        "12元",
        "1e3",
        "1E3",
        "NaN",
        "nan",
        "Infinity",
        "-inf",
        "=1+2",
        "=SUM(A1:A3)",
        "1+2",
        "+5",
        "--5",
        "-¥-5",
        ".5",
        "12.",
        "1 234",
        "1_234",
        "1,23",
        "12,34,567",
        "1234,567",
        "0,123",
        ",123",
        "1,234.",
        "1.2.3",
        "(12.00)",
        "٣",  # Arabic-Indic digit: int() would take it, we do not
        "1000000000000",
        "1,000,000,000,000.00",
        "-1000000000000",
        "9" * 5000,  # also beyond int()'s string-length limit
    ],
)
def test_parse_yuan_refuses(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_yuan(text, where="row 3, 住院")
    assert caught.value.where == "row 3, 住院"


def test_parse_yuan_message_quotes_long_input_briefly() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_yuan("x" * 10_000)
    assert len(caught.value.message) < 200


def test_parse_yuan_int_is_whole_yuan() -> None:
    assert parse_yuan(0) == 0
    assert parse_yuan(12) == 1200
    assert parse_yuan(-(MAX_YUAN - 1)) == -(MAX_FEN - 100)
    with pytest.raises(ValidationError):
        parse_yuan(MAX_YUAN)


@pytest.mark.parametrize(
    ("value", "fen"),
    [
        (Decimal("12.34"), 1234),
        (Decimal("1.230"), 123),
        (Decimal("-0.01"), -1),
        (Decimal("1E+3"), 100000),
        (Decimal("0E+999999999"), 0),
        (Decimal("-0"), 0),
        (Decimal("999999999999.99"), MAX_FEN - 1),
    ],
)
def test_parse_yuan_decimal(value: Decimal, fen: int) -> None:
    assert parse_yuan(value) == fen


@pytest.mark.parametrize(
    "value",
    [
        Decimal("1.234"),
        Decimal("1E-999999999"),
        Decimal("1E+999999999"),
        Decimal("1E+12"),
        Decimal("NaN"),
        Decimal("sNaN"),
        Decimal("Infinity"),
        Decimal("-Infinity"),
    ],
)
def test_parse_yuan_refuses_decimal(value: Decimal) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_yuan(value, where="cell B7")
    assert caught.value.where == "cell B7"


@pytest.mark.parametrize("value", [1.5, 0.0, float("nan"), True, False, None, b"12", [12]])
def test_parse_yuan_refuses_other_types(value: object) -> None:
    with pytest.raises(TypeError):
        parse_yuan(value)  # type: ignore[arg-type]


@given(fens)
def test_format_parse_round_trip(fen: int) -> None:
    assert parse_yuan(format_fen(fen)) == fen
    assert parse_yuan(format_fen(fen, grouping=False)) == fen
    assert parse_yuan(format_fen(fen).translate(FULL_WIDTH)) == fen
    assert parse_yuan(f" ￥{format_fen(fen)} ") == fen
    assert parse_yuan(fen_to_decimal(fen)) == fen


@given(fens)
def test_format_fen_shape(fen: int) -> None:
    text = format_fen(fen, grouping=False)
    assert text.replace("-", "").replace(".", "").isdigit()
    assert text[-3] == "."
    assert format_fen(fen).replace(",", "") == text


@pytest.mark.parametrize(
    ("fen", "grouped", "plain"),
    [
        (0, "0.00", "0.00"),
        (-5, "-0.05", "-0.05"),
        (-1, "-0.01", "-0.01"),
        (5, "0.05", "0.05"),
        (123456, "1,234.56", "1234.56"),
        (100000, "1,000.00", "1000.00"),
        (-123456789, "-1,234,567.89", "-1234567.89"),
        (MAX_FEN - 1, "999,999,999,999.99", "999999999999.99"),
        (-(MAX_FEN - 1), "-999,999,999,999.99", "-999999999999.99"),
    ],
)
def test_format_fen(fen: int, grouped: str, plain: str) -> None:
    assert format_fen(fen) == grouped
    assert format_fen(fen, grouping=False) == plain


@pytest.mark.parametrize("value", [1.5, True, Decimal("1")])
def test_formatting_refuses_non_int(value: object) -> None:
    with pytest.raises(TypeError):
        format_fen(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        daxie(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("0", 0),
        ("12", 12),
        ("12,345", 12345),
        ("１２，３４５", 12345),
        (" 7 ", 7),
        ("999999999", 10**9 - 1),
    ],
)
def test_parse_count_accepts(text: str, count: int) -> None:
    assert parse_count(text) == count


@pytest.mark.parametrize(
    "text",
    ["", "12.0", "12.5", "-1", "－1", "1,23", "¥12", "1e3", "abc", "1000000000", "1,000,000,000"],
)
def test_parse_count_refuses(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_count(text, where="乡镇 A, 成年居民")
    assert caught.value.where == "乡镇 A, 成年居民"


def test_parse_count_int() -> None:
    assert parse_count(0) == 0
    assert parse_count(MAX_COUNT - 1) == MAX_COUNT - 1
    for bad in (-1, MAX_COUNT):
        with pytest.raises(ValidationError):
            parse_count(bad)
    for wrong in (12.0, True, Decimal("12")):
        with pytest.raises(TypeError):
            parse_count(wrong)  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=MAX_COUNT - 1))
def test_count_round_trip(n: int) -> None:
    assert parse_count(format_count(n)) == n
    assert parse_count(str(n)) == n


def test_format_count() -> None:
    assert format_count(0) == "0"
    assert format_count(12345) == "12,345"
    assert format_count(1234567) == "1,234,567"


def test_fen_to_decimal() -> None:
    assert fen_to_decimal(12345) == Decimal("123.45")
    assert str(fen_to_decimal(12345)) == "123.45"
    assert str(fen_to_decimal(0)) == "0.00"
    assert str(fen_to_decimal(-5)) == "-0.05"


@pytest.mark.parametrize(
    ("value", "fen"),
    [
        (Decimal("0.005"), 1),
        (Decimal("0.0049999"), 0),
        (Decimal("-0.005"), -1),
        (Decimal("-0.0049"), 0),
        (Decimal("1234.565"), 123457),
        (Decimal("1234.5649"), 123456),
        (Decimal("12"), 1200),
        (Decimal("1E-30"), 0),
        (Decimal("0E-100"), 0),
    ],
)
def test_round_to_fen(value: Decimal, fen: int) -> None:
    assert round_to_fen(value) == fen


def test_round_to_fen_ignores_context_precision() -> None:
    value = Decimal("123456789012.345")  # 15 digits
    with localcontext() as context:
        context.prec = 5
        assert round_to_fen(value) == 12345678901235


@pytest.mark.parametrize(
    "value", [Decimal("NaN"), Decimal("Infinity"), Decimal("1E+999999999"), Decimal("1E-999999999")]
)
def test_round_to_fen_refuses_non_finite_or_absurd(value: Decimal) -> None:
    with pytest.raises(ValueError):
        round_to_fen(value)


def test_round_to_fen_refuses_float() -> None:
    with pytest.raises(TypeError):
        round_to_fen(0.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fen", "rate", "result"),
    [
        # Employer payroll 1,234,567.89 yuan at 7.4 %: 91,358.02386 → 91,358.02
        (123456789, Decimal("0.074"), 9135802),
        # Employee wage 5,025.25 yuan at 2 %: 100.505 → 100.51 (half up)
        (502525, Decimal("0.02"), 10051),
        (-502525, Decimal("0.02"), -10051),
        (100, Decimal("0.005"), 1),  # 0.5 fen → 1
        (100, Decimal("0.0049"), 0),
        (12345, Decimal("1"), 12345),
        (12345, Decimal("0"), 0),
        (MAX_FEN - 1, Decimal("0.09"), 9_000_000_000_000),  # 8,999,999,999,999.91 fen
    ],
)
def test_apply_rate(fen: int, rate: Decimal, result: int) -> None:
    assert apply_rate(fen, rate) == result


def test_apply_rate_refuses_float_and_nan() -> None:
    with pytest.raises(TypeError):
        apply_rate(100, 0.02)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        apply_rate(100, Decimal("NaN"))


@given(fens, st.decimals(min_value=-2, max_value=2, places=6, allow_nan=False))
def test_apply_rate_matches_decimal_half_up(fen: int, rate: Decimal) -> None:
    with localcontext() as context:
        context.prec = 60
        expected = (Decimal(fen) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert apply_rate(fen, rate) == int(expected)


@pytest.mark.parametrize(
    ("yuan", "capitals"),
    [
        # The worked examples of 《正确填写票据和结算凭证的基本规定》
        ("1409.50", "壹仟肆佰零玖元伍角"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
        ("107000.53", "壹拾万柒仟元零伍角叁分"),
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        ("100.00", "壹佰元整"),
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("0.50", "伍角"),
        ("0.53", "伍角叁分"),
        ("10", "壹拾元整"),
        ("16", "壹拾陆元整"),
        ("110", "壹佰壹拾元整"),
        ("100700", "壹拾万零柒佰元整"),
        ("100010.01", "壹拾万零壹拾元零壹分"),
        ("1000000", "壹佰万元整"),
        ("100000000.00", "壹亿元整"),
        ("100007000", "壹亿零柒仟元整"),
        ("1000000000", "壹拾亿元整"),
        ("200000000000.10", "贰仟亿元零壹角"),
        ("-5.50", "负伍元伍角"),
        ("-0.05", "负伍分"),
        ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_daxie(yuan: str, capitals: str) -> None:
    assert daxie(parse_yuan(yuan)) == capitals


def test_daxie_out_of_range() -> None:
    for fen in (MAX_FEN, -MAX_FEN):
        with pytest.raises(ValueError):
            daxie(fen)


@given(fens)
def test_daxie_shape(fen: int) -> None:
    text = daxie(fen)
    assert text.startswith("负") == (fen < 0)
    assert "零零" not in text
    assert text.endswith(("整", "角", "分"))
    assert text.endswith("整") == (fen % 100 == 0)
    assert set(text) <= set("负零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
