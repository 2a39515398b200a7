"""Build and sign a fund-use plan form: the 用款计划申请表 of November 2026 (disbursed, so
signable) rendered from the office's data, then the head's PAdES signature with its visible
stamp, as `pdf plan --sign` and the GUI do it.

An office with 10 years of history (the demo generator). Timed: loading pyHanko and the two
fonts (the GUI does it while the head types the key's password), the first form of the process
after that, and the median of the following ones.
Baseline, in the same run: ReportLab's canvas writing the same figures as plain strings on one
page in the same Song face (no layout, no signature), the floor of producing that PDF at all.
Goal (issue #5): build + sign ≤ 500 ms.

    .venv/bin/python bench/form_sign.py [RUNS]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from timing import median_ms, ten_year_office, timed_ms

from mibdesk.core.money import format_fen
from mibdesk.core.periods import Month
from mibdesk.core.services import forms, plans

MONTH = Month(2026, 11)
GOAL_MS = 500.0
KEY_PASSWORD = "bench-key-2026"


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    _folder, store, profile, head = ten_year_office()
    forms.create_key(store, head, KEY_PASSWORD, KEY_PASSWORD)
    view = plans.plan_view(store, profile, "EMP", MONTH)
    assert view is not None and view.status in forms.SIGNABLE_PLAN, view
    scratch = Path(tempfile.mkdtemp())

    def build_and_sign() -> None:
        form = forms.plan_pdf(store, profile, "EMP", MONTH, scratch / "plan.pdf")
        forms.sign_form(store, head, form, scratch / "plan-signed.pdf", KEY_PASSWORD)

    def baseline() -> None:
        from reportlab.pdfgen import canvas

        from mibdesk.core.reports import fonts

        drawing = canvas.Canvas(str(scratch / "bare.pdf"))
        drawing.setFont(fonts.SONG.name, 9)
        y = 800.0
        for line in view.lines:
            cells = (line.received, line.spent, line.last_plan, line.last_actual, line.requested)
            text = "  ".join([line.name, *(format_fen(v or 0) for v in cells)])
            drawing.drawString(40, y, text + "  " + line.justification)
            y -= 14
        drawing.showPage()
        drawing.save()

    from mibdesk.core.signing.sign import warm_up

    loading = timed_ms(warm_up)  # the GUI does this while the password is typed
    first = timed_ms(build_and_sign)
    warm = median_ms(build_and_sign, runs)
    base = median_ms(baseline, runs)
    print(f"plan form {MONTH.label}, {len(view.lines)} lines, signed by {head.display_name}")
    print(f"baseline, the same figures as plain strings on a canvas: {base:.1f} ms")
    print(f"loading pyHanko and the fonts (the GUI: while the password is typed): {loading:.1f} ms")
    print(
        f"build + sign, first in the process: {first:.1f} ms "
        f"(goal ≤ {GOAL_MS:.0f} ms; {first / base:.1f}x baseline)"
    )
    print(
        f"build + sign, median of {runs}: {warm:.1f} ms "
        f"(goal ≤ {GOAL_MS:.0f} ms; {warm / base:.1f}x baseline)"
    )
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
