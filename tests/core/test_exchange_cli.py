"""The file drop from the command line, on real offices sharing one drop folder on disk: the
demo county (today 2026-11-23), a city and a township, each in its own data folder."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from exchange_offices import CITY, TOWNSHIP, Office, make_office
from helpers import DEMO_NOW, HEAD_PASSWORD, FakeClock

from mibdesk.cli import main
from mibdesk.core.periods import Month
from mibdesk.core.services import accounts, demo, plan_flow, settings
from mibdesk.core.services.plans import plan_view
from mibdesk.core.services.profiles import office_profile
from mibdesk.core.services.setup import OfficeLevel
from mibdesk.core.services.store import open_store

DECEMBER = Month(2026, 12)


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    folder.mkdir()
    return folder


@pytest.fixture
def county_dir(demo_template: Path, tmp_path: Path, drop: Path) -> Path:
    """The demo county's data folder, its drop folder set (closed again: the CLI opens it)."""
    folder = tmp_path / "county"
    shutil.copytree(demo_template, folder)
    store = open_store(folder, clock=lambda: DEMO_NOW)
    head = accounts.login(store, demo.DEMO_HEAD, demo.DEMO_PASSWORD).value
    settings.change_settings(store, head, {"drop_folder": str(drop)})
    store.close()
    return folder


@pytest.fixture
def city(tmp_path: Path, drop: Path) -> Iterator[Office]:
    office = make_office(
        tmp_path, drop, FakeClock(DEMO_NOW), OfficeLevel.CITY, CITY, "绍兴市医疗保障事务中心"
    )
    office.store.close()  # the CLI opens it
    yield office


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_keys_cards_registration_send_show_verify_and_sync(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    county_dir: Path,
    city: Office,
    drop: Path,
    tmp_path: Path,
) -> None:
    county = ["--data-dir", str(county_dir)]
    city_dir = ["--data-dir", str(city.store.paths.root)]

    # each office's fingerprint, and its key card on a "USB stick"
    stick = tmp_path / "usb"
    stick.mkdir()
    code, out, _err = cli(capsys, "keys", "fingerprint", *county, "--json")
    county_fingerprint = json.loads(out)["fingerprint"]
    assert code == 0 and len(county_fingerprint.split()) == 8
    code, out, _err = cli(capsys, "keys", "card", *city_dir, "-o", str(stick), "--json")
    city_card = Path(json.loads(out)["path"])
    assert code == 0 and city_card.parent == stick and city_card.suffix == ".mibkey"
    code, out, _err = cli(capsys, "keys", "card", *county, "-o", str(stick))
    assert code == 0 and "指纹" in out and county_fingerprint in out

    # the county imports the city's card: pending until the fingerprint is confirmed
    monkeypatch.setenv("MIBDESK_PASSWORD", demo.DEMO_PASSWORD)
    code, out, _err = cli(capsys, "keys", "import-card", str(city_card), *county, "--as", "zhangli")
    assert code == 0 and "待确认" in out and "keys register" in out
    key_id = out.split()[0]
    code, _out, err = cli(
        capsys, "keys", "register", key_id, *county, "--fingerprint", "0000", "--as", "zhangli"
    )
    assert code == 1 and "指纹与密钥卡不符" in err
    code, out, _err = cli(capsys, "keys", "fingerprint", *city_dir)
    city_fingerprint = out.splitlines()[1]
    code, out, _err = cli(
        capsys,
        "keys",
        "register",
        key_id,
        *county,
        "--fingerprint",
        city_fingerprint.lower(),
        "--as",
        "zhangli",
    )
    assert code == 0 and "已登记" in out
    code, out, _err = cli(capsys, "keys", "list", *county, "--json")
    listed = json.loads(out)
    assert listed["fingerprint"] == county_fingerprint
    # the real city's key replaces the one the demo office came with
    assert [(p["office"], p["status"]) for p in listed["peers"]] == [
        (CITY, "revoked"),
        (CITY, "active"),
    ]

    # the county sends September's approved report and December's signed plan
    code, out, _err = cli(
        capsys,
        "package",
        "send",
        "report",
        *county,
        "--scheme",
        "emp",
        "--period",
        "2026-09",
        "--as",
        "zhangli",
    )
    assert code == 0 and "已放入交换文件夹" in out
    [report_file] = drop.glob("mibdesk_330699_to_330600_*.mibpkg")
    code, _out, err = cli(
        capsys,
        "package",
        "send",
        "report",
        *county,
        "--scheme",
        "EMP",
        "--period",
        "2026-11",
        "--as",
        "zhangli",
    )
    assert code == 1 and "尚未审批" in err
    sign_december(county_dir)
    pdf = tmp_path / "plan-signed.pdf"
    pdf.write_bytes(b"%PDF-1.7\n% signed by the head\n%%EOF\n")
    code, out, _err = cli(
        capsys,
        "package",
        "send",
        "plan",
        *county,
        "--scheme",
        "EMP",
        "--period",
        "2026-12",
        "--pdf",
        str(pdf),
        "--as",
        "zhangli",
        "--json",
    )
    sent = json.loads(out)
    assert code == 0 and sent["sent"]["kind"] == "fund_plan" and not sent["waiting_because"]

    # a technician looks at the package at the city before the county's key is registered
    code, out, _err = cli(capsys, "package", "show", str(report_file), *city_dir)
    assert code == 0 and "签名：未核验" in out and "类型：月报（monthly_report）" in out
    assert "payload/data.json" in out and "与清单一致" in out and "2026年9月" in out
    code, out, _err = cli(capsys, "package", "show", str(report_file), *city_dir, "--json")
    shown = json.loads(out)
    assert shown["signature"] == "unverified" and shown["manifest"]["sender"]["office"] == "330699"
    assert {m["check"] for m in shown["members"]} == {"manifest", "signature", "matches"}
    code, out, _err = cli(capsys, "package", "verify", str(report_file), *city_dir)
    assert code == 1 and "核验未通过" in out and "未在本单位登记" in out

    # the city registers the county's key: the same file now verifies, a changed copy not
    card = next(stick.glob("mibdesk_330699_key_*.mibkey"))
    monkeypatch.setenv("MIBDESK_PASSWORD", HEAD_PASSWORD)
    code, out, _err = cli(capsys, "keys", "import-card", str(card), *city_dir, "--as", "zhangli")
    code, out, _err = cli(
        capsys,
        "keys",
        "register",
        out.split()[0],
        *city_dir,
        "--fingerprint",
        county_fingerprint,
        "--as",
        "zhangli",
    )
    assert code == 0
    code, out, _err = cli(capsys, "package", "verify", str(report_file), *city_dir)
    assert code == 0 and out.startswith("核验通过") and "330699" in out
    code, out, _err = cli(capsys, "package", "show", str(report_file), *city_dir, "--json")
    assert json.loads(out)["signature"] == "verified"
    tampered = tmp_path / report_file.name
    data = bytearray(report_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    code, out, _err = cli(capsys, "package", "verify", str(tampered), *city_dir, "--json")
    verdict = json.loads(out)
    assert code == 1 and verdict["ok"] is False and verdict["reason"]

    # the city's scheduled task syncs without a password
    monkeypatch.delenv("MIBDESK_PASSWORD")
    code, out, _err = cli(capsys, "sync", *city_dir, "--json")
    report = json.loads(out)
    assert code == 0 and report["problem"] == ""
    assert sorted(v["kind"] for v in report["verdicts"]) == ["fund_plan", "monthly_report"]
    assert {v["status"] for v in report["verdicts"]} == {"applied"}
    code, out, _err = cli(capsys, "sync", *county)
    assert code == 0 and "同步于" in out

    # the originals stay with the city: a technician takes the report's file out again
    package_id = shown["manifest"]["package_id"]
    originals = tmp_path / "originals"
    originals.mkdir()
    code, out, _err = cli(capsys, "package", "original", package_id[:12], str(originals), *city_dir)
    assert code == 0 and "已保存为" in out
    assert (originals / report_file.name).read_bytes() == report_file.read_bytes()
    code, out, _err = cli(capsys, "package", "verify", str(originals / report_file.name), *city_dir)
    assert code == 0 and out.startswith("核验通过")
    code, _out, err = cli(capsys, "package", "original", "0123", str(originals), *city_dir)
    assert code != 0 and "前8位" in err
    code, _out, err = cli(capsys, "package", "original", "0" * 12, str(originals), *city_dir)
    assert code != 0 and "没有编号为" in err


def sign_december(folder: Path) -> None:
    store = open_store(folder, clock=lambda: DEMO_NOW)
    try:
        profile = office_profile(store)
        reviewer = accounts.login(store, demo.DEMO_REVIEWER, demo.DEMO_PASSWORD).value
        head = accounts.login(store, demo.DEMO_HEAD, demo.DEMO_PASSWORD).value
        plan_flow.review_plan(store, reviewer, profile, "EMP", DECEMBER)
        plan_flow.sign_plan(store, head, profile, "EMP", DECEMBER)
        assert plan_view(store, profile, "EMP", DECEMBER).status == "signed"  # type: ignore[union-attr]
    finally:
        store.close()


def test_sync_with_the_drop_gone_fails_and_says_outgoing_packages_wait(
    capsys: pytest.CaptureFixture[str], county_dir: Path, drop: Path
) -> None:
    drop.rmdir()
    code, out, _err = cli(capsys, "sync", "--data-dir", str(county_dir))
    assert code == 1 and "无法访问交换文件夹" in out and "在本机等待" in out


def test_package_commands_refuse_clearly(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    drop: Path,
) -> None:
    township = make_office(
        tmp_path, drop, FakeClock(DEMO_NOW), OfficeLevel.TOWNSHIP, TOWNSHIP, "青溪镇医保站"
    )
    township.store.close()
    here = ["--data-dir", str(township.store.paths.root)]
    monkeypatch.setenv("MIBDESK_PASSWORD", HEAD_PASSWORD)
    code, _out, err = cli(
        capsys,
        "package",
        "send",
        "township",
        *here,
        "--scheme",
        "RES",
        "--period",
        "2026-10",
        "--as",
        "zhangli",
    )
    assert code == 1 and "尚未登记" in err
    code, _out, err = cli(capsys, "package", "show", str(tmp_path / "missing.mibpkg"), *here)
    assert code == 1 and "文件不存在" in err
    junk = tmp_path / "junk.mibpkg"
    junk.write_bytes(b"not a zip")
    code, out, _err = cli(capsys, "package", "show", str(junk), "--data-dir", str(tmp_path / "no"))
    assert code == 0 and "签名：拒收" in out and "不是 mibdesk 数据包" in out
    code, out, _err = cli(capsys, "package", "verify", str(junk), *here)
    assert code == 1 and "不是 mibdesk 数据包" in out
    code, _out, err = cli(capsys, "keys", "import-card", str(junk), *here, "--as", "zhangli")
    assert code == 1 and err
