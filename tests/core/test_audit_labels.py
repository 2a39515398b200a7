"""Every audit code the code base writes has a label on the audit screen.

The codes are read from the source: each `audit.append(...)` call's `action=` and `entity=`
— a literal; a parameter of the enclosing function, whose callers in the same module pass
literals (or `a if c else b`); or an f-string, whose values are listed in TEMPLATES. A new
code without a label, or a new f-string not listed here, fails this test.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

import pytest

import mibdesk
from mibdesk.core.services import audit_labels
from mibdesk.core.services.city.issued import Kind
from mibdesk.core.services.plan_flow import Decision

SOURCE = Path(mibdesk.__file__).parent

TEMPLATES: dict[str, tuple[str, ...]] = {
    "allocation.": get_args(Kind),
    "plan.": get_args(Decision),
    "county_plan.": get_args(Decision),
    "peer.": ("active", "rejected", "revoked"),  # exchange.peers.set_status
}
"""An f-string code's literal start → the values its placeholder takes."""


def _is_audit_append(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "append"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "audit"
    )


def _codes_of(expr: ast.expr, where: str) -> set[str]:
    """The codes an expression passed as a code can take."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        return _codes_of(expr.body, where) | _codes_of(expr.orelse, where)
    if isinstance(expr, ast.JoinedStr):
        start = expr.values[0]
        prefix = start.value if isinstance(start, ast.Constant) else ""
        assert len(expr.values) == 2 and prefix in TEMPLATES, (
            f"{where}: list the values of {ast.unparse(expr)} in TEMPLATES"
        )
        return {f"{prefix}{value}" for value in TEMPLATES[prefix]}
    raise AssertionError(f"{where}: cannot tell which codes {ast.unparse(expr)} takes")


def _callers_pass(tree: ast.Module, function: ast.FunctionDef, param: str) -> list[ast.expr]:
    """What calls of `function` in the module pass for its parameter `param`."""
    positional = [a.arg for a in function.args.args]
    passed: list[ast.expr] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else None
        name = node.func.id if isinstance(node.func, ast.Name) else name
        if name != function.name:
            continue
        passed += [k.value for k in node.keywords if k.arg == param]
        if param in positional and positional.index(param) < len(node.args):
            passed.append(node.args[positional.index(param)])
    return passed


def written_codes(field: str) -> dict[str, str]:
    """Every code written as `field` ("action" or "entity") → one place that writes it."""
    found: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        for call in filter(_is_audit_append, ast.walk(tree)):
            assert isinstance(call, ast.Call)
            where = f"{path.relative_to(SOURCE.parent)}:{call.lineno}"
            value = next(k.value for k in call.keywords if k.arg == field)
            if isinstance(value, ast.Name):  # a parameter: look at what the callers pass
                enclosing = [
                    f
                    for f in functions
                    if f.lineno <= call.lineno <= (f.end_lineno or 0)
                    and value.id in [a.arg for a in f.args.args + f.args.kwonlyargs]
                ]
                assert enclosing, f"{where}: {value.id} is not a parameter"
                passed = _callers_pass(tree, enclosing[-1], value.id)
                assert passed, f"{where}: no call of {enclosing[-1].name} passes {value.id}"
                codes = set().union(*(_codes_of(e, where) for e in passed))
            else:
                codes = _codes_of(value, where)
            found.update(dict.fromkeys(codes, where))
    return found


def test_the_scan_finds_the_codes_written_every_way() -> None:
    actions = written_codes("action")
    assert "pdf.sign" in actions and "keys.create" in actions  # literals
    assert "login.failed" in actions  # through accounts' note(action) closure
    assert {"user.enable", "user.disable"} <= actions.keys()  # a if c else b
    assert "report.approve" in actions  # through report_flow._step(action)
    assert {"plan.reduced", "allocation.adjustment", "peer.revoked"} <= actions.keys()
    assert len(actions) > 60
    assert "pdf" in written_codes("entity")


@pytest.mark.parametrize("field", ["action", "entity"])
def test_every_code_written_has_a_label(field: str) -> None:
    labels = audit_labels.ACTION_LABELS if field == "action" else audit_labels.ENTITY_LABELS
    missing = {code: where for code, where in written_codes(field).items() if code not in labels}
    assert not missing, f"add labels to core/services/audit_labels.py: {missing}"


def test_no_label_is_left_for_a_code_nothing_writes() -> None:
    assert set(audit_labels.ACTION_LABELS) == set(written_codes("action"))
    assert set(audit_labels.ENTITY_LABELS) == set(written_codes("entity"))


def test_labels_are_chinese_and_unknown_codes_show_as_they_are() -> None:
    assert audit_labels.action_label("pdf.sign") == "正式报表签章"
    assert audit_labels.entity_label("key") == "签章密钥"
    labels = [audit_labels.action_label(code) for code in audit_labels.ACTION_LABELS]
    labels += [audit_labels.entity_label(code) for code in audit_labels.ENTITY_LABELS]
    untranslated = [text for text in labels if not any("\u4e00" <= ch <= "\u9fff" for ch in text)]
    assert not untranslated
    assert audit_labels.action_label("future.thing") == "future.thing"
