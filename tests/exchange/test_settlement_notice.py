"""Settlement notices (清算通知) from the city to its counties through a real drop folder:
one package per county with its own figures and working; the county keeps the notice, lists
it in its inbox in words, and shows its figures. Refused before the year is final."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import DEMO_NOW, FakeClock

sys.path.insert(0, str(Path(__file__).parents[1] / "city"))  # the city tests' world kit
from city_kit import NORTH, SOUTH, World, build_template, open_world
from settlement_kit import TYPED, YEAR, YUAN, send_year

from mibdesk.core.errors import ValidationError
from mibdesk.core.services.city.settlement import save
from mibdesk.core.services.city.settlement_run import finalise
from mibdesk.core.services.exchange.overview import kind_label, subject_text
from mibdesk.core.services.exchange.quarantine import received
from mibdesk.core.services.exchange.sending_settlement import send_notices, summary
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.settlement_notices import notices


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("settlement-notice") / "world"
    build_template(root, "sqlite", FakeClock(DEMO_NOW))
    return root


@pytest.fixture
def world(template: Path, tmp_path: Path) -> Iterator[World]:
    opened = open_world(template, "", "sqlite", tmp_path / "world", FakeClock(DEMO_NOW))
    send_year(opened)
    save(opened.city.store, opened.city.head, opened.profile, YEAR, TYPED)
    yield opened
    opened.close()


def test_each_county_receives_its_own_figures_and_working(world: World) -> None:
    city = world.city
    with pytest.raises(ValidationError, match="尚未定稿"):
        send_notices(city.store, city.head, world.profile, YEAR)
    finalise(city.store, city.head, world.profile, YEAR)
    sent = send_notices(city.store, city.head, world.profile, YEAR).value
    assert [s.sent.recipient for s in sent] == [NORTH, SOUTH]
    assert all(not s.waiting_because for s in sent)

    sync(world.north.store)
    (notice,) = notices(world.north.store, YEAR)
    assert notice.city == "330600" and len(notice.input_sha256) == 64
    emp, res = notice.schemes
    assert (emp.scheme, emp.grade) == ("EMP", "优秀")
    assert (emp.income, emp.expenditure) == (1_212_000 * YUAN, 1_340_000 * YUAN)
    assert emp.county_caused == 28_000 * YUAN and emp.from_balance == 50_000 * YUAN
    assert (emp.pooled_fund, emp.county_finance) == (25_000 * YUAN, 25_000 * YUAN)
    assert emp.county_pays == 53_000 * YUAN
    assert res.surplus_to_pool == 30_000 * YUAN and res.county_pays == 0
    assert any(step.source == "000 附件 §4.5.3" for step in emp.working)
    (row,) = [r for r in received(world.north.store) if r.kind == "settlement_notice"]
    assert row.status == "applied"
    assert (kind_label(row.kind), subject_text(row.subject)) == (
        "清算通知",
        "2025年 职工基本医疗保险：县财政承担 53,000.00 元；"
        "城乡居民基本医疗保险：结余上解 30,000.00 元",
    )

    sync(world.south.store)
    (south,) = notices(world.south.store, YEAR)
    assert south.schemes[1].county_finance == 33_000 * YUAN  # RES: 55 % of 60,000 (良好)
    (row,) = [r for r in received(world.south.store) if r.kind == "settlement_notice"]
    assert row.subject["summary"] == (
        "职工基本医疗保险：结余上解 60,000.00 元；城乡居民基本医疗保险：县财政承担 33,000.00 元"
    )
    assert notices(world.stranger.store, YEAR) == []


def test_notices_go_out_in_chinese_from_an_english_session(world: World) -> None:
    from mibdesk.core.i18n import set_language

    finalise(world.city.store, world.city.head, world.profile, YEAR)
    set_language("en")
    send_notices(world.city.store, world.city.head, world.profile, YEAR)
    sync(world.north.store)
    (notice,) = notices(world.north.store, YEAR)
    labels = [step.label for step in notice.schemes[0].working]
    assert "动用县区基金累计结余" in labels and "当期基金收入" in labels
    assert all(re.search("[\u4e00-\u9fff]", label) for label in labels), labels


def _item(code: str, name: str, **amounts: int) -> dict[str, object]:
    fields = ("income", "expenditure", "surplus_to_pool", "surplus_kept")
    fields += ("county_caused", "county_finance", "remit_to_city")
    return {"scheme": code, "name": name, **dict.fromkeys(fields, 0), **amounts}


def test_the_summary_names_amounts_and_stays_within_a_subject_value() -> None:
    data = {
        "schemes": [
            _item("EMP", "职工基本医疗保险（含生育保险）", income=100, expenditure=900),
            _item("RES", "城乡居民基本医疗保险", income=900, expenditure=100, surplus_kept=800),
        ]
    }
    assert summary(data) == (
        "职工基本医疗保险：缺口 8.00 元，县财政不承担；城乡居民基本医疗保险：结余留用 8.00 元"
    )
    big = 10**13
    many = {
        "schemes": [
            _item(f"S{i}", f"险种{i}", expenditure=big, county_finance=big) for i in range(10)
        ]
    }
    text = summary(many)
    assert len(text) <= 80 and text.endswith("…")
    assert text.startswith("险种0：县财政承担 100,000,000,000.00 元；险种1：")
