"""Issuing quotas: typed, from a workbook, or by weighted factors; refused unless the counties
add up to the budget (by how much); published one package per county, which the county
records; adjustments afterwards. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from city_kit import NORTH, SOUTH, STRANGER, World
from sqlalchemy import func, select

from mibdesk.core.db.exchange_models import OutboxEntry
from mibdesk.core.db.models import AuditEntry, CityAllocation
from mibdesk.core.errors import ValidationError
from mibdesk.core.rules.allocation import Factor
from mibdesk.core.services import quotas as county_quotas
from mibdesk.core.services.city import quotas
from mibdesk.core.services.exchange.sync import sync

YEAR = 2027
BUDGET = 300_000_000_00  # 300 million yuan
DOC, DOC_DATE = "绍医保〔2027〕1号", date(2027, 1, 5)


def _snapshot(world: World) -> tuple[int, int, int]:
    with world.city.store.read() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (CityAllocation, OutboxEntry, AuditEntry)
        )


def test_typed_quotas_that_do_not_add_up_are_refused(world: World) -> None:
    before = _snapshot(world)
    with pytest.raises(ValidationError) as refused:
        quotas.typed_allocation(
            world.city.store,
            world.profile,
            "EMP",
            YEAR,
            BUDGET,
            {NORTH: 180_000_000_00, SOUTH: 119_999_000_00},
        )
    assert "差 1,000.00 元" in str(refused.value) and "少于" in str(refused.value)
    assert _snapshot(world) == before


@pytest.mark.parametrize(
    ("amounts", "expected"),
    [
        ({NORTH: BUDGET}, "南湖县医疗保障局（330603）"),  # a county left without a quota
        ({NORTH: BUDGET - 100, SOUTH: 50, STRANGER: 50}, "330604 不是本市已登记的县"),
        ({NORTH: BUDGET + 100, SOUTH: -100}, "南湖县医疗保障局（330603）"),
    ],
)
def test_a_quota_for_every_registered_county_and_no_other(
    world: World, amounts: dict[str, int], expected: str
) -> None:
    with pytest.raises(ValidationError, match=expected):
        quotas.typed_allocation(world.city.store, world.profile, "EMP", YEAR, BUDGET, amounts)


def test_published_quotas_reach_the_counties(world: World) -> None:
    store, profile, head = world.city.store, world.profile, world.city.head
    proposal = quotas.typed_allocation(
        store, profile, "EMP", YEAR, BUDGET, {NORTH: 180_000_000_00, SOUTH: 120_000_000_00}
    )
    published = quotas.publish(store, head, profile, proposal, DOC, DOC_DATE).value
    assert [(ln.county, ln.amount) for ln in published.lines] == [
        (NORTH, 180_000_000_00),
        (SOUTH, 120_000_000_00),
    ]
    assert all(len(ln.package_id) == 32 for ln in published.lines) and not published.pending
    assert quotas.county_quotas(store, "EMP", YEAR) == {
        NORTH: 180_000_000_00,
        SOUTH: 120_000_000_00,
    }
    assert sync(world.north.store).value.count("applied") == 1
    documents = county_quotas.documents(world.north.store, "EMP", YEAR)
    assert [(d.kind, d.amount, d.doc_no) for d in documents] == [("quota", 180_000_000_00, DOC)]

    with pytest.raises(ValidationError, match="预算调整"):
        quotas.typed_allocation(store, profile, "EMP", YEAR, BUDGET, {NORTH: BUDGET - 1, SOUTH: 1})


def test_an_adjustment_moves_quota_between_counties(world: World) -> None:
    store, profile, head = world.city.store, world.profile, world.city.head
    with pytest.raises(ValidationError, match="先下达"):
        quotas.typed_allocation(
            store, profile, "EMP", YEAR, 0, {NORTH: -1, SOUTH: 1}, kind="adjustment"
        )
    issued = quotas.typed_allocation(
        store, profile, "EMP", YEAR, BUDGET, {NORTH: 180_000_000_00, SOUTH: 120_000_000_00}
    )
    quotas.publish(store, head, profile, issued, DOC, DOC_DATE)
    move = quotas.typed_allocation(
        store,
        profile,
        "EMP",
        YEAR,
        0,
        {NORTH: -5_000_000_00, SOUTH: 5_000_000_00},
        kind="adjustment",
    )
    with pytest.raises(ValidationError, match="调整事由"):
        quotas.publish(store, head, profile, move, "绍医保调〔2027〕3号", date(2027, 6, 1))
    adjusted = quotas.publish(
        store, head, profile, move, "绍医保调〔2027〕3号", date(2027, 6, 1), "南湖县新增定点医院"
    ).value
    assert adjusted.kind == "adjustment" and adjusted.total == 0
    assert quotas.county_quotas(store, "EMP", YEAR) == {
        NORTH: 175_000_000_00,
        SOUTH: 125_000_000_00,
    }
    too_much = quotas.typed_allocation(
        store, profile, "EMP", YEAR, -200_000_000_00, {NORTH: -200_000_000_00}, kind="adjustment"
    )
    with pytest.raises(ValidationError, match="北城区医疗保障局"):
        quotas.publish(
            store, head, profile, too_much, "绍医保调〔2027〕4号", date(2027, 7, 1), "收回"
        )
    sync(world.south.store)
    documents = county_quotas.documents(world.south.store, "EMP", YEAR)
    assert [(d.kind, d.amount) for d in documents] == [
        ("quota", 120_000_000_00),
        ("adjustment", 5_000_000_00),
    ]


def test_weighted_factors_split_the_budget_and_show_the_arithmetic(world: World) -> None:
    store, profile, head = world.city.store, world.profile, world.city.head
    factors = [
        Factor("参保人数", Decimal("60"), {NORTH: Decimal(200_000), SOUTH: Decimal(100_000)}),
        Factor("上年基金支出", Decimal("40"), {NORTH: Decimal("1"), SOUTH: Decimal("2")}),
    ]
    # north: 60% × 2/3 + 40% × 1/3 = 8/15 of 100.00 yuan = 53.333… yuan; south 7/15
    proposal = quotas.weighted_allocation(store, profile, "EMP", YEAR, 10_000, factors)
    assert proposal.split.amounts == {NORTH: 5_333, SOUTH: 4_667}
    assert (
        proposal.split.counties[0].steps[0].label == "参保人数：60% × 200,000 ÷ 300,000 = 40.0000%"
    )
    published = quotas.publish(store, head, profile, proposal, DOC, DOC_DATE).value
    assert published.method == "weighted"
    assert "参保人数：60% × 200,000 ÷ 300,000 = 40.0000%" in published.working[NORTH]


def _workbook(path: Path, rows: list[tuple[object, ...]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "分配表"
    sheet.append(("2027年职工医保支出定额分配表",))
    sheet.append(("县区代码", "县区名称", "金额（元）"))
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_quotas_imported_from_a_workbook(world: World, tmp_path: Path) -> None:
    store, profile = world.city.store, world.profile
    good = _workbook(
        tmp_path / "good.xlsx",
        [
            (NORTH, "北城区", 180_000_000),
            (int(SOUTH), "南湖县", "120,000,000.00"),
            (None, None, None),
        ],
    )
    proposal = quotas.workbook_allocation(store, profile, "EMP", YEAR, BUDGET, good)
    assert proposal.method == "workbook"
    assert proposal.split.amounts == {NORTH: 180_000_000_00, SOUTH: 120_000_000_00}
    step = proposal.split.counties[1].steps[0]
    assert (step.label, step.rule) == ("导入自 分配表!C4", "分配表导入")  # no "{cell}" left


def test_a_bad_workbook_names_every_bad_cell_and_changes_nothing(
    world: World, tmp_path: Path
) -> None:
    before = _snapshot(world)
    bad = _workbook(
        tmp_path / "bad.xlsx",
        [
            (NORTH, "北城区", "一亿"),
            (STRANGER, "西山县", 100),
            (NORTH, "北城区", 100),
            (SOUTH, "南湖县", date(2027, 1, 1)),
        ],
    )
    with pytest.raises(ValidationError) as refused:
        quotas.workbook_allocation(world.city.store, world.profile, "EMP", YEAR, BUDGET, bad)
    message = str(refused.value)
    for where in ("分配表!C3", "分配表!A4", "分配表!A5", "分配表!C6"):
        assert where in message
    assert _snapshot(world) == before
    short = _workbook(
        tmp_path / "short.xlsx", [(NORTH, "北城区", 180_000_000), (SOUTH, "南湖县", 100)]
    )
    with pytest.raises(ValidationError, match=re.escape("差 119,999,900.00 元")):
        quotas.workbook_allocation(world.city.store, world.profile, "EMP", YEAR, BUDGET, short)


def test_a_county_that_cannot_be_sent_now_waits_for_send_pending(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, profile, head = world.city.store, world.profile, world.city.head
    real = quotas.send_quota

    def south_refused(*args: object, **kwargs: object) -> object:
        if args[2] == SOUTH:
            raise ValidationError("南湖县的密钥已吊销")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(quotas, "send_quota", south_refused)
    proposal = quotas.typed_allocation(
        store, profile, "EMP", YEAR, BUDGET, {NORTH: 180_000_000_00, SOUTH: 120_000_000_00}
    )
    published = quotas.publish(store, head, profile, proposal, DOC, DOC_DATE).value
    assert published.pending == (SOUTH,)  # recorded, the north county sent, the south waits
    assert quotas.county_quotas(store, "EMP", YEAR)[SOUTH] == 120_000_000_00
    monkeypatch.setattr(quotas, "send_quota", real)
    resent = quotas.send_pending(store, head, published.id).value
    assert not resent.pending and resent.lines[0].package_id == published.lines[0].package_id
    sync(world.south.store)
    documents = county_quotas.documents(world.south.store, "EMP", YEAR)
    assert [(d.kind, d.amount) for d in documents] == [("quota", 120_000_000_00)]
