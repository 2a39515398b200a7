"""Log files, crash reports, the diagnostics zip, and the bundle's resource check at start."""

from __future__ import annotations

import json
import logging
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import HEAD_PASSWORD

from mibdesk.cli import main
from mibdesk.core import resources
from mibdesk.core.errors import UserError
from mibdesk.core.logs import KEEP_CRASH_REPORTS, start_logging, write_crash_report
from mibdesk.core.paths import DataPaths
from mibdesk.core.services import accounts, backup
from mibdesk.core.services.diagnostics import HIDDEN, export_diagnostics, redacted
from mibdesk.core.services.store import Store


def crash(where: str, logs: Path) -> Path | None:
    try:
        raise RuntimeError("the ledger went sideways")
    except RuntimeError as error:
        return write_crash_report(logs, error, where)


def test_logging_goes_to_a_rotating_file_in_the_logs_folder(tmp_path: Path) -> None:
    logs = DataPaths(tmp_path).logs
    path = start_logging(logs, "cli")
    logging.getLogger("mibdesk.test").info("opened the office")
    assert path == logs / "cli.log"
    text = path.read_text(encoding="utf-8")
    assert "cli started" in text and "opened the office" in text
    again = start_logging(logs, "gui")  # replaces the first file, never two at once
    logging.getLogger("mibdesk.test").info("second")
    assert again is not None and "second" in again.read_text(encoding="utf-8")
    assert "second" not in path.read_text(encoding="utf-8")


def test_a_folder_that_cannot_be_written_leaves_logging_to_the_console(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert start_logging(blocker / "logs", "gui") is None
    assert crash("the window", blocker / "logs") is None  # and a crash report never raises


def test_a_crash_report_holds_versions_and_traceback_and_only_the_newest_are_kept(
    tmp_path: Path,
) -> None:
    report = crash("mibdesk-cli figures import", tmp_path)
    assert report is not None and report.name.startswith("crash-")
    text = report.read_text(encoding="utf-8")
    assert "where: mibdesk-cli figures import" in text and "mibdesk: " in text
    assert "RuntimeError: the ledger went sideways" in text and "in crash" in text
    for _n in range(KEEP_CRASH_REPORTS + 3):
        crash("again", tmp_path)
    assert len(list(tmp_path.glob("crash-*.txt"))) == KEEP_CRASH_REPORTS


def test_settings_that_name_a_secret_are_hidden() -> None:
    shown = redacted({"drop_folder": "D:/drop", "sync_password": "x", "api_token": "t"})
    assert shown == {"drop_folder": "D:/drop", "sync_password": HIDDEN, "api_token": HIDDEN}


def test_the_diagnostics_zip_has_logs_versions_settings_health_and_no_secrets(
    demo_store: Store, tmp_path: Path
) -> None:
    paths = demo_store.paths
    start_logging(paths.logs, "gui")
    crash("the window", paths.logs)
    backup.create_backup(demo_store)
    accounts.login(demo_store, "zhangli", "demo2026")
    target = tmp_path / "out" / "diagnostics.zip"
    result = export_diagnostics(paths.root, target, store=demo_store)
    assert result.problems == ()
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        contents = b"".join(archive.read(name) for name in names)
        office = json.loads(archive.read("office.json"))
        health = json.loads(archive.read("health.json"))
        settings = json.loads(archive.read("settings.json"))
        backups = json.loads(archive.read("backups.json"))
        versions = json.loads(archive.read("versions.json"))
    assert set(names) >= {"office.json", "settings.json", "health.json", "versions.json"}
    assert "logs/gui.log" in names and any(n.startswith("logs/crash-") for n in names)
    assert office["code"] and office["name"] == "青溪县医疗保障事务中心"
    assert {c["key"]: c["level"] for c in health["checks"]}["database"] == "ok"
    assert health["facts"]["integrity"] == "ok"
    assert "drop_folder" in settings and len(backups) == 1
    assert versions["mibdesk"]
    assert not any(n.endswith((".sqlite", ".p12", ".crt")) for n in names)
    for secret in (b"demo2026", b"$argon2", b"PRIVATE KEY"):
        assert secret not in contents
    assert sorted(result.files) == sorted(names)


def test_diagnostics_of_an_office_that_will_not_open_still_carry_logs_and_the_check(
    office: Store, data_dir: Path, tmp_path: Path
) -> None:
    office.close()
    paths = DataPaths(data_dir)
    crash("the window", paths.logs)
    with paths.database.open("r+b") as handle:  # wreck the header: not a database any more
        handle.write(b"\0" * 100)
    result = export_diagnostics(data_dir, tmp_path / "d.zip")
    assert result.problems and "损坏" in result.problems[0]
    with zipfile.ZipFile(tmp_path / "d.zip") as archive:
        office_json = json.loads(archive.read("office.json"))
        assert office_json["integrity"] != "ok" and office_json["problems"]
        assert any(n.startswith("logs/crash-") for n in archive.namelist())


def test_cli_diagnostics_export(
    office: Store, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office.close()
    target = tmp_path / "support.zip"
    assert main(["diagnostics", "export", "-o", str(target), "--data-dir", str(data_dir)]) == 0
    assert "诊断信息已写入" in capsys.readouterr().out
    with zipfile.ZipFile(target) as archive:
        assert "logs/cli.log" in archive.namelist()  # the command logged itself
        assert HEAD_PASSWORD.encode() not in b"".join(archive.read(n) for n in archive.namelist())


def test_an_unexpected_cli_error_leaves_a_report_and_a_message(
    office: Store,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    office.close()

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr("mibdesk.core.services.health.health_report", broken)
    assert main(["health", "--data-dir", str(data_dir)]) == 1
    error = capsys.readouterr().err
    [report] = DataPaths(data_dir).logs.glob("crash-*.txt")
    assert "意外错误" in error and str(report) in error
    assert "ZeroDivisionError: bug" in report.read_text(encoding="utf-8")


def fake_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listed: list[str]) -> Path:
    root = tmp_path / "resources"
    (root / "fonts").mkdir(parents=True)
    (root / "fonts" / "a.ttf").write_bytes(b"font")
    (root / resources.MANIFEST).write_text("\n".join(listed) + "\n", encoding="utf-8")
    monkeypatch.setattr(resources, "resources_root", lambda: root)
    return root


def test_a_bundle_missing_a_resource_is_refused_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = fake_bundle(tmp_path, monkeypatch, ["fonts/a.ttf", "locale/zh_CN/mibdesk.mo"])
    with pytest.raises(UserError) as refused:
        resources.check_resources()
    assert "缺少资源 locale/zh_CN/mibdesk.mo" in str(refused.value)
    assert str(root / "locale/zh_CN/mibdesk.mo") in str(refused.value)
    (root / resources.MANIFEST).write_text("fonts/a.ttf\n", encoding="utf-8")
    resources.check_resources()  # complete


def test_a_bundle_without_its_manifest_is_refused_a_checkout_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    resources.check_resources()  # this checkout: no manifest, nothing to check
    root = fake_bundle(tmp_path, monkeypatch, [])
    (root / resources.MANIFEST).unlink()
    resources.check_resources()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    with pytest.raises(UserError, match=r"缺少资源 manifest\.txt"):
        resources.check_resources()


def test_the_cli_refuses_to_run_from_an_incomplete_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_bundle(tmp_path, monkeypatch, ["fonts/a.ttf", "fonts/b.ttf"])
    assert main(["health", "--data-dir", str(tmp_path / "office")]) == 1
    assert "缺少资源 fonts/b.ttf" in capsys.readouterr().err
