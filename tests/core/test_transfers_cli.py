"""mibdesk-cli transfers show|issue|send on a real city office (the city world: a city and
its registered counties sharing a drop folder): the transfer computed from what the city
saved, the citywide spending prefilled from the counties' reports; issued under the city's
document number by the head; the notices sent and read by the county; a correction only as
a new version with a reason. A county office and a wrong password are refused."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import DEMO_NOW, HEAD_PASSWORD, FakeClock

sys.path.insert(0, str(Path(__file__).parents[1] / "city"))  # the city tests' world kit
from city_kit import NORTH, SOUTH, World, build_template, open_world, send_report

from mibdesk.cli import main
from mibdesk.core.periods import Month
from mibdesk.core.services.city import transfer_issue
from mibdesk.core.services.city.transfers import TransferInputs, save_inputs
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.store import open_store
from mibdesk.core.services.transfer_notices import transfer_notices

YEAR = 2026
YUAN = 100
DOC = "绍医保〔2026〕3号"
# Shaoxing (000 附件 §3.4): 2025 spending 2,400,000 + 1,600,000 = 4,000,000; 3 months of it
# = 1,000,000, less the pooled fund's 200,000 = 800,000 to transfer out of 2,000,000
# retained: 40 % of each county's balance (北城区 480,000 of 1,200,000; 南湖县 320,000).
SAVED = TransferInputs(
    200_000 * YUAN, None, {NORTH: (1_200_000 * YUAN, None), SOUTH: (800_000 * YUAN, None)}
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("transfers-cli") / "world"
    build_template(root, "sqlite", FakeClock(DEMO_NOW))
    return root


@pytest.fixture
def world(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("MIBDESK_PASSWORD", HEAD_PASSWORD)
    opened = open_world(template, "", "sqlite", tmp_path / "world", FakeClock(DEMO_NOW))
    for county, month, amount in ((opened.north, 3, 2_400_000), (opened.south, 7, 1_600_000)):
        send_report(
            county,
            "EMP",
            Month(2025, month),
            {("EXP_INPATIENT", ""): amount * YUAN},
            sent_at=f"2025-{month + 1:02d}-09T10:00:00+08:00",
        )
    city = opened.city
    sync(city.store)
    save_inputs(city.store, city.head, YEAR, "EMP", SAVED)
    yield opened
    opened.close()


def cli(
    world: World, capsys: pytest.CaptureFixture[str], *args: str, office: str = "city"
) -> tuple[int, str, str]:
    """Run mibdesk-cli on `office` of the world (closed meanwhile: one program writes)."""
    held = getattr(world, office)
    root = held.store.paths.root
    held.store.close()
    try:
        code = main([*args, "--data-dir", str(root)])
    finally:
        held.store = open_store(root, clock=held.store.clock)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _transfers(result: dict[str, object]) -> dict[str, int]:
    return {c["code"]: c["transfer"] for c in result["counties"]}  # type: ignore[attr-defined]


def test_show_computes_from_the_saved_figures_and_the_reports(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = cli(world, capsys, "transfers", "show", "--year", "2026", "--scheme", "emp")
    assert code == 0
    assert out.startswith("尚未下达")
    assert "800,000.00" in out and "40.0000%" in out and "000 附件 §3.4" in out

    code, out, _err = cli(
        world, capsys, "transfers", "show", "--year", "2026", "--scheme", "EMP", "--json"
    )
    answer = json.loads(out)
    assert answer["issued"] is None
    assert answer["inputs"]["citywide_spending"] == 4_000_000 * YUAN  # from the two reports
    result = answer["result"]
    assert result["total"] == 800_000 * YUAN
    assert _transfers(result) == {NORTH: 480_000 * YUAN, SOUTH: 320_000 * YUAN}
    assert all(step["source"] for step in result["working"])


def test_issue_send_and_a_correction_only_with_a_reason(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    issue = ["transfers", "issue", "--year", "2026", "--scheme", "EMP", "--as", "zhangli"]
    code, out, err = cli(world, capsys, *issue, "--doc-no", DOC, "--doc-date", "2026-01-15")
    assert code == 0, err
    assert out.startswith(f"已下达：第 1 版，{DOC}") and "480,000.00" in out
    found = transfer_issue.issued(world.city.store, YEAR, "EMP")
    assert found is not None and found.inputs.citywide_spending == 4_000_000 * YUAN

    # the city types again on its screen; show keeps the issued figures and their working
    save_inputs(
        world.city.store,
        world.city.head,
        YEAR,
        "EMP",
        TransferInputs(0, 0, {NORTH: (YUAN, None), SOUTH: (YUAN, None)}),
    )
    code, out, _err = cli(
        world, capsys, "transfers", "show", "--year", "2026", "--scheme", "EMP", "--json"
    )
    shown = json.loads(out)["issued"]
    assert (shown["version"], shown["doc_no"], shown["doc_date"]) == (1, DOC, "2026-01-15")
    assert _transfers(shown["result"]) == {NORTH: 480_000 * YUAN, SOUTH: 320_000 * YUAN}

    send = ["transfers", "send", "--year", "2026", "--scheme", "EMP", "--as", "zhangli"]
    code, out, _err = cli(world, capsys, *send)
    assert code == 0 and NORTH in out and SOUTH in out and "交换文件夹" in out
    code, out, err = cli(world, capsys, *send)
    assert code == 1 and not out and "已经发送" in err
    sync(world.north.store)
    (notice,) = transfer_notices(world.north.store, YEAR)
    assert (notice.version, notice.doc_no, notice.transfer) == (1, DOC, 480_000 * YUAN)

    # issued already: a second issue without a reason is refused, nothing stored
    code, out, err = cli(world, capsys, *issue, "--doc-no", DOC, "--doc-date", "2026-01-15")
    assert code == 1 and not out and "新版本" in err
    assert len(transfer_issue.versions(world.city.store, YEAR, "EMP")) == 1
    save_inputs(world.city.store, world.city.head, YEAR, "EMP", SAVED)
    code, out, err = cli(
        world,
        capsys,
        *issue,
        "--doc-no",
        "绍医保〔2026〕5号",
        "--doc-date",
        "2026-02-01",
        "--reason",
        "支出口径更正",
    )
    assert code == 0, err
    assert out.startswith("已下达：第 2 版") and "支出口径更正" in out


def test_a_county_office_and_a_wrong_password_are_refused(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    show = ["transfers", "show", "--year", "2026", "--scheme", "EMP"]
    code, out, err = cli(world, capsys, *show, office="north")
    assert code == 1 and not out and "不是市级经办机构" in err

    monkeypatch.setenv("MIBDESK_PASSWORD", "wrong")
    issue = ["transfers", "issue", "--year", "2026", "--scheme", "EMP", "--as", "zhangli"]
    code, out, err = cli(world, capsys, *issue, "--doc-no", DOC, "--doc-date", "2026-01-15")
    assert code == 1 and not out and err
    assert transfer_issue.issued(world.city.store, YEAR, "EMP") is None

    monkeypatch.setenv("MIBDESK_PASSWORD", HEAD_PASSWORD)
    code, out, err = cli(world, capsys, *issue, "--doc-no", DOC, "--doc-date", "2026-13-01")
    assert code == 1 and "YYYY-MM-DD" in err
    assert transfer_issue.issued(world.city.store, YEAR, "EMP") is None
