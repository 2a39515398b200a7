"""The first-run wizard: real fields typed into, messages on bad input, the office created.

Chinese text arrives as an input method commits it (`QLineEdit.insert`); QTest can only
synthesise ASCII key presses.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from mibdesk.core.services import accounts, townships
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import office_exists
from mibdesk.ui.setup.wizard import SetupWizard


def _wizard(qtbot: QtBot, folder: Path) -> SetupWizard:
    wizard = SetupWizard(folder)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _next(wizard: SetupWizard) -> None:
    wizard.button(QWizard.WizardButton.NextButton).click()


def test_a_wrong_code_keeps_the_user_on_the_page_with_a_message(
    qtbot: QtBot, tmp_path: Path
) -> None:
    wizard = _wizard(qtbot, tmp_path / "office")
    page = wizard.office_page
    page.profile.setCurrentIndex(page.profile.findData("shaoxing"))
    qtbot.keyClicks(page.code, "320506")
    page.name.insert("青溪县医疗保障事务中心")  # as an input method commits it
    _next(wizard)
    assert wizard.currentPage() is page
    assert "3306" in page.error.text()


def test_the_whole_wizard_creates_the_office(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "office"
    wizard = _wizard(qtbot, folder)
    page = wizard.office_page
    page.profile.setCurrentIndex(page.profile.findData("shaoxing"))
    qtbot.keyClicks(page.code, "330699")
    page.name.insert("青溪县医疗保障事务中心")  # as an input method commits it
    _next(wizard)
    assert wizard.currentPage() is wizard.drop_page
    qtbot.keyClicks(wizard.drop_page.folder, str(tmp_path / "drop"))
    _next(wizard)
    assert wizard.currentPage() is wizard.townships_page
    wizard.townships_page.text.insertPlainText("330699001 青溪街道\n320506001 外县镇")
    _next(wizard)
    assert wizard.currentPage() is wizard.townships_page  # line 2 is another county's
    assert wizard.townships_page.error.text()
    wizard.townships_page.text.setPlainText("330699001 青溪街道\n330699101 南山镇")
    _next(wizard)
    head, preparer, _reviewer = wizard.accounts_page.fields
    qtbot.keyClicks(head.username, "zhangli")
    head.display_name.insert("张丽")  # as an input method commits it
    qtbot.keyClicks(head.password, "Head2026pw")
    qtbot.keyClicks(head.confirm, "Head2026px")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert not office_exists(folder)  # the passwords differ
    assert wizard.accounts_page.error.text()
    head.confirm.clear()
    qtbot.keyClicks(head.confirm, "Head2026pw")
    qtbot.keyClicks(preparer.username, "wangfang")
    preparer.display_name.insert("王芳")  # as an input method commits it
    qtbot.keyClicks(preparer.password, "Prep2026pw")
    qtbot.keyClicks(preparer.confirm, "Prep2026pw")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.store is not None
    try:
        assert office_info(wizard.store).code == "330699"
        assert [u.username for u in accounts.list_users(wizard.store)] == ["zhangli", "wangfang"]
        assert [t.name for t in townships.list_townships(wizard.store)] == ["青溪街道", "南山镇"]
    finally:
        wizard.store.close()


def test_a_township_office_skips_the_townships_page(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "township"
    wizard = _wizard(qtbot, folder)
    page = wizard.office_page
    page.level.setCurrentIndex(page.level.findData("township"))
    page.profile.setCurrentIndex(page.profile.findData("shaoxing"))
    qtbot.keyClicks(page.code, "330699001")
    page.name.insert("青溪镇医保站")  # as an input method commits it
    _next(wizard)
    qtbot.keyClicks(wizard.drop_page.folder, str(tmp_path / "usb"))
    _next(wizard)
    assert wizard.currentPage() is wizard.accounts_page
    head = wizard.accounts_page.fields[0]
    qtbot.keyClicks(head.username, "chenjing")
    head.display_name.insert("陈静")  # as an input method commits it
    qtbot.keyClicks(head.password, "Head2026pw")
    qtbot.keyClicks(head.confirm, "Head2026pw")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.store is not None
    try:
        info = office_info(wizard.store)
        assert (info.level, info.code) == ("township", "330699001")
    finally:
        wizard.store.close()
