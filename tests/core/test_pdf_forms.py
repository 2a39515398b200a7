"""The official forms rendered to real PDFs and read back with pypdf and pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from form_samples import BUILDERS, Demo, monthly, open_demo, plan, synthetic

from mibdesk.core.errors import UserError
from mibdesk.core.reports import engine, fonts
from mibdesk.core.reports.layout import Row, fingerprint

pypdf = pytest.importorskip("pypdf")

SHOTS = Path("/tmp/shots")


@pytest.fixture(scope="module")
def office(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    yield from open_demo(demo_template, tmp_path_factory.mktemp("pdf") / "demo")


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
    embedded = _fonts(target)
    assert {"NotoSerifCJKsc", "WenQuanYiMicroHei"} <= {
        re.sub(r"^/?[A-Z]{6}\+|-.*$", "", base) for base, _descriptor in embedded
    }  # the Song face for the body, the Hei face for titles and headers
    for base, descriptor in embedded:
        assert "STSong" not in base
        assert descriptor is not None and "/FontFile2" in descriptor  # TrueType, embedded
    assert not list(tmp_path.glob(".*.tmp"))
    _shot(target, f"pdf-{kind}")


def test_signatures_seal_and_daxie_are_printed(office: Demo, tmp_path: Path) -> None:
    layout = plan(office)
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
    layout = monthly(office)
    engine.render_pdf(layout, tmp_path / "m.pdf")
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", tmp_path / "m.pdf", "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert layout.title in out
    assert "分乡镇（街道）明细" in out


def test_a_long_table_breaks_across_pages_with_the_header_repeated(tmp_path: Path) -> None:
    engine.render_pdf(synthetic(200), tmp_path / "long.pdf")
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
    engine.render_pdf(synthetic(3, reason), tmp_path / "wrap.pdf")
    text = re.sub(r"\s", "", "".join(_text(tmp_path / "wrap.pdf")))
    assert "因本月集中结算异地就医费用" in text
    assert text.count("集中报销") == 40 * 3  # every copy, none clipped


def test_fingerprint_follows_the_data() -> None:
    a = synthetic(3)
    b = synthetic(4)
    assert fingerprint(a) == fingerprint(synthetic(3))
    assert fingerprint(a) != fingerprint(b)
    assert len(fingerprint(a)) == 19 and fingerprint(a).count("-") == 3


def test_a_failed_render_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "x.pdf"
    with pytest.raises((UserError, OSError)):
        engine.render_pdf(synthetic(2), target)
    assert not target.exists()


def test_a_missing_font_file_is_named_in_chinese(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = fonts.Face("MibdeskSongMissing", "no-such-song.ttf")
    monkeypatch.setattr(fonts, "FACES", (missing, fonts.HEI))
    target = tmp_path / "x.pdf"
    with pytest.raises(UserError, match=r"字体文件 no-such-song\.ttf") as refused:
        engine.render_pdf(synthetic(2), target)
    assert "重新安装" in str(refused.value)
    assert not list(tmp_path.iterdir())


def test_a_failed_render_keeps_the_previous_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "form.pdf"
    target.write_bytes(b"%PDF- the copy filed yesterday")
    calls = 0
    markup = fonts.markup

    def failing(text: str, primary: fonts.Face) -> str:
        nonlocal calls
        calls += 1
        if calls > 20:  # half-way through the table
            raise RuntimeError("disk pulled out")
        return markup(text, primary)

    monkeypatch.setattr(fonts, "markup", failing)
    with pytest.raises(RuntimeError):
        engine.render_pdf(synthetic(30), target)
    assert target.read_bytes() == b"%PDF- the copy filed yesterday"
    assert [p.name for p in tmp_path.iterdir()] == ["form.pdf"]


def test_runs_switch_face_only_where_one_lacks_the_character() -> None:
    fonts.register()
    assert fonts.runs("王あ䶮", fonts.SONG) == [
        (fonts.SONG, "王"),
        (fonts.HEI, "あ"),  # kana: not in the Song subset, in the Hei face
        (fonts.SONG, "䶮"),
    ]
    assert fonts.runs("张丽䶮𬘡", fonts.HEI) == [(fonts.HEI, "张丽"), (fonts.SONG, "䶮𬘡")]
    assert fonts.markup("A&B\n<C>", fonts.SONG) == "A&amp;B<br/>&lt;C&gt;"


def test_rare_name_characters_print_and_extract(tmp_path: Path) -> None:
    from form_samples import placed_text

    rare = "王䶮𬘡"  # extension A and extension B: in the Song face only
    layout = synthetic(2, name=rare, signer=rare)
    bold = Row({"name": f"{rare}小计"}, bold=True)  # a Hei row: falls back per character
    layout = replace(layout, tables=(replace(layout.tables[0], totals=bold),))
    target = tmp_path / "rare.pdf"
    engine.render_pdf(layout, target)
    drawn = [(piece.text, piece.font.split("+")[-1][:6]) for piece in placed_text(target)]
    assert (f"{rare}1", "NotoSe") in drawn  # a body row, all in the Song face
    for piece in (("王", "WenQua"), ("䶮𬘡", "NotoSe"), ("小计", "WenQua")):
        assert piece in drawn  # the Hei row borrows the Song face for two characters
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", target, "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert f"单位负责人：{rare}" in out
    assert f"{rare}小计" in out
