"""The official forms rendered to real PDFs and read back with pypdf and pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from mibdesk.core.catalog import Profile, load_profile
from mibdesk.core.errors import UserError
from mibdesk.core.periods import Month
from mibdesk.core.reports import engine, forms
from mibdesk.core.reports.layout import (
    Column,
    FormLayout,
    Row,
    Signatories,
    Signer,
    TableBlock,
    fingerprint,
)
from mibdesk.core.services import demo, execution, figures, plans, setup, township_figures
from mibdesk.core.services.store import Store, open_store

pypdf = pytest.importorskip("pypdf")

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=timezone(timedelta(hours=8)))
OCT = Month(2026, 10)
NAMES = Signatories(
    Signer("张丽", "2026年11月23日"),
    Signer("刘强", "2026年11月23日"),
    Signer("王芳", "2026年11月20日"),
)
SHOTS = Path("/tmp/shots")


@dataclass
class Demo:
    store: Store
    profile: Profile
    office: setup.OfficeInfo


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    root = tmp_path_factory.mktemp("pdf")
    demo.create_demo_office(root / "demo", lambda: NOW)
    store = open_store(root / "demo", clock=lambda: NOW)
    try:
        yield Demo(store, load_profile("shaoxing"), setup.office_info(store))
    finally:
        store.close() if hasattr(store, "close") else None


def _monthly(o: Demo) -> FormLayout:
    form = figures.month_form(o.store, o.profile, "RES", OCT)
    breakdown = township_figures.township_breakdown(o.store, o.profile, "RES", OCT)
    return forms.monthly_report_layout(o.office, o.profile, form, breakdown, NAMES)


def _plan(o: Demo) -> FormLayout:
    view = plans.plan_view(o.store, o.profile, "EMP", Month(2026, 12))
    assert view is not None
    return forms.fund_plan_layout(o.office, o.profile, view, NAMES)


def _execution(o: Demo) -> FormLayout:
    return forms.execution_layout(o.office, execution.execution(o.store, o.profile, 2026), 2026)


def _cover(o: Demo) -> FormLayout:
    items = [
        forms.CoverItem("城乡居民基本医疗保险月报表", 1, 2, fingerprint(_monthly(o))),
        forms.CoverItem("职工基本医疗保险基金用款计划申请表", 1, 1, fingerprint(_plan(o))),
    ]
    return forms.cover_sheet_layout(o.office, OCT, items, NAMES)


BUILDERS = {"monthly": _monthly, "plan": _plan, "execution": _execution, "cover": _cover}


def _text(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def _fonts(path: Path) -> list[tuple[str, Any]]:
    found = []
    for page in pypdf.PdfReader(path).pages:
        for _name, ref in page["/Resources"]["/Font"].items():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            found.append((str(font["/BaseFont"]), descriptor.get_object() if descriptor else None))
    return found


def _shot(pdf: Path, name: str) -> None:
    if shutil.which("pdftoppm") is None:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", pdf, SHOTS / name],
        check=True,
    )


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_each_form_renders_a_real_pdf(office: Demo, tmp_path: Path, kind: str) -> None:
    layout = BUILDERS[kind](office)
    target = tmp_path / f"{kind}.pdf"
    mark = engine.render_pdf(layout, target)

    reader = pypdf.PdfReader(target)
    assert len(reader.pages) >= 1
    pages = _text(target)
    first = pages[0]
    assert layout.title in first.replace("\n", "")
    assert office.office.name in first
    assert "第 1 页 共" in first
    assert f"数据指纹 {mark}" in first
    assert f"表号 {layout.form_code}" in first
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {len(pages)} 页" in text
    fonts = _fonts(target)
    assert fonts
    for base, descriptor in fonts:
        assert "STSong" not in base
        assert descriptor is not None and "/FontFile2" in descriptor
    assert not list(tmp_path.glob(".*.tmp"))
    _shot(target, f"pdf-{kind}")


def test_signatures_seal_and_daxie_are_printed(office: Demo, tmp_path: Path) -> None:
    layout = _plan(office)
    engine.render_pdf(layout, tmp_path / "plan.pdf")
    text = "".join(_text(tmp_path / "plan.pdf")).replace("\n", "")
    for word in ("单位负责人：张丽", "审核人：刘强", "经办人：王芳", "盖章处", "金额单位：元"):
        assert word in text
    assert layout.total_fen is not None
    from mibdesk.core.money import daxie, format_fen

    assert daxie(layout.total_fen) in text
    assert format_fen(layout.total_fen) in text


def test_pdftotext_returns_the_chinese_title(office: Demo, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    layout = _monthly(office)
    engine.render_pdf(layout, tmp_path / "m.pdf")
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", tmp_path / "m.pdf", "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert layout.title in out
    assert "分乡镇（街道）明细" in out


def _synthetic(rows: int, reason: str = "") -> FormLayout:
    columns = (
        Column("no", "序号", 6),
        Column("name", "项目名称", 30),
        Column("amount", "金额", 15, "fen"),
        Column("rate", "比例", 8, "percent"),
        Column("reason", "理由说明", 30),
    )
    body = tuple(
        Row(
            {"no": str(i), "name": f"项目{i}", "amount": i * 123456789, "rate": i, "reason": reason}
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
    )


def test_a_long_table_breaks_across_pages_with_the_header_repeated(tmp_path: Path) -> None:
    engine.render_pdf(_synthetic(200), tmp_path / "long.pdf")
    pages = _text(tmp_path / "long.pdf")
    assert len(pages) >= 4
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {len(pages)} 页" in text
    for text in pages[:-1]:
        assert "项目名称" in text and "理由说明" in text
    joined = "".join(pages)
    assert "项目200" in joined and "1,234,567.89" in joined
    assert "0.01%" in joined


def test_a_very_long_justification_wraps(tmp_path: Path) -> None:
    reason = "因本月集中结算异地就医费用及年底门诊慢特病集中报销，" * 40
    engine.render_pdf(_synthetic(3, reason), tmp_path / "wrap.pdf")
    text = re.sub(r"\s", "", "".join(_text(tmp_path / "wrap.pdf")))
    assert "因本月集中结算异地就医费用" in text
    assert text.count("集中报销") == 40 * 3  # every copy, none clipped


def test_fingerprint_follows_the_data() -> None:
    a = _synthetic(3)
    b = _synthetic(4)
    assert fingerprint(a) == fingerprint(_synthetic(3))
    assert fingerprint(a) != fingerprint(b)
    assert len(fingerprint(a)) == 19 and fingerprint(a).count("-") == 3


def test_a_failed_render_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "x.pdf"
    with pytest.raises((UserError, OSError)):
        engine.render_pdf(_synthetic(2), target)
    assert not target.exists()


def test_a_missing_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics

    monkeypatch.setattr(engine, "FONT", "WQYMicroHeiMissing")
    monkeypatch.setattr(engine, "FONT_FILE", ("fonts", "no-such-font.ttc"))
    assert "WQYMicroHeiMissing" not in pdfmetrics.getRegisteredFontNames()
    with pytest.raises(UserError, match=r"no-such-font\.ttc"):
        engine.render_pdf(_synthetic(2), tmp_path / "x.pdf")
    assert not list(tmp_path.iterdir())
