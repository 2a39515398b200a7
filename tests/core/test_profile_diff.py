"""What a policy-profile update changes, parameter by parameter, and the key parameters a
city checks before publishing it."""

from __future__ import annotations

import json

from mibdesk.core.catalog import load_profile
from mibdesk.core.catalog.loader import parse_profile
from mibdesk.core.catalog.profile_diff import key_parameters, profile_changes


def _update(name: str, change: object) -> tuple[object, object]:
    current = load_profile(name)
    document = current.model_dump(mode="json")
    document["version"] += 1
    change(document)  # type: ignore[operator]
    return current, parse_profile(json.dumps(document, ensure_ascii=False), where="update.json")


def test_changed_parameters_are_listed_with_before_and_after() -> None:
    def change(document: dict) -> None:  # type: ignore[type-arg]
        document["risk"]["reserve_months_red"]["value"] = "2"
        document["timetable"]["monthly_report_due"]["day"] = 12

    current, update = _update("shaoxing", change)
    changes = profile_changes(current, update)  # type: ignore[arg-type]
    assert [(c.path, c.section, c.before, c.after) for c in changes] == [
        ("version", "方案版本", "1", "2"),
        ("timetable.monthly_report_due.day", "时间要求", "10", "12"),
        ("risk.reserve_months_red.value", "风险指标", "3", "2"),
    ]


def test_lines_are_matched_by_code_not_by_position() -> None:
    """Two lines swap places and one is renamed: only the rename (and the version) show."""

    def change(document: dict) -> None:  # type: ignore[type-arg]
        lines = document["schemes"][0]["lines"]
        lines[0], lines[1] = lines[1], lines[0]
        lines[0]["name"] = "新名称"

    current, update = _update("shaoxing", change)
    moved = update.schemes[0].lines[0]  # type: ignore[attr-defined]
    changes = profile_changes(current, update)  # type: ignore[arg-type]
    assert [(c.path, c.section, c.after) for c in changes] == [
        ("version", "方案版本", "2"),
        (f"schemes[EMP].lines[{moved.code}].name", "险种和报表项目", "新名称"),
    ]


def test_the_same_profile_has_no_changes() -> None:
    profile = load_profile("jining")
    assert profile_changes(profile, profile) == []


def test_key_parameters_name_the_transfer_rule_and_its_source() -> None:
    shaoxing = {p.label: p for p in key_parameters(load_profile("shaoxing"))}
    transfer = shaoxing["余额划转"]
    assert "3 个月" in transfer.value and "1 个月" in transfer.value
    assert transfer.source == "000 附件 §3.4–3.5"
    jining = {p.label: p for p in key_parameters(load_profile("jining"))}
    assert "30%" in jining["余额划转"].value and jining["余额划转"].source == "004 §4.5"
    suzhou = {p.label: p for p in key_parameters(load_profile("suzhou"))}
    assert suzhou["余额划转"].value == "无余额划转规定。"
