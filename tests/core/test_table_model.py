"""The Qt-free table model: cells, formatting by kind, editing, problems (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mibdesk.core.errors import ValidationError
from mibdesk.core.money import MAX_COUNT, MAX_FEN
from mibdesk.core.table import (
    Cell,
    Column,
    Issue,
    ListTableModel,
    Problem,
    TableModel,
    collect_problems,
    format_value,
    parse_value,
)


@dataclass(frozen=True)
class Line:
    name: str
    persons: int | None
    paid: int | None
    budget: int
    due: date | None = None

    def __post_init__(self) -> None:
        if self.paid is not None and self.paid > 10**9:
            raise ValidationError("too much")

    @property
    def remaining(self) -> int:
        return self.budget - (self.paid or 0)

    @property
    def used(self) -> Fraction:
        return Fraction(self.paid or 0, self.budget)


COLUMNS = (
    Column("name", "项目", "text"),
    Column("persons", "人次", "count", editable=True),
    Column("paid", "支出", "fen", editable=True),
    Column("remaining", "结余", "fen", editable=True),  # a property: computed whatever it says
    Column("used", "执行率", "percent"),
    Column("due", "截止日期", "date", editable=True),
)


def check(line: Line) -> dict[str, Issue]:
    if line.remaining < 0:
        return {"paid": ("over budget", "hard"), "remaining": ("negative", "soft")}
    return {}


def make_model(check_rows: bool = True) -> ListTableModel[Line]:
    rows = [
        Line("门诊", 12345, 123456, 200000, date(2024, 5, 31)),
        Line("住院", None, None, 100000),
    ]
    return ListTableModel(COLUMNS, rows, check=check if check_rows else None)


def test_list_model_is_a_table_model() -> None:
    model: TableModel = make_model()
    assert [c.key for c in model.columns] == [c.key for c in COLUMNS]
    assert model.row_count() == 2


def test_cells_are_formatted_by_kind() -> None:
    model = make_model()
    shown = [model.cell(0, col).display for col in range(len(COLUMNS))]
    assert shown == ["门诊", "12,345", "1,234.56", "765.44", "61.73%", "2024-05-31"]
    assert model.cell(0, 2).value == 123456
    assert [model.cell(1, col).display for col in (1, 2, 5)] == ["", "", ""]


def test_properties_are_computed_and_read_only() -> None:
    model = make_model()
    computed = [col for col in range(6) if model.cell(0, col).computed]
    editable = [col for col in range(6) if model.is_editable(0, col)]
    assert (computed, editable) == ([3, 4], [1, 2, 5])


def test_set_text_stores_and_recomputes() -> None:
    model = make_model()
    assert model.set_text(1, 2, "500.5") is None
    assert model.rows[1].paid == 50050
    assert model.cell(1, 3).display == "499.50"  # remaining follows paid
    assert model.set_text(1, 1, "７") is None  # full-width digits, as IMEs type them
    assert model.rows[1].persons == 7


@pytest.mark.parametrize(("col", "text"), [(1, "1.5"), (2, "abc"), (2, "1.234"), (5, "2024-02-30")])
def test_invalid_text_changes_nothing(col: int, text: str) -> None:
    model = make_model()
    before = model.rows
    error = model.set_text(0, col, text)
    assert isinstance(error, str) and error
    assert model.rows == before


def test_read_only_cells_refuse_text() -> None:
    model = make_model()
    assert model.set_text(0, 0, "x")
    assert model.set_text(0, 3, "1.00")
    assert model.rows == make_model().rows


def test_row_validation_is_reported_as_an_error() -> None:
    model = make_model()
    assert model.set_text(0, 2, "99,999,999.99")  # Line.__post_init__ refuses it
    assert model.rows[0].paid == 123456


def test_empty_text_clears() -> None:
    model = make_model()
    for col in (1, 2, 5):
        assert model.set_text(0, col, "  ") is None
        assert model.cell(0, col).value is None
        assert model.cell(0, col).display == ""


def test_display_text_round_trips() -> None:
    model = make_model()
    before = model.rows
    for col in (1, 2, 5):
        assert model.set_text(0, col, model.cell(0, col).display) is None
    assert model.rows == before


def test_problems_show_in_cells_and_in_the_list() -> None:
    model = make_model()
    assert collect_problems(model) == []
    assert model.set_text(1, 2, "1,500.00") is None  # over the 1,000.00 budget
    paid, remaining = model.cell(1, 2), model.cell(1, 3)
    assert (paid.severity, remaining.severity) == ("hard", "soft")
    assert paid.problem and remaining.problem
    assert collect_problems(model) == [
        Problem(1, 2, paid.problem, "hard"),
        Problem(1, 3, remaining.problem, "soft"),
    ]
    assert model.set_text(1, 2, "") is None
    assert collect_problems(model) == []


def test_replace_rows() -> None:
    model = make_model()
    model.set_text(1, 2, "1,500.00")
    model.replace_rows([Line("药店", 1, 100, 100)])
    assert model.row_count() == 1
    assert model.cell(0, 0).display == "药店"
    assert collect_problems(model) == []


def test_cell_problem_and_severity_go_together() -> None:
    with pytest.raises(ValueError):
        Cell(1, "1", problem="why")
    with pytest.raises(ValueError):
        Cell(1, "1", severity="hard")
    assert Cell(1, "1", problem="why", severity="soft").severity == "soft"


def test_column_numeric() -> None:
    assert [Column("k", "t", kind).numeric for kind in ("fen", "count", "percent")] == [True] * 3
    assert not any(Column("k", "t", kind).numeric for kind in ("text", "date", "datetime"))


@pytest.mark.parametrize(
    ("kind", "value", "shown"),
    [
        ("fen", -5, "-0.05"),
        ("count", 1234567, "1,234,567"),
        ("percent", Decimal("0.12345"), "12.35%"),
        ("percent", 1, "100.00%"),
        ("percent", Fraction(1, 3), "33.33%"),
        ("date", datetime(2024, 1, 2, 3, 4), "2024-01-02"),
        ("datetime", datetime(2024, 1, 2, 3, 4, 5), "2024-01-02 03:04"),
        ("text", 12, "12"),
    ],
)
def test_format_value(kind: str, value: object, shown: str) -> None:
    assert format_value(kind, value) == shown  # type: ignore[arg-type]


@pytest.mark.parametrize(("kind", "value"), [("fen", "1.00"), ("count", 1.0), ("date", "x")])
def test_format_value_refuses_wrong_types(kind: str, value: object) -> None:
    with pytest.raises(TypeError):
        format_value(kind, value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        ("text", "  门诊 ", "门诊"),
        ("fen", "¥1,234.5", 123450),
        ("count", "12,345", 12345),
        ("percent", "12.5%", Decimal("0.125")),
        ("percent", "12.5", Decimal("0.125")),
        ("percent", "12.5％", Decimal("0.125")),
        ("date", "2024/5/1", date(2024, 5, 1)),
        ("date", "2024年5月1日", date(2024, 5, 1)),
        ("datetime", "2024-05-01 9:30", datetime(2024, 5, 1, 9, 30)),
        ("fen", "", None),
    ],
)
def test_parse_value(kind: str, text: str, value: object) -> None:
    assert parse_value(kind, text) == value  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("percent", "abc"),
        ("percent", "1e3"),
        ("percent", "NaN"),
        ("date", "2024-05-01 10:00"),
        ("date", "5/1/2024"),
        ("datetime", "2024-05-01"),
        ("datetime", "2024-05-01 25:00"),
        ("count", "-1"),
    ],
)
def test_parse_value_refuses(kind: str, text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_value(kind, text)  # type: ignore[arg-type]
    assert caught.value.message


@given(st.integers(min_value=-(MAX_FEN - 1), max_value=MAX_FEN - 1))
def test_fen_round_trip(fen: int) -> None:
    assert parse_value("fen", format_value("fen", fen)) == fen


@given(st.integers(min_value=0, max_value=MAX_COUNT - 1))
def test_count_round_trip(count: int) -> None:
    assert parse_value("count", format_value("count", count)) == count


@given(st.integers(min_value=-(10**8), max_value=10**8))
def test_percent_round_trip_at_shown_precision(basis_points: int) -> None:
    ratio = Decimal(basis_points).scaleb(-4)
    assert parse_value("percent", format_value("percent", ratio)) == ratio


@given(
    st.datetimes(min_value=datetime(1900, 1, 1)).map(lambda d: d.replace(second=0, microsecond=0))
)
def test_date_round_trip(moment: datetime) -> None:
    assert parse_value("datetime", format_value("datetime", moment)) == moment
    assert parse_value("date", format_value("date", moment.date())) == moment.date()
