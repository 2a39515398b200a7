"""Balance transfers as the city works them out: Shaoxing's common share (000 附件 §3.4–3.5:
3 months of citywide employee-scheme spending, 1 month for the resident scheme) and Jining's
30 % in January (004 §4.5); citywide spending prefilled from the stored monthly reports;
typed balances kept; the workbook. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from city_kit import NORTH, SOUTH, World, send_report
from openpyxl import load_workbook
from sqlalchemy import func, select

from mibdesk.core.catalog import load_profile
from mibdesk.core.db.models import AuditEntry
from mibdesk.core.errors import ValidationError
from mibdesk.core.excel.transfer_workbook import write_transfer_workbook
from mibdesk.core.periods import Month
from mibdesk.core.services.city import transfers
from mibdesk.core.services.city.transfers import TransferInputs
from mibdesk.core.services.exchange.sync import sync

YEAR = 2027
YI = 10**10  # one 亿元 in fen
WAN = 10**6  # one 万元 in fen


def test_shaoxing_employee_scheme_three_months_same_share_for_every_county(world: World) -> None:
    """000 附件 §3.4: 12亿 a year of citywide spending → 3亿 pays 3 months; the pooled fund
    holds 0.5亿, so 2.5亿 of the 10亿 retained moves up: 25 % of every county's balance."""
    inputs = TransferInputs(YI // 2, 12 * YI, {NORTH: (6 * YI, None), SOUTH: (4 * YI, None)})
    result = transfers.compute_transfers(world.city.store, world.profile, YEAR, "EMP", inputs)
    assert result.total == 25 * YI // 10
    assert [(c.code, c.transfer, c.remaining) for c in result.counties] == [
        (NORTH, 15 * YI // 10, 45 * YI // 10),
        (SOUTH, YI, 3 * YI),
    ]
    assert "25.0000%" in result.working[-1].label
    assert all("000 附件 §3.4" in step.source for step in result.counties[0].working)


def test_shaoxing_resident_scheme_one_month(world: World) -> None:
    """000 附件 §3.5: 6亿 a year → 0.5亿 pays 1 month; 0.5亿 of 2.5亿 retained: 20 %."""
    inputs = TransferInputs(0, 6 * YI, {NORTH: (YI, None), SOUTH: (15 * YI // 10, None)})
    result = transfers.compute_transfers(world.city.store, world.profile, YEAR, "RES", inputs)
    assert [c.transfer for c in result.counties] == [2_000 * WAN, 3_000 * WAN]


def test_jining_thirty_percent_in_january_the_rest_frozen(world: World) -> None:
    """004 §4.5: 30 % of the historical balance by the end of January, 70 % stays frozen; a
    county whose demand deposits fall short transfers them now, the rest at maturity."""
    jining = load_profile("jining")
    inputs = TransferInputs(balances={NORTH: (YI, None), SOUTH: (2 * YI, 1_000 * WAN)})
    result = transfers.compute_transfers(world.city.store, jining, YEAR, "EMP", inputs)
    north, south = result.counties
    assert (north.transfer, north.now, north.deferred, north.remaining) == (
        3_000 * WAN,
        3_000 * WAN,
        0,
        7_000 * WAN,
    )
    assert (south.transfer, south.now, south.deferred, south.remaining) == (
        6_000 * WAN,
        1_000 * WAN,
        5_000 * WAN,
        14_000 * WAN,
    )
    assert result.total == 9_000 * WAN
    assert transfers.transfer_rule(jining) is not None
    with pytest.raises(ValidationError, match="没有"):
        transfers.compute_transfers(world.city.store, jining, YEAR, "CI", inputs)


def test_a_profile_without_a_transfer_rule(world: World) -> None:
    suzhou = load_profile("suzhou")
    assert transfers.transfer_rule(suzhou) is None
    with pytest.raises(ValidationError):
        transfers.compute_transfers(world.city.store, suzhou, YEAR, "EMP", TransferInputs())


def test_every_county_needs_its_balance_and_shaoxing_the_spending(world: World) -> None:
    store, profile = world.city.store, world.profile
    with pytest.raises(ValidationError, match="南湖县医疗保障局") as missing:
        transfers.compute_transfers(
            store, profile, YEAR, "EMP", TransferInputs(0, YI, {NORTH: (YI, None)})
        )
    assert missing.value.where == SOUTH
    with pytest.raises(ValidationError, match="12"):
        transfers.compute_transfers(
            store,
            profile,
            YEAR,
            "EMP",
            TransferInputs(0, None, {NORTH: (1, None), SOUTH: (1, None)}),
        )


def test_citywide_spending_is_prefilled_from_the_latest_reports(world: World) -> None:
    """Σ of the expenditure total over the counties' reports of the year before; an
    amendment replaces the month's first revision; other years are not counted."""
    send_report(
        world.north,
        "EMP",
        Month(2026, 3),
        {("EXP_INPATIENT", ""): 100_000, ("EXP_OUTPATIENT", ""): 20_000},
        sent_at="2026-04-09T10:00:00+08:00",
    )
    send_report(
        world.north,
        "EMP",
        Month(2026, 3),
        {("EXP_INPATIENT", ""): 110_000, ("EXP_OUTPATIENT", ""): 20_000},
        sent_at="2026-04-12T10:00:00+08:00",
        revision=1,
        reason="更正",
    )
    send_report(
        world.south,
        "EMP",
        Month(2026, 7),
        {("EXP_INPATIENT", ""): 50_000},
        sent_at="2026-08-09T10:00:00+08:00",
    )
    send_report(
        world.south,
        "EMP",
        Month(2027, 1),
        {("EXP_INPATIENT", ""): 999_000},
        sent_at="2027-02-09T10:00:00+08:00",
    )
    sync(world.city.store)
    found = transfers.citywide_spending(world.city.store, world.profile, "EMP", YEAR)
    assert found.amount == 130_000 + 50_000
    assert found.reported == (Month(2026, 3), Month(2026, 7))
    assert found.reports == 2 and len(found.months) == 12


def test_typed_balances_are_kept_and_audited(world: World) -> None:
    store, head = world.city.store, world.city.head
    assert transfers.saved_inputs(store, YEAR, "EMP") == TransferInputs()
    typed = TransferInputs(5, 12 * YI, {NORTH: (6 * YI, None), SOUTH: (4 * YI, 3 * YI)})
    transfers.save_inputs(store, head, YEAR, "EMP", typed)
    transfers.save_inputs(store, head, YEAR, "RES", TransferInputs(0, 7, {NORTH: (1, None)}))
    assert transfers.saved_inputs(store, YEAR, "EMP") == typed
    assert transfers.saved_inputs(store, YEAR, "RES").balances == {NORTH: (1, None)}
    with store.read() as session:
        audited = session.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(ValidationError, match="负数"):
        transfers.save_inputs(store, head, YEAR, "EMP", TransferInputs(-1, 0, {}))
    assert transfers.saved_inputs(store, YEAR, "EMP") == typed
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audited


def test_the_workbook_has_every_county_the_total_and_the_working(
    world: World, tmp_path: Path
) -> None:
    inputs = TransferInputs(YI // 2, 12 * YI, {NORTH: (6 * YI, None), SOUTH: (4 * YI, None)})
    result = transfers.compute_transfers(world.city.store, world.profile, YEAR, "EMP", inputs)
    path = tmp_path / "上划.xlsx"
    write_transfer_workbook(path, result, "绍兴市", "职工基本医疗保险", "shaoxing 第1版")
    book = load_workbook(path)
    sheet = book["上划金额"]
    assert sheet["A1"].value == "绍兴市2027年职工基本医疗保险历史结余上划"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4, max_row=6)]
    assert rows[0][:4] == [NORTH, "北城区医疗保障局", 600_000_000, 150_000_000]
    assert rows[2][1] == "合计" and rows[2][3] == 250_000_000
    assert sheet["D4"].number_format == "#,##0.00"
    working = book["计算过程"]
    labels = [working.cell(r, 3).value for r in range(4, working.max_row + 1)]
    assert len(labels) == len(result.working) + 2 * 2
    assert working.cell(4, 6).value == "000 附件 §3.4"
