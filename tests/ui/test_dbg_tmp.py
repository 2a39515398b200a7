from test_monthly_report_screen import *  # noqa
from test_monthly_report_screen import store, hub, open_screen, demo_dir  # noqa
def test_dbg(qtbot, store, open_screen):
    head = open_screen("zhangli")
    choose(head, "EMP", SEPTEMBER)
    print("amend enabled", head.amend_button.isEnabled(), head.amend_button.isVisible())
    def amend(dialog):
        print("dialog", dialog)
        dialog.reason.setPlainText("x")
        click(dialog.ok_button)
    answer(amend)
    click(head.amend_button)
    print("status", stored(store, "EMP", SEPTEMBER).status)
    head.grid.go_to(row(head, "ENR_RETIRED"), VALUE)
    answer(lambda d: print("history dialog", d))
    index = head.grid.currentIndex()
    print("rect", head.grid.visualRect(index))
    QTest.mouseDClick(head.grid.viewport(), Qt.MouseButton.LeftButton, pos=head.grid.visualRect(index).center())
    print("done")
