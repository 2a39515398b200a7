"""mibdesk-cli: the same services headless, with --data-dir and --json."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from helpers import HEAD_PASSWORD

from mibdesk.cli import main
from mibdesk.core.services.store import Store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_init_sets_up_an_office_headless(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIBDESK_PASSWORD", HEAD_PASSWORD)
    folder = tmp_path / "new"
    code, out, _err = run(
        capsys,
        "init",
        "--data-dir",
        str(folder),
        "--profile",
        "jining",
        "--code",
        "370811",
        "--name",
        "任城区医疗保障服务中心",
        "--head",
        "zhouqing:周青",
        "--json",
    )
    assert code == 0
    assert json.loads(out)["code"] == "370811"
    code, out, _err = run(capsys, "users", "list", "--data-dir", str(folder), "--json")
    assert [u["username"] for u in json.loads(out)] == ["zhouqing"]


def test_init_with_a_bad_code_says_so_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIBDESK_PASSWORD", HEAD_PASSWORD)
    folder = tmp_path / "new"
    code, _out, err = run(
        capsys,
        "init",
        "--data-dir",
        str(folder),
        "--profile",
        "jining",
        "--code",
        "330699",
        "--name",
        "某县医保中心",
        "--head",
        "zq:周青",
    )
    assert code == 1 and "3708" in err
    assert not (folder / "mibdesk.sqlite").exists()


def test_init_without_a_password_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(
        capsys,
        "init",
        "--data-dir",
        str(tmp_path / "x"),
        "--profile",
        "jining",
        "--code",
        "370811",
        "--name",
        "任城区医保中心",
        "--head",
        "zhouqing:周青",
    )
    assert code == 1 and "MIBDESK_PASSWORD" in err


def test_demo_backup_restore_and_audit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "demo"
    code, out, _err = run(capsys, "demo", "--data-dir", str(folder), "--json")
    summary = json.loads(out)
    assert code == 0 and summary["first_month"].endswith("-01") and summary["figures"] > 1000
    code, out, _err = run(capsys, "backup", "--data-dir", str(folder), "--json")
    taken = Path(json.loads(out)["path"])
    assert code == 0 and taken.exists()
    code, out, _err = run(capsys, "audit", "verify", "--data-dir", str(folder), "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    monkeypatch.setenv("MIBDESK_PASSWORD", summary["password"])
    code, out, _err = run(
        capsys, "restore", str(taken), "--data-dir", str(folder), "--as", "zhangli", "--json"
    )
    assert code == 0 and "set-aside" in json.loads(out)["previous_moved_to"]


def test_audit_verify_names_the_first_broken_entry(
    office: Store, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office.close()
    connection = sqlite3.connect(data_dir / "mibdesk.sqlite")
    connection.execute("UPDATE audit_entry SET reason = 'forged' WHERE id = 3")
    connection.commit()
    connection.close()
    code, out, _err = run(capsys, "audit", "verify", "--data-dir", str(data_dir), "--json")
    verdict = json.loads(out)
    assert code == 1 and verdict["ok"] is False and verdict["first_broken_id"] == 3


def test_users_add_lock_unlock_as_head(
    office: Store,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    office.close()
    monkeypatch.setenv("MIBDESK_PASSWORD", HEAD_PASSWORD)
    monkeypatch.setenv("MIBDESK_NEW_PASSWORD", "Chen2026pw")
    base = ["--data-dir", str(data_dir), "--as", "zhangli", "--json"]
    code, out, _err = run(
        capsys, "users", "add", "chenjing", "--name", "陈静", "--role", "reviewer", *base
    )
    assert code == 0 and json.loads(out)["role"] == "reviewer"
    code, out, _err = run(capsys, "users", "lock", "chenjing", "--reason", "调岗", *base)
    assert code == 0 and json.loads(out)["locked"] is True
    code, out, _err = run(capsys, "users", "unlock", "chenjing", *base)
    assert code == 0 and json.loads(out)["locked"] is False


def test_a_preparer_cannot_add_users_from_the_cli(
    office: Store,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    office.close()
    monkeypatch.setenv("MIBDESK_PASSWORD", "Prep2026pw")
    monkeypatch.setenv("MIBDESK_NEW_PASSWORD", "Chen2026pw")
    code, _out, _err = run(
        capsys,
        "users",
        "add",
        "chenjing",
        "--name",
        "陈静",
        "--role",
        "head",
        "--data-dir",
        str(data_dir),
        "--as",
        "wangfang",
    )
    assert code == 1


def test_an_empty_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "users", "list", "--data-dir", str(tmp_path))
    assert code == 1 and str(tmp_path) in err


def test_figures_show_export_and_import_with_dry_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "demo"
    run(capsys, "demo", "--data-dir", str(folder))
    code, out, _err = run(
        capsys,
        "figures",
        "show",
        "--data-dir",
        str(folder),
        "--scheme",
        "RES",
        "--period",
        "2026-10",
        "--json",
    )
    shown = json.loads(out)
    assert code == 0 and shown["month"] == "2026-10" and shown["status"] == "prepared"
    assert "ENR_ADULT@330699001" in shown["cells"]
    template = tmp_path / "res.xlsx"
    code, _out, _err = run(
        capsys,
        "figures",
        "export",
        "template",
        "--data-dir",
        str(folder),
        "--scheme",
        "RES",
        "--period",
        "2026-11",
        "-o",
        str(template),
    )
    assert code == 0 and template.exists()
    code, out, _err = run(
        capsys,
        "figures",
        "import",
        "template",
        str(template),
        "--data-dir",
        str(folder),
        "--dry-run",
        "--json",
    )
    preview = json.loads(out)
    assert code == 0 and preview["diffs"] == [] and preview["errors"] == []
    for what, period in (("month", "2026-10"), ("year", "2025")):
        target = tmp_path / f"{what}.xlsx"
        code, _out, _err = run(
            capsys,
            "figures",
            "export",
            what,
            "--data-dir",
            str(folder),
            "--scheme",
            "EMP",
            "--period",
            period,
            "-o",
            str(target),
        )
        assert code == 0 and target.stat().st_size > 0


def test_quota_and_plan_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "demo"
    run(capsys, "demo", "--data-dir", str(folder))
    code, out, _err = run(
        capsys, "quota", "show", "--data-dir", str(folder), "--year", "2026", "--json"
    )
    shown = json.loads(out)
    assert code == 0 and {s["scheme"] for s in shown} == {"EMP", "RES"}
    assert shown[0]["position"]["available"] > 0
    monkeypatch.setenv("MIBDESK_PASSWORD", "demo2026")
    code, out, _err = run(
        capsys,
        "quota",
        "adjust",
        "--data-dir",
        str(folder),
        "--scheme",
        "EMP",
        "--year",
        "2026",
        "--amount",
        "5000000.00",
        "--doc-no",
        "绍医保发〔2026〕40号",
        "--doc-date",
        "2026-11-20",
        "--reason",
        "年中追加",
        "--as",
        "zhangli",
        "--json",
    )
    assert code == 0 and json.loads(out)["amount"] == 500_000_000
    code, out, _err = run(
        capsys,
        "plan",
        "show",
        "--data-dir",
        str(folder),
        "--scheme",
        "EMP",
        "--period",
        "2026-12",
        "--json",
    )
    plan = json.loads(out)
    assert code == 0 and plan["plan"]["status"] == "draft" and len(plan["steps"]) == 4
    code, _out, err = run(
        capsys,
        "plan",
        "draft",
        "--data-dir",
        str(folder),
        "--scheme",
        "EMP",
        "--period",
        "2026-12",
        "--as",
        "wangfang",
    )
    assert code == 1 and err  # one is pending already
