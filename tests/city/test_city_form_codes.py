"""The 表号 of the city's own forms comes from the policy profile too (`FormCodes`): the
application to finance (全市基金当月使用计划) and the year-end settlement (年度清算表) print
mibdesk's numbering unless the city's profile sets its own."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pypdf
from city_kit import NORTH, SOUTH, World, send_north_december_plan, send_plan
from settlement_kit import TYPED, YEAR, send_year

from mibdesk.core.catalog import parse_profile, profile_to_json
from mibdesk.core.catalog.profile import FormCodes
from mibdesk.core.periods import Month
from mibdesk.core.services.city import application, application_form, plans
from mibdesk.core.services.city.settlement import save
from mibdesk.core.services.city.settlement_form import settlement_pdf
from mibdesk.core.services.exchange.sync import sync

DECEMBER = Month(2026, 12)


def _first_page(path: Path) -> str:
    return pypdf.PdfReader(path).pages[0].extract_text().replace("\n", "")


def test_the_city_forms_print_the_profile_s_codes(world: World, tmp_path: Path) -> None:
    assert (FormCodes().city_application, FormCodes().settlement) == (
        "医保市计01表",
        "医保市清01表",
    )
    data = json.loads(profile_to_json(world.profile))
    data["form_codes"] = {"city_application": "绍医保市申1表", "settlement": "绍医保清算2表"}
    numbered = parse_profile(json.dumps(data, ensure_ascii=False), where="shaoxing.json")
    assert numbered.form_codes.fund_plan == "医保计01表"  # a field left out keeps mibdesk's

    store, head = world.city.store, world.city.head
    send_north_december_plan(world)
    send_plan(
        world.south,
        "EMP",
        DECEMBER,
        {"EXP_INPATIENT": 2_000_000},
        submitted_at="2026-11-21T15:00:00+08:00",
    )
    sync(store)
    for county in (NORTH, SOUTH):
        plans.approve(store, head, world.profile, county, "EMP", DECEMBER, date(2026, 11, 25))
    application.assemble(store, head, world.profile, "EMP", DECEMBER)
    for profile, code in ((world.profile, "医保市计01表"), (numbered, "绍医保市申1表")):
        target = tmp_path / f"application-{code}.pdf"
        application_form.application_pdf(store, profile, "EMP", DECEMBER, target)
        assert f"表号 {code}" in _first_page(target)

    send_year(world)
    save(store, head, world.profile, YEAR, TYPED)
    for profile, code in ((world.profile, "医保市清01表"), (numbered, "绍医保清算2表")):
        target = tmp_path / f"settlement-{code}.pdf"
        settlement_pdf(store, profile, YEAR, target)
        assert f"表号 {code}" in _first_page(target)
