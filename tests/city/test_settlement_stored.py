"""The year-end settlement from the figures the city holds: the worksheet prefilled from the
counties' reports (latest revisions, section totals, twelve months, nothing outside the year),
what the city types checked as it is saved, the settlement computed through the input file
and finalised with its SHA-256; refusals name what is missing. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from city_kit import NORTH, SOUTH, World
from settlement_kit import TOTALS, TYPED, YEAR, YUAN, send_year
from sqlalchemy import select

from mibdesk.core.db.models import AuditEntry
from mibdesk.core.errors import UserError, ValidationError
from mibdesk.core.rules.settlement.input_file import read_input_file
from mibdesk.core.security.roles import Actor
from mibdesk.core.services import accounts
from mibdesk.core.services.city.settlement import save, worksheet
from mibdesk.core.services.city.settlement_run import (
    compute,
    final,
    finalise,
    reopen,
    settle_text,
)
from mibdesk.core.services.exchange.sending_settlement import send_notices
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.settlement_notices import notices
from mibdesk.core.services.store import open_store


def _preparer(world: World) -> Actor:
    from helpers import PREPARER_PASSWORD

    return accounts.login(world.city.store, "wangfang", PREPARER_PASSWORD).value


def test_the_worksheet_is_prefilled_from_the_reports_of_the_year(world: World) -> None:
    send_year(world)
    sheet = worksheet(world.city.store, world.profile, YEAR)
    assert sheet.status == "new" and sheet.schemes == ("EMP", "RES")
    assert [c.code for c in sheet.counties] == [NORTH, SOUTH]
    assert sheet.grades == ("优秀", "良好", "合格", "不合格") and not sheet.uses_reserve
    for (code, scheme), (income, spent) in TOTALS.items():
        figures = sheet.county(code).schemes[scheme]
        assert (figures.income, figures.expenditure) == (income, spent), (code, scheme)
        assert figures.months == tuple(range(1, 13)) and figures.balance is None
    assert sheet.county(NORTH).schemes["EMP"].deficit == 128_000 * YUAN


def test_typed_values_are_kept_and_the_year_settles_with_worked_numbers(world: World) -> None:
    send_year(world)
    store, profile = world.city.store, world.profile
    outcome = save(store, _preparer(world), profile, YEAR, TYPED)
    assert outcome.value.status == "draft" and outcome.value.county(SOUTH).grade == "良好"
    store.close()  # survives a restart
    world.city.store = store = open_store(store.paths.root, clock=store.clock)
    assert worksheet(store, profile, YEAR).pooled == {"EMP": 100_000_000, "RES": 1_000_000}

    result = compute(store, profile, YEAR).result
    emp, res = result.scheme("EMP"), result.scheme("RES")
    north = result.county("EMP", NORTH)
    # 北城区 EMP deficit 128,000: caused 28,000, balance 50,000, the rest 50/50 (优秀)
    assert north.county_caused == 28_000 * YUAN and north.from_balance == 50_000 * YUAN
    assert (north.pooled_fund, north.county_finance) == (25_000 * YUAN, 25_000 * YUAN)
    south = result.county("EMP", SOUTH)  # surplus 120,000: half to the pool
    assert (south.surplus_to_pool, south.surplus_kept) == (60_000 * YUAN, 60_000 * YUAN)
    assert emp.pooled_after == (1_000_000 + 60_000 - 25_000) * YUAN
    # 南湖县 RES deficit 60,000, 良好 (below 优秀): pooled 45 %, county 55 %
    south_res = result.county("RES", SOUTH)
    assert (south_res.pooled_fund, south_res.county_finance) == (27_000 * YUAN, 33_000 * YUAN)
    assert res.pooled_after == (10_000 + 30_000 - 27_000) * YUAN
    for scheme in result.schemes:  # conservation: every fen of a deficit has one payer
        for county in scheme.counties:
            assert sum(county.deficit_payers().values()) == county.deficit
            assert county.surplus_to_pool + county.surplus_kept == county.surplus
        drawn = sum(c.pooled_fund for c in scheme.counties)
        paid_in = sum(c.surplus_to_pool for c in scheme.counties)
        assert scheme.pooled_after == scheme.pooled_before + paid_in - drawn


def test_finalising_stores_the_input_file_an_auditor_can_rerun(world: World) -> None:
    send_year(world)
    store, profile, head = world.city.store, world.profile, world.city.head
    save(store, head, profile, YEAR, TYPED)
    with pytest.raises(UserError):
        finalise(store, _preparer(world), profile, YEAR)  # the head finalises
    done = finalise(store, head, profile, YEAR).value
    assert done.final and len(done.input_sha256) == 64
    file = read_input_file(done.input_text, where="x")
    assert file.counties[0].grade == "优秀"
    assert json.loads(done.input_text)["schemes"]["EMP"]["counties"][NORTH] == {
        "income": "1212000.00",
        "expenditure": "1340000.00",
        "balance": "50000.00",
        "county_caused": "28000.00",
    }
    assert settle_text(done.input_text, profile, YEAR) == final(store, profile, YEAR).result
    with store.read() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "settlement.finalise")
        ).one()
    assert json.loads(entry.after_json)["input_sha256"] == done.input_sha256
    with pytest.raises(ValidationError, match="不能再修改"):
        save(store, head, profile, YEAR, {(NORTH, "EMP", "balance"): 1})
    with pytest.raises(ValidationError, match="已于"):
        finalise(store, head, profile, YEAR)


def test_a_final_year_is_reopened_corrected_and_its_new_notices_replace_the_old(
    world: World,
) -> None:
    """北城区's EMP balance was 40,000, not 50,000: the head reopens the year with the
    reason, corrects it and finalises again; the deficit left after the balance is 60,000,
    split 30,000/30,000 (优秀); the counties get a second notice, which replaces the first."""
    send_year(world)
    store, profile, head = world.city.store, world.profile, world.city.head
    save(store, head, profile, YEAR, TYPED)
    first = finalise(store, head, profile, YEAR).value
    send_notices(store, head, profile, YEAR)
    with pytest.raises(ValidationError, match="原因"):
        reopen(store, head, profile, YEAR, "  ")
    with pytest.raises(UserError):
        reopen(store, _preparer(world), profile, YEAR, "结余录入有误")
    assert final(store, profile, YEAR).input_sha256 == first.input_sha256  # nothing changed

    draft = reopen(store, head, profile, YEAR, "北城区职工医保累计结余应为40,000元").value
    assert draft.status == "draft" and draft.county(SOUTH).grade == "良好"  # typed, kept
    with pytest.raises(ValidationError, match="尚未定稿"):
        reopen(store, head, profile, YEAR, "again")
    with store.read() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "settlement.reopen")
        ).one()
    before = json.loads(entry.before_json)
    assert before["input_sha256"] == first.input_sha256
    assert before["input_text"] == first.input_text and "40,000" in entry.reason
    save(store, head, profile, YEAR, {(NORTH, "EMP", "balance"): 40_000 * YUAN})
    second = finalise(store, head, profile, YEAR).value
    north = second.result.county("EMP", NORTH)
    assert north.from_balance == 40_000 * YUAN
    assert (north.pooled_fund, north.county_finance) == (30_000 * YUAN, 30_000 * YUAN)
    assert second.input_sha256 != first.input_sha256
    send_notices(store, head, profile, YEAR)
    sync(world.north.store)
    newest, earlier = notices(world.north.store, YEAR)
    assert newest.input_sha256 == second.input_sha256
    assert earlier.input_sha256 == first.input_sha256
    emp = newest.scheme("EMP")
    assert emp is not None and emp.from_balance == 40_000 * YUAN


def test_what_is_missing_is_named_and_nothing_is_settled(world: World) -> None:
    send_year(world, skip=((SOUTH, "RES", 11), (SOUTH, "RES", 12)))
    store, profile, head = world.city.store, world.profile, world.city.head
    partial = {k: v for k, v in TYPED.items() if k != (SOUTH, "", "grade")}
    partial.pop((NORTH, "EMP", "county_caused"))
    save(store, head, profile, YEAR, partial)
    with pytest.raises(ValidationError) as refused:
        compute(store, profile, YEAR)
    message = str(refused.value)
    assert "县区 330603（南湖县医疗保障局）：缺少考核等次" in message
    assert "330603（南湖县医疗保障局），险种 RES：尚未收到 2025 年 11、12 月的月报" in message
    assert "330602（北城区医疗保障局），险种 EMP：未填写县区造成的缺口" in message
    assert "330603（南湖县医疗保障局），险种 EMP" not in message  # a surplus needs none
    with pytest.raises(ValidationError):
        finalise(store, head, profile, YEAR)
    assert worksheet(store, profile, YEAR).status == "draft"


BAD = [
    ((NORTH, "", "grade"), "很好", "考核等次 很好 无法识别"),
    ((NORTH, "EMP", "balance"), -1, "不能为负数"),
    ((NORTH, "EMP", "county_caused"), 38_000 * YUAN + 1, "超过当年缺口 38,000.00"),
    ((SOUTH, "EMP", "county_caused"), 1, "超过当年缺口 0.00"),
    ((NORTH, "EMP", "risk_reserve"), 1, "本市清算不使用 risk_reserve"),
    (("", "CI", "pooled_fund"), 1, "未统筹该险种"),
]


def test_a_bad_value_is_refused_and_nothing_is_stored(world: World) -> None:
    # January and the December amendment only: 北城区 EMP deficit 9,000 + 29,000
    months = range(2, 13)
    send_year(
        world, skip=tuple((c, s, m) for c in (NORTH, SOUTH) for s in ("EMP", "RES") for m in months)
    )
    store, profile, head = world.city.store, world.profile, world.city.head
    for key, value, problem in BAD:
        with pytest.raises(ValidationError, match=problem):
            save(store, head, profile, YEAR, {("", "EMP", "pooled_fund"): 5, key: value})
    assert worksheet(store, profile, YEAR).status == "new"


def test_the_cli_settles_from_the_stored_worksheet(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`settle --year` without --input on the city office; the exported input file re-runs
    with --input to the same figures and the same SHA-256 (what an auditor does)."""
    from mibdesk.cli import main

    send_year(world)
    store, profile = world.city.store, world.profile
    root = store.paths.root
    save(store, world.city.head, profile, YEAR, {k: v for k, v in TYPED.items() if k[2] != "grade"})
    store.close()
    assert main(["settle", "--year", str(YEAR), "--data-dir", str(root)]) == 1
    err = capsys.readouterr().err
    assert "县区 330602（北城区医疗保障局）：缺少考核等次" in err and "330603" in err

    world.city.store = store = open_store(root, clock=world.city.store.clock)
    save(store, world.city.head, profile, YEAR, TYPED)
    store.close()
    exported, book = tmp_path / "input.json", tmp_path / "settlement.xlsx"
    args = ["settle", "--year", str(YEAR), "--data-dir", str(root), "--json"]
    assert main([*args, "--export-input", str(exported), "--xlsx", str(book)]) == 0
    stored = json.loads(capsys.readouterr().out)
    assert stored["final"] is False and book.exists()
    emp = stored["settlement"]["schemes"][0]
    assert emp["scheme"] == "EMP" and emp["pooled_after"] == 103_500_000
    assert main(["settle", "--year", str(YEAR), "--input", str(exported), "--json"]) == 0
    rerun = json.loads(capsys.readouterr().out)
    assert rerun["input_sha256"] == stored["input_sha256"]
    assert rerun["settlement"] == stored["settlement"]
    world.city.store = open_store(root, clock=world.city.store.clock)
