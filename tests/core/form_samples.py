"""The official forms built from the demo office, and reading back where their text was drawn.

Shared by the PDF form tests and the layout test (imported by name; each test module opens
the demo office in its own module-scoped fixture with `open_demo`).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from helpers import DEMO_NOW

from mibdesk.core.catalog import Profile, load_profile
from mibdesk.core.periods import Month
from mibdesk.core.reports import forms
from mibdesk.core.reports.layout import (
    Column,
    FormLayout,
    Row,
    Signatories,
    Signer,
    TableBlock,
    fingerprint,
)
from mibdesk.core.services import execution, figures, plans, setup, township_figures
from mibdesk.core.services.store import Store, open_store

OCT = Month(2026, 10)
NAMES = Signatories(
    Signer("张丽", "2026年11月23日"),
    Signer("刘强", "2026年11月23日"),
    Signer("王芳", "2026年11月20日"),
)


@dataclass
class Demo:
    store: Store
    profile: Profile
    office: setup.OfficeInfo


def open_demo(template: Path, folder: Path) -> Iterator[Demo]:
    """A private copy of the demo office (figures to October 2026, a plan for December)."""
    shutil.copytree(template, folder)
    store = open_store(folder, clock=lambda: DEMO_NOW)
    try:
        yield Demo(store, load_profile("shaoxing"), setup.office_info(store))
    finally:
        store.close()


def monthly(o: Demo) -> FormLayout:
    form = figures.month_form(o.store, o.profile, "RES", OCT)
    breakdown = township_figures.township_breakdown(o.store, o.profile, "RES", OCT)
    return forms.monthly_report_layout(o.office, o.profile, form, breakdown, NAMES)


def plan(o: Demo) -> FormLayout:
    view = plans.plan_view(o.store, o.profile, "EMP", Month(2026, 12))
    assert view is not None
    return forms.fund_plan_layout(o.office, o.profile, view, NAMES)


def execution_form(o: Demo) -> FormLayout:
    return forms.execution_layout(
        o.office, o.profile.form_codes, execution.execution(o.store, o.profile, 2026), 2026
    )


def cover(o: Demo) -> FormLayout:
    items = [
        forms.CoverItem("城乡居民基本医疗保险月报表", 1, 2, fingerprint(monthly(o))),
        forms.CoverItem("职工基本医疗保险基金用款计划申请表", 1, 1, fingerprint(plan(o))),
    ]
    return forms.cover_sheet_layout(o.office, o.profile.form_codes, OCT, items, NAMES)


BUILDERS: dict[str, Callable[[Demo], FormLayout]] = {
    "monthly": monthly,
    "plan": plan,
    "execution": execution_form,
    "cover": cover,
}


def synthetic(rows: int, reason: str = "", name: str = "项目", signer: str = "") -> FormLayout:
    """A made-up form of `rows` rows; `reason` fills the last column, `name` prefixes the
    item names, `signer` is the head's name."""
    columns = (
        Column("no", "序号", 6),
        Column("name", "项目名称", 30),
        Column("amount", "金额", 15, "fen"),
        Column("rate", "比例", 8, "percent"),
        Column("reason", "理由说明", 30),
    )
    body = tuple(
        Row(
            {
                "no": str(i),
                "name": f"{name}{i}",
                "amount": i * 123456789,
                "rate": i,
                "reason": reason,
            }
        )
        for i in range(1, rows + 1)
    )
    return FormLayout(
        title="测试长表",
        form_code="TEST-01",
        form_version="1",
        unit_name="青溪县医疗保障事务中心",
        unit_code="330699",
        period="2026年10月",
        tables=(TableBlock(columns, body),),
        total_fen=sum(i * 123456789 for i in range(1, rows + 1)),
        signatories=Signatories(head=Signer(signer, "2026年11月23日")),
    )


@dataclass(frozen=True)
class Placed:
    """One piece of text as drawn: its baseline start in PDF points, size and font."""

    text: str
    x: float
    y: float
    size: float
    font: str


def placed_text(pdf: Path, page: int = 0) -> list[Placed]:
    """Every text-showing operation on `page` (0-based), in drawing order."""
    import pypdf

    found: list[Placed] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
        found.append(Placed(text.strip("\n"), x, y, size * cm[3], name))

    pypdf.PdfReader(pdf).pages[page].extract_text(visitor_text=visit)
    return found


def first(placed: list[Placed], text: str) -> Placed:
    """The first piece that starts with `text`."""
    for piece in placed:
        if piece.text.startswith(text):
            return piece
    raise AssertionError(f"{text!r} not drawn; drawn: {[p.text for p in placed][:40]}")
