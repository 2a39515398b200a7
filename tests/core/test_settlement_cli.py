"""mibdesk-cli settle: a settlement re-run headless from an input file (issue #7)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from settlement_cases import SHAOXING_FILE as SHAOXING

from mibdesk.cli import main
from mibdesk.core.catalog import load_profile, profile_to_json
from mibdesk.core.services.store import Store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def input_file(tmp_path: Path) -> Path:
    path = tmp_path / "settle-2024.json"
    path.write_text(json.dumps(SHAOXING, ensure_ascii=False), encoding="utf-8")
    return path


def test_settle_prints_who_pays_what_as_json(
    input_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """000 附件 §4.4–4.6 through the CLI: 330603's 200万 surplus halves into the pool (100万 +
    100万 before = 200万); 330602's gap of 120万 (200万 − 30万 caused − 50万 balance) takes 60万 of
    it, the county the other 60万."""
    code, out, _err = run(capsys, "settle", "--year", "2024", "--input", str(input_file), "--json")
    assert code == 0
    answer = json.loads(out)
    assert len(answer["input_sha256"]) == 64
    settlement = answer["settlement"]
    assert (settlement["profile_id"], settlement["method"]) == ("shaoxing", "shaoxing")
    emp = settlement["schemes"][0]
    assert emp["scheme"] == "EMP" and emp["pooled_after"] == 200_000_000 - 60_000_000
    first = emp["counties"][0]
    assert (first["county"], first["county_caused"], first["from_balance"]) == (
        "330602",
        30_000_000,
        50_000_000,
    )
    assert (first["pooled_fund"], first["county_finance"]) == (60_000_000, 60_000_000)
    assert all(step["source"] for step in first["working"])


def test_settle_writes_the_working_as_a_workbook(
    input_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "settle.xlsx"
    code, out, _err = run(
        capsys, "settle", "--year", "2024", "--input", str(input_file), "--xlsx", str(target)
    )
    assert code == 0 and "330602" in out
    workbook = load_workbook(target)
    assert workbook.sheetnames == ["EMP 清算", "RES 清算", "计算过程"]
    sheet = workbook["EMP 清算"]
    headers = [cell.value for cell in sheet[3]]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, max_row=6, values_only=True)}
    pooled = headers.index("统筹基金承担")
    assert Decimal(str(rows["330602"][pooled])) == Decimal("600000.00")
    assert rows[None][1] == "合计"
    working = workbook["计算过程"]
    assert working.max_row > 20
    assert {row[6] for row in working.iter_rows(min_row=4, values_only=True)} >= {"000 附件 §4.4"}


def test_settle_without_input_on_a_county_says_a_city_office_is_needed(
    office: Store, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office.close()
    code, out, err = run(capsys, "settle", "--year", "2024", "--data-dir", str(data_dir))
    assert code == 1 and not out
    assert "不是市级经办机构" in err and "--input" in err


def test_settle_refuses_a_file_for_another_year(
    input_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "settle", "--year", "2025", "--input", str(input_file))
    assert code == 1 and not out and "2024" in err and str(input_file) in err


def test_settle_under_the_citys_own_profile_file(
    input_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """000 附件 §4.5.3 shares as the city's updated profile sets them (policy is data): at
    pooled 40 % the 120万 gap takes 48万 from the pool."""
    data = json.loads(profile_to_json(load_profile("shaoxing")))
    data["version"] = 2
    block = data["settlement"]["shaoxing"]
    block["deficit_pooled_share"]["value"], block["deficit_county_share"]["value"] = "0.4", "0.6"
    profile_file = tmp_path / "shaoxing-v2.json"
    profile_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _err = run(
        capsys,
        "settle",
        "--year",
        "2024",
        "--input",
        str(input_file),
        "--profile-file",
        str(profile_file),
        "--json",
    )
    assert code == 0
    settlement = json.loads(out)["settlement"]
    assert settlement["profile_version"] == 2
    assert settlement["schemes"][0]["counties"][0]["pooled_fund"] == 48_000_000


def test_settle_reports_an_unreadable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.json"
    code, _out, err = run(capsys, "settle", "--year", "2024", "--input", str(missing))
    assert code == 1 and str(missing) in err
