"""The Qt-free grids of the monthly report: the month's form, the township breakdown and the
amendment differences, over real services on a temporary office."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest

from mibdesk.core.catalog import Profile, load_profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.monthly import COUNTY, Cell
from mibdesk.core.periods import Month
from mibdesk.core.security.roles import Actor
from mibdesk.core.services import accounts, demo, report_flow
from mibdesk.core.services.figures import MonthForm, month_form, save_cells
from mibdesk.core.services.store import Store
from mibdesk.core.services.township_figures import TownshipBreakdown, township_breakdown
from mibdesk.core.table import TableModel, collect_problems
from mibdesk.core.tables.figure_changes import AmendmentTable, diff_rows, history_table
from mibdesk.core.tables.figure_edits import format_figure, parse_figure
from mibdesk.core.tables.month_table import (
    CHANGE_PCT,
    LAST_YEAR,
    NAME,
    OWN,
    TOWNSHIPS,
    UNIT,
    VALUE,
    YTD,
    MonthTable,
)
from mibdesk.core.tables.township_table import TownshipTable, reporting_summary, short_name

NOVEMBER = Month(2026, 11)  # the conftest clock's month: nothing entered yet
OCTOBER = Month(2026, 10)  # the demo office's last month, prepared
SEPTEMBER = Month(2026, 9)  # approved


class Saves:
    """The save callback of a table: calls `save_cells`, counts the calls."""

    def __init__(self, store: Store, actor: Actor, scheme: str, month: Month) -> None:
        self.store, self.actor, self.scheme, self.month = store, actor, scheme, month
        self.profile: Profile = load_profile("shaoxing")
        self.calls: list[dict[Cell, int | None]] = []

    def __call__(self, edits: Mapping[Cell, int | None]) -> MonthForm:
        self.calls.append(dict(edits))
        args = (self.store, self.actor, self.profile, self.scheme, self.month)
        return save_cells(*args, edits).value

    def form(self) -> MonthForm:
        return month_form(self.store, self.profile, self.scheme, self.month)


def table_for(
    saves: Saves, *, can_enter: bool = True, deferred: Callable[[], None] | None = None
) -> MonthTable:
    return MonthTable(saves.form(), saves, can_enter=can_enter, deferred=deferred)


def at(table: MonthTable, line: str) -> int:
    row = table.row_of(line)
    assert row is not None
    return row


def shown(table: TableModel, row: int, col: int) -> str:
    return table.cell(row, col).display


@pytest.fixture
def saves(office: Store, preparer: Actor) -> Saves:
    return Saves(office, preparer, "EMP", NOVEMBER)


def login(store: Store, username: str) -> Actor:
    return accounts.login(store, username, demo.DEMO_PASSWORD).value


def test_rows_follow_the_catalog_with_units_and_computed_lines(saves: Saves) -> None:
    table = table_for(saves)
    scheme = saves.profile.scheme("EMP")
    assert table.row_count() == len(scheme.lines)
    assert [c.title for c in table.columns][:4] == ["行次", "项目", "计量单位", "本级填报"]
    total = at(table, "ENR_TOTAL")
    assert shown(table, total, NAME) == "参保人数合计" and shown(table, total, UNIT) == "人"
    assert table.cell(total, VALUE).computed and not table.is_editable(total, OWN)
    public = at(table, "ENR_PUBLIC")
    assert table.is_editable(public, OWN) and not table.is_editable(public, VALUE)
    assert not table.cell(public, OWN).computed
    assert all(shown(table, row, OWN) == "" for row in range(table.row_count()))


def test_typed_figures_are_saved_with_separators_and_totals(saves: Saves) -> None:
    table = table_for(saves)
    public, flexible = at(table, "ENR_PUBLIC"), at(table, "ENR_FLEXIBLE")
    other, total = at(table, "INC_OTHER"), at(table, "ENR_TOTAL")
    assert table.set_text(public, OWN, "12345") is None
    assert table.set_text(other, OWN, "1234567.8") is None
    assert table.set_text(flexible, OWN, "0") is None

    assert len(saves.calls) == 3  # no `deferred`: each edit is saved at once
    assert saves.form().cells[Cell("ENR_PUBLIC")] == 12345
    assert shown(table, public, OWN) == "12,345"
    assert shown(table, public, VALUE) == "12,345"
    assert shown(table, other, OWN) == "1,234,567.80"
    assert shown(table, other, YTD) == "1,234,567.80"
    assert shown(table, flexible, OWN) == "0"
    assert shown(table, total, VALUE) == "12,345"
    retired = at(table, "ENR_RETIRED")
    assert shown(table, retired, OWN) == ""  # blank stays blank

    # the contract: the text shown stores the same value again; "" clears the cell
    assert table.set_text(other, OWN, shown(table, other, OWN)) is None
    assert saves.form().cells[Cell("INC_OTHER")] == 123456780
    assert table.set_text(flexible, OWN, "") is None
    assert Cell("ENR_FLEXIBLE") not in saves.form().cells


@pytest.mark.parametrize(
    ("line", "text"),
    [("ENR_PUBLIC", "-5"), ("ENR_PUBLIC", "12.5"), ("INC_OTHER", "abc"), ("INC_OTHER", "=1+2")],
)
def test_bad_text_is_refused_and_nothing_is_saved(saves: Saves, line: str, text: str) -> None:
    table = table_for(saves)
    row = at(table, line)
    error = table.set_text(row, OWN, text)
    assert error
    assert saves.calls == [] and saves.form().cells == {}
    assert shown(table, row, OWN) == ""


def test_read_only_cells_refuse_edits(saves: Saves) -> None:
    table = table_for(saves)
    total = at(table, "INC_TOTAL")
    assert table.set_text(total, OWN, "1") and table.set_text(0, VALUE, "1")
    viewer = table_for(saves, can_enter=False)
    assert not viewer.is_editable(0, OWN) and viewer.set_text(0, OWN, "1")
    assert saves.calls == []


def test_a_refused_save_changes_nothing(saves: Saves) -> None:
    def refuse(edits: Mapping[Cell, int | None]) -> MonthForm:
        raise ValidationError("月报已锁定")

    table = MonthTable(saves.form(), refuse)
    assert table.set_text(0, OWN, "5") == "月报已锁定"
    assert shown(table, 0, OWN) == "" and not table.pending


def test_deferred_edits_are_saved_as_one_batch(saves: Saves) -> None:
    asked: list[int] = []
    table = table_for(saves, deferred=lambda: asked.append(1))
    rows = [at(table, code) for code in ("ENR_PUBLIC", "ENR_ENTERPRISE", "ENR_FLEXIBLE")]
    for row, text in zip(rows, ("1", "2,000", "３"), strict=True):
        assert table.set_text(row, OWN, text) is None
    assert asked == [1] and table.pending and saves.calls == []
    assert shown(table, rows[1], OWN) == "2,000"  # shown before saving

    assert table.flush() is None
    assert saves.calls == [
        {Cell("ENR_PUBLIC"): 1, Cell("ENR_ENTERPRISE"): 2000, Cell("ENR_FLEXIBLE"): 3}
    ]
    assert not table.pending and table.flush() is None and len(saves.calls) == 1
    in_service = at(table, "ENR_IN_SERVICE")
    assert shown(table, in_service, VALUE) == "2,004"


def test_problem_cells_carry_message_source_and_severity(saves: Saves) -> None:
    table = table_for(saves)
    assert collect_problems(table) == []  # a month nobody started has no problems
    public = at(table, "ENR_PUBLIC")
    table.set_text(public, OWN, "100")
    form = table.form
    blank = next(p for p in form.problems if p.rule == "blank_line")
    row = at(table, blank.line)
    assert row is not None and table.position_of(blank) == (row, OWN)
    cell = table.cell(row, OWN)
    assert (
        cell.severity == "hard" and blank.message in cell.problem and blank.source in cell.problem
    )
    assert table.cell(row, VALUE).severity == "hard"
    assert table.cell(row, LAST_YEAR).severity == ""
    marked = {(p.row, p.col) for p in collect_problems(table)}
    assert (row, OWN) in marked and (row, VALUE) in marked


def test_a_locked_month_refuses_typing_with_its_status(demo_store: Store) -> None:
    saves = Saves(demo_store, login(demo_store, "wangfang"), "EMP", SEPTEMBER)
    table = table_for(saves)
    assert not any(table.is_editable(r, OWN) for r in range(table.row_count()))
    error = table.set_text(0, OWN, "5")
    assert error is not None and "2026年9月" in error
    assert saves.calls == []


def test_history_columns_and_change_percent(demo_store: Store) -> None:
    saves = Saves(demo_store, login(demo_store, "wangfang"), "RES", OCTOBER)
    table = table_for(saves)
    adult = at(table, "ENR_ADULT")
    row = table.form.row("ENR_ADULT")
    assert shown(table, adult, TOWNSHIPS) == format_figure("persons", row.townships)
    assert row.value == (row.own or 0) + (row.townships or 0)
    assert shown(table, adult, YTD) == ""  # enrolment is a stock: no year to date
    assert row.change is not None and row.last_year
    expected = f"{row.change * 100 / row.last_year:.2f}%"
    assert shown(table, adult, CHANGE_PCT) == expected
    assert table.history_cell(adult, OWN) == Cell("ENR_ADULT", COUNTY)
    assert table.history_cell(adult, TOWNSHIPS) is None
    total = at(table, "ENR_TOTAL")
    assert table.history_cell(total, VALUE) is None


def test_parse_and_format_figures() -> None:
    assert parse_figure("persons", " 1,234 ") == 1234
    assert parse_figure("fen", "１２.５") == 1250
    assert parse_figure("fen", "  ") is None
    with pytest.raises(ValidationError):
        parse_figure("persons", "-1")
    assert (format_figure("fen", 0), format_figure("persons", 0)) == ("0.00", "0")
    assert format_figure("fen", None) == ""


def township_saves(
    store: Store, actor: Actor, month: Month
) -> tuple[Saves, Callable[[Mapping[Cell, int | None]], TownshipBreakdown]]:
    saves = Saves(store, actor, "RES", month)

    def save(edits: Mapping[Cell, int | None]) -> TownshipBreakdown:
        saves(edits)
        return township_breakdown(store, saves.profile, "RES", month)

    return saves, save


def test_township_breakdown_lists_reporting_and_totals(demo_store: Store) -> None:
    profile = load_profile("shaoxing")
    breakdown = township_breakdown(demo_store, profile, "RES", OCTOBER)
    table = TownshipTable(breakdown, profile.scheme("RES"), lambda e: breakdown, editable=False)
    form = month_form(demo_store, profile, "RES", OCTOBER)
    assert table.row_count() == len(breakdown.townships) + 2 == 14
    assert [c.title for c in table.columns[3:]] == [short_name(ln) for ln in table.lines]
    assert table.columns[3].title == "成年居民"
    assert shown(table, 0, 0) == "青溪街道" and shown(table, 0, 2) == "已报送"
    assert shown(table, table.own_row, 0) == "本级"
    for col, line in enumerate(table.lines, start=3):
        assert shown(table, table.total_row, col) == format_figure(
            line.unit, form.row(line.code).value
        )
        assert table.cell(table.total_row, col).computed
    assert not table.is_editable(0, 3)
    assert "12" in reporting_summary(breakdown)


def test_township_cells_are_typed_and_saved(demo_store: Store) -> None:
    profile = load_profile("shaoxing")
    actor = login(demo_store, "wangfang")
    saves, save = township_saves(demo_store, actor, NOVEMBER)
    breakdown = township_breakdown(demo_store, profile, "RES", NOVEMBER)
    asked: list[int] = []
    table = TownshipTable(
        breakdown,
        profile.scheme("RES"),
        save,
        deferred=lambda: asked.append(1),
    )
    assert shown(table, 0, 2) == "未报送"
    assert table.set_text(0, 3, "1,200") is None and table.set_text(1, 3, "800") is None
    assert table.set_text(table.own_row, 3, "50") is None
    assert table.set_text(table.total_row, 3, "1") is not None
    assert table.set_text(2, 3, "-3") is not None
    assert asked == [1]
    assert table.flush() is None and len(saves.calls) == 1
    assert shown(table, 0, 2) == "已报送" and shown(table, 2, 2) == "未报送"
    assert shown(table, table.total_row, 3) == "2,050"
    assert saves.form().row("ENR_ADULT").value == 2050
    assert table.history_cell(0, 3) == Cell("ENR_ADULT", breakdown.townships[0].code)
    assert table.unit_name(breakdown.townships[1].code) == "城东街道"
    assert "未报送" in reporting_summary(table.breakdown)


def test_amendment_differences_and_history_tables(demo_store: Store) -> None:
    profile = load_profile("shaoxing")
    head = login(demo_store, "zhangli")
    args = (demo_store, head, profile, "EMP", SEPTEMBER)
    before = month_form(demo_store, profile, "EMP", SEPTEMBER).cells[Cell("INC_OTHER")]
    report_flow.open_amendment(*args, "市局结算单迟到")
    save_cells(*args, {Cell("INC_OTHER"): before + 10000, Cell("ENR_RETIRED"): 1})
    diff = report_flow.amendment_diff(demo_store, "EMP", SEPTEMBER, 1)
    rows = diff_rows(profile.scheme("EMP"), 1, diff, lambda unit: "本级")
    table = AmendmentTable(rows)
    assert [shown(table, r, 2) for r in range(table.row_count())] == ["退休人员", "其他收入"]
    assert shown(table, 1, 0) == "第1次更正"
    assert shown(table, 1, 5) == format_figure("fen", before + 10000)
    assert shown(table, 1, 6) == "100.00"
    retired_before = diff[Cell("ENR_RETIRED")][0]
    assert retired_before is not None
    assert shown(table, 0, 6) == format_figure("persons", 1 - retired_before)
    assert not table.is_editable(0, 4) and table.set_text(0, 4, "1")

    changes = report_flow.cell_history(demo_store, "EMP", SEPTEMBER, Cell("INC_OTHER"))
    history = history_table(changes, "fen")
    assert history.row_count() == 1
    assert shown(history, 0, 2) == format_figure("fen", before)
    assert shown(history, 0, 3) == format_figure("fen", before + 10000)
    assert shown(history, 0, 5) == "第1次更正"
