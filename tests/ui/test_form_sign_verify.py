"""The head signs a form from the GUI (creating the office's key the first time), refusals
before any password is asked, and 验证PDF… in the main window, on the demo office."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from forms_helpers import demo_context, shot, when_shown
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from mibdesk.core.periods import Month
from mibdesk.core.services import audit_log
from mibdesk.core.services.forms import key_path
from mibdesk.core.services.store import Store
from mibdesk.ui.context import UiContext
from mibdesk.ui.forms.button import FormButton
from mibdesk.ui.forms.controller import FormController, FormRequest
from mibdesk.ui.forms.dialogs import CreateKeyDialog, SignDialog, VerifyDialog
from mibdesk.ui.forms.menu import install_verify_action

SEPTEMBER, OCTOBER = Month(2026, 9), Month(2026, 10)  # approved; only prepared
KEY_PASSWORD = "Key2026secret"


@pytest.fixture
def head(demo_store: Store) -> Iterator[UiContext]:
    with demo_context(demo_store, "zhangli") as ctx:
        yield ctx


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes answered at once (a question: Yes), recorded as (kind, text)."""
    seen: list[tuple[str, str]] = []

    def box(kind: str, answer: QMessageBox.StandardButton):  # type: ignore[no-untyped-def]
        def show(parent: QWidget | None, title: str, text: str, *rest: object) -> object:
            seen.append((kind, text))
            return answer

        return show

    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, box(kind, QMessageBox.StandardButton.Close))
    monkeypatch.setattr(QMessageBox, "question", box("question", QMessageBox.StandardButton.Yes))
    return seen


def _save_to(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(path), "PDF (*.pdf)"))


def _sign(qtbot: QtBot, ctx: UiContext, request: FormRequest) -> FormButton:
    button = FormButton(ctx, lambda: request)
    qtbot.addWidget(button)
    button.sign_action.trigger()
    assert ctx.tasks.wait_idle(60_000)
    return button


def _create_key(qtbot: QtBot, dialog: CreateKeyDialog) -> None:
    shot(dialog, "create-key")
    dialog.password.setText(KEY_PASSWORD)
    dialog.repeat.setText("Key2026secreT")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: "两次" in dialog.error.text() and dialog.ok_button.isEnabled())
    dialog.repeat.setText(KEY_PASSWORD)
    dialog.ok_button.click()


def _type_password(qtbot: QtBot, dialog: SignDialog) -> None:
    dialog.password.setText("not-the-password")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: "密码" in dialog.error.text() and dialog.ok_button.isEnabled())
    assert dialog.isVisible()  # stays open: the head may type it again
    shot(dialog, "sign-wrong-password")
    dialog.password.setText(KEY_PASSWORD)
    dialog.ok_button.click()


def test_the_head_creates_the_key_signs_an_approved_month_and_verifies_it(
    qtbot: QtBot,
    head: UiContext,
    messages: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    target = tmp_path / "九月月报-签章.pdf"
    _save_to(monkeypatch, target)
    when_shown(CreateKeyDialog, lambda dialog: _create_key(qtbot, dialog))
    when_shown(SignDialog, lambda dialog: _type_password(qtbot, dialog))
    _sign(qtbot, head, FormRequest.report("EMP", SEPTEMBER))

    assert key_path(head.store).is_file()
    kinds = [kind for kind, _text in messages]
    assert kinds == ["question", "information", "information"], messages
    fingerprint = messages[1][1].split("\n")[1]
    assert len(fingerprint.split()) == 16  # read out to the city
    assert str(target) in messages[2][1]
    verdict = FormController(head).verify(target)  # the office trusts its own certificate
    assert verdict.ok and verdict.office_code == "330699" and verdict.fingerprint == fingerprint
    actions = set(audit_log.actions(head.store))
    assert {"keys.create", "pdf.sign"} <= actions

    window = QMainWindow()
    qtbot.addWidget(window)
    action = install_verify_action(window, head)
    assert action.text() == "验证PDF…" and window.menuBar().actions()[0].text() == "工具(&T)"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(target), ""))
    seen: list[dict[str, str]] = []

    def read(dialog: VerifyDialog) -> None:
        seen.append({label: value.text() for label, value in dialog.values.items()})
        seen[-1]["summary"] = dialog.summary.text()
        shot(dialog, "verify-ok")

    when_shown(VerifyDialog, read)
    action.trigger()
    assert head.tasks.wait_idle(30_000)
    [facts] = seen
    assert facts["summary"].startswith("签名有效")
    assert facts["签名人"] == "青溪县医疗保障事务中心" and facts["单位代码"] == "330699"
    assert facts["签名后未被改动"] == "是" and facts["签名人可信"] == "是"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", facts["签名时间"])


def test_a_changed_file_and_a_file_that_is_not_a_pdf(
    qtbot: QtBot, head: UiContext, messages: list[tuple[str, str]], tmp_path: Path
) -> None:
    from mibdesk.core.services import forms

    forms.create_key(head.store, head.actor, KEY_PASSWORD, KEY_PASSWORD)
    controller = FormController(head)
    rendered = controller.render(FormRequest.report("EMP", SEPTEMBER), tmp_path / "form.pdf")
    signed = controller.sign(rendered, tmp_path / "signed.pdf", KEY_PASSWORD)
    data = bytearray(signed.read_bytes())
    at = data.index(b"/Title")
    data[at + 10] ^= 0x01  # one byte of the document information, after signing
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(bytes(data))

    from mibdesk.ui.forms.verify import verify_file

    seen: list[str] = []
    when_shown(VerifyDialog, lambda dialog: seen.append(dialog.problems.text()))
    verify_file(QWidget(), head, changed)
    assert head.tasks.wait_idle(30_000)
    assert seen and "改动" in seen[0]

    text_file = tmp_path / "月报.pdf"
    text_file.write_text("这不是PDF", encoding="utf-8")
    verify_file(QWidget(), head, text_file)
    assert head.tasks.wait_idle(30_000)
    [(kind, text)] = messages
    assert kind == "warning" and "不是PDF" in text


def test_unapproved_figures_are_refused_before_any_password(
    qtbot: QtBot, head: UiContext, messages: list[tuple[str, str]]
) -> None:
    _sign(qtbot, head, FormRequest.report("EMP", OCTOBER))
    [(kind, text)] = messages
    assert kind == "warning" and "审核" in text and "批准" in text
    assert not key_path(head.store).exists()  # not even a key was offered


def test_a_preparer_sees_no_sign_action_and_cannot_sign(
    qtbot: QtBot, demo_store: Store, messages: list[tuple[str, str]]
) -> None:
    with demo_context(demo_store, "wangfang") as ctx:
        button = _sign(qtbot, ctx, FormRequest.report("EMP", SEPTEMBER))
        assert not button.sign_action.isVisible()
        [(kind, text)] = messages
        assert kind == "warning" and "经办人" in text  # the role may not do this
