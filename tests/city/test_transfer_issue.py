"""Issuing a balance transfer (下达余额上划): the head fixes the year's transfer with its
document number; the inputs and the result are kept as issued and never recomputed; a
correction is an explicit new version with a reason; refusals change nothing. On SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from city_kit import NORTH, SOUTH, STRANGER, World
from helpers import REVIEWER_PASSWORD
from sqlalchemy import func, select

from mibdesk.core.catalog import load_profile
from mibdesk.core.db.models import AuditEntry
from mibdesk.core.errors import AuthError, ValidationError
from mibdesk.core.services import accounts
from mibdesk.core.services.audit_labels import action_label
from mibdesk.core.services.city import transfer_issue
from mibdesk.core.services.city.transfers import TransferInputs, save_inputs

YEAR = 2027
YI = 10**10  # one 亿元 in fen
WAN = 10**6
DAY = date(2027, 1, 15)
# 000 附件 §3.4: 12亿 a year → 3 months are 3亿; the pooled fund holds 0.5亿, so 2.5亿 of the
# 10亿 retained moves up: 25 % of every county's balance
SHAOXING = TransferInputs(YI // 2, 12 * YI, {NORTH: (6 * YI, None), SOUTH: (4 * YI, None)})


def _audit(world: World, action: str) -> list[AuditEntry]:
    with world.city.store.read() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()
        session.expunge_all()
        return list(rows)


def _entries(world: World) -> int:
    with world.city.store.read() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _issue(
    world: World,
    inputs: TransferInputs = SHAOXING,
    replaces: int | None = None,
    reason: str = "",
) -> transfer_issue.IssuedTransfer:
    city, doc = world.city, "绍医保〔2027〕3号"
    return transfer_issue.issue(
        city.store,
        city.head,
        world.profile,
        YEAR,
        "EMP",
        inputs,
        doc,
        DAY,
        replaces=replaces,
        reason=reason,
    ).value


def test_the_head_issues_and_the_transfer_stays_as_issued(world: World) -> None:
    store = world.city.store
    assert transfer_issue.issued(store, YEAR, "EMP") is None
    found = transfer_issue.issue(
        store, world.city.head, world.profile, YEAR, "EMP", SHAOXING, " 绍医保〔2027〕3号 ", DAY
    ).value
    assert (found.version, found.doc_no, found.doc_date) == (1, "绍医保〔2027〕3号", DAY)
    assert found.issued_by == "zhangli" and found.issued_by_name == "张丽"
    assert found.result.total == 25 * YI // 10
    assert [(c.code, c.transfer, c.remaining) for c in found.result.counties] == [
        (NORTH, 15 * YI // 10, 45 * YI // 10),
        (SOUTH, YI, 3 * YI),
    ]
    assert "25.0000%" in found.result.working[-1].label  # kept in Chinese: 上划比例
    assert "上划比例" in found.result.working[-1].label
    assert (found.profile_id, found.profile_version) == (world.profile.id, world.profile.version)
    (entry,) = _audit(world, "transfer.issue")
    assert entry.entity_key == f"{YEAR}/EMP/1" and f'"total":{25 * YI // 10}' in entry.after_json
    assert action_label("transfer.issue") == "下达余额上划"

    # what is typed afterwards changes nothing issued
    save_inputs(store, world.city.head, YEAR, "EMP", TransferInputs(0, YI, {NORTH: (YI, None)}))
    again = transfer_issue.issued(store, YEAR, "EMP")
    assert again is not None and again.result == found.result and again.inputs == SHAOXING
    assert again.inputs_sha256 == found.inputs_sha256 == transfer_issue.inputs_sha256(SHAOXING)


def test_a_second_issue_is_an_explicit_new_version_with_a_reason(world: World) -> None:
    store = world.city.store
    _issue(world)
    before = _entries(world)
    with pytest.raises(ValidationError, match="第 1 版"):
        _issue(world)
    with pytest.raises(ValidationError):
        _issue(world, replaces=1)  # no reason
    with pytest.raises(ValidationError):
        _issue(world, replaces=2, reason="余额更正")  # not the version in force
    assert _entries(world) == before and len(transfer_issue.versions(store, YEAR, "EMP")) == 1

    corrected = TransferInputs(YI // 2, 12 * YI, {NORTH: (6 * YI, None), SOUTH: (9 * YI, None)})
    second = transfer_issue.issue(
        store,
        world.city.head,
        world.profile,
        YEAR,
        "EMP",
        corrected,
        "绍医保〔2027〕5号",
        date(2027, 1, 20),
        replaces=1,
        reason="南湖县累计结余更正",
    ).value
    # 2.5亿 of 15亿: 1/6 of every balance
    assert second.version == 2 and second.reason == "南湖县累计结余更正"
    assert [c.transfer for c in second.result.counties] == [YI, 15 * YI // 10]
    first, latest = transfer_issue.versions(store, YEAR, "EMP")
    assert first.result.counties[1].transfer == YI and first.doc_no == "绍医保〔2027〕3号"
    assert latest == second == transfer_issue.issued(store, YEAR, "EMP")
    (entry,) = [e for e in _audit(world, "transfer.issue") if e.entity_key.endswith("/2")]
    assert entry.reason == "南湖县累计结余更正"


def test_refusals_change_nothing(world: World) -> None:
    store = world.city.store
    reviewer = accounts.login(store, "liuqiang", REVIEWER_PASSWORD).value
    before = _entries(world)
    with pytest.raises(AuthError):
        transfer_issue.issue(store, reviewer, world.profile, YEAR, "EMP", SHAOXING, "文号", DAY)
    stranger = TransferInputs(
        YI // 2, 12 * YI, {NORTH: (6 * YI, None), SOUTH: (4 * YI, None), STRANGER: (YI, None)}
    )
    with pytest.raises(ValidationError, match=STRANGER):
        _issue(world, stranger)
    with pytest.raises(ValidationError, match="文号"):
        transfer_issue.issue(
            store, world.city.head, world.profile, YEAR, "EMP", SHAOXING, "  ", DAY
        )
    with pytest.raises(ValidationError, match="2030-01-15"):
        transfer_issue.issue(
            store, world.city.head, world.profile, YEAR, "EMP", SHAOXING, "文号", date(2030, 1, 15)
        )
    with pytest.raises(ValidationError, match="南湖县"):  # a county without a balance
        _issue(world, TransferInputs(YI // 2, 12 * YI, {NORTH: (6 * YI, None)}))
    with pytest.raises(ValidationError):
        _issue(world, replaces=1, reason="无")  # nothing to replace
    assert transfer_issue.issued(store, YEAR, "EMP") is None
    assert _entries(world) == before


def test_jining_keeps_the_deferred_part(world: World) -> None:
    """004 §4.5: 30 % now; a county short of demand deposits transfers the rest later."""
    jining = load_profile("jining")
    inputs = TransferInputs(balances={NORTH: (YI, None), SOUTH: (2 * YI, 1_000 * WAN)})
    found = transfer_issue.issue(
        world.city.store, world.city.head, jining, YEAR, "EMP", inputs, "济医保〔2027〕1号", DAY
    ).value
    south = found.result.counties[1]
    assert (south.transfer, south.now, south.deferred) == (6_000 * WAN, 1_000 * WAN, 5_000 * WAN)
    kept = transfer_issue.issued(world.city.store, YEAR, "EMP")
    assert kept is not None and kept.result == found.result
    assert kept.inputs.balances[SOUTH] == (2 * YI, 1_000 * WAN)
