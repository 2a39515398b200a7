"""A whole month's cycle through one drop folder on disk: township → county → city → county.

Three real offices in separate data folders (city 330600, the demo county 330699, township
330699001) exchange only files. Every step uses the services a person would use.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from exchange_offices import CITY, COUNTY, TOWNSHIP, Office, register_all
from helpers import FakeClock

from mibdesk.core.catalog import profile_to_json
from mibdesk.core.monthly import Cell
from mibdesk.core.periods import Month
from mibdesk.core.services import accounts, calendar, figures, plan_flow, report_flow
from mibdesk.core.services.demo import DEMO_PASSWORD, DEMO_REVIEWER
from mibdesk.core.services.exchange import outbox, peers
from mibdesk.core.services.exchange.quarantine import received
from mibdesk.core.services.exchange.sending import (
    send_monthly_report,
    send_plan,
    send_township_figures,
)
from mibdesk.core.services.exchange.sending_city import (
    send_calendar,
    send_decision,
    send_disbursement,
    send_profile,
    send_trust_list,
)
from mibdesk.core.services.exchange.sync import sync
from mibdesk.core.services.forms import key_path, plan_pdf, sign_form
from mibdesk.core.services.plans import plan_view
from mibdesk.core.services.profiles import office_profile
from mibdesk.core.services.trust import pdf_trust_roots
from mibdesk.core.signing.keys import create_office_key
from mibdesk.core.signing.verify import verify_pdf

KEY_PASSWORD = "Seal2026pw!"
NOVEMBER, DECEMBER = Month(2026, 11), Month(2026, 12)
CALENDAR_2027 = {
    "year": 2027,
    "source": "国务院办公厅关于2027年部分节假日安排的通知（测试数据）",
    "holidays": [
        {"date": day, "name": name}
        for day, name in (("2027-01-01", "元旦"), ("2027-02-08", "春节"), ("2027-10-01", "国庆节"))
    ],
    "workdays": [{"date": "2027-02-14", "name": "春节调休"}],
}


def _statuses(office: Office) -> dict[str, str]:
    return {f"{s.kind}/{s.sequence}": s.status for s in outbox.sent_packages(office.store)}


def test_a_month_through_the_drop(
    offices: tuple[Office, Office, Office], tmp_path: Path, cycle_clock: FakeClock
) -> None:
    city, county, township = offices
    create_office_key(
        key_path(county.store),
        KEY_PASSWORD,
        office_name="青溪县医疗保障事务中心",
        office_code=COUNTY,
    )
    register_all(city, county, township)
    assert {p.office for p in peers.list_peers(county.store) if p.status == "active"} == {
        CITY,
        TOWNSHIP,
    }

    # 1. The township enters its resident-scheme figures for November, offline, and sends.
    profile = office_profile(township.store)
    lines = [line.code for line in profile.scheme("RES").township_lines]
    edits = {Cell(line, ""): 1000 + n for n, line in enumerate(lines)}
    figures.save_cells(township.store, township.head, profile, "RES", NOVEMBER, edits)
    send_township_figures(township.store, township.head, profile, "RES", NOVEMBER)

    # 2. The county imports them into the township's column, with provenance.
    report = sync(county.store).value
    assert [v.status for v in report.verdicts] == ["applied"]
    county_profile = office_profile(county.store)
    form = figures.month_form(county.store, county_profile, "RES", NOVEMBER)
    assert form.cells[Cell(lines[0], TOWNSHIP)] == 1000
    history = report_flow.cell_history(county.store, "RES", NOVEMBER, Cell(lines[0], TOWNSHIP))
    assert "package" in history[-1].source and TOWNSHIP in history[-1].source

    # 3. The county approves October's report and sends it, and December's signed plan.
    october = Month(2026, 10)
    reviewer = accounts.login(county.store, DEMO_REVIEWER, DEMO_PASSWORD).value
    report_flow.review(county.store, reviewer, county_profile, "RES", october)
    report_flow.approve(county.store, county.head, county_profile, "RES", october)
    send_monthly_report(county.store, county.head, "RES", october)
    plan_flow.review_plan(county.store, reviewer, county_profile, "RES", DECEMBER)
    plan_flow.sign_plan(county.store, county.head, county_profile, "RES", DECEMBER)
    form_file = plan_pdf(county.store, county_profile, "RES", DECEMBER, tmp_path / "plan.pdf")
    signed = sign_form(
        county.store, county.head, form_file, tmp_path / "plan-signed.pdf", KEY_PASSWORD
    )
    send_plan(county.store, county.head, county_profile, "RES", DECEMBER, signed)
    assert plan_view(county.store, county_profile, "RES", DECEMBER).status == "submitted"

    # 4. The city receives both, decides the plan (one line reduced) and pays.
    received_now = sync(city.store).value
    assert sorted(v.kind for v in received_now.verdicts) == ["fund_plan", "monthly_report"]
    requested = {
        ln.line: ln.requested
        for ln in plan_view(county.store, county_profile, "RES", DECEMBER).lines
    }
    first = next(line for line, amount in requested.items() if amount > 0)
    cut = requested[first] // 2
    send_decision(
        city.store,
        city.head,
        COUNTY,
        "RES",
        DECEMBER,
        "reduced",
        date(2026, 11, 26),
        "按额度核减",
        {first: (cut, "超出序时进度")},
    )
    approved_total = sum(requested.values()) - requested[first] + cut
    send_disbursement(
        city.store, city.head, COUNTY, "RES", DECEMBER, approved_total, date(2026, 12, 3)
    )
    calendar.import_calendar(city.store, city.head, json.dumps(CALENDAR_2027), where="2027.json")
    send_calendar(city.store, city.head, 2027)
    updated = office_profile(city.store).model_copy(update={"version": 99})
    send_profile(city.store, city.head, profile_to_json(updated))
    send_trust_list(city.store, city.head)

    # 5. The county applies everything, in the city's order.
    cycle_clock.advance(days=10)
    arrived = sync(county.store).value
    assert [v.status for v in arrived.verdicts] == ["applied"] * len(arrived.verdicts)
    view = plan_view(county.store, office_profile(county.store), "RES", DECEMBER)
    assert view.status == "disbursed" and view.disbursed_amount == approved_total
    assert office_profile(county.store).version == 99
    assert 2027 in {status.year for status in calendar.calendar_status(county.store)}

    # 6. Acknowledgements travel back: everything each office sent is acknowledged.
    sync(city.store)
    sync(township.store)
    assert set(_statuses(city).values()) <= {"acknowledged", "delivered"}
    assert {v for k, v in _statuses(city).items() if not k.startswith("ack/")} == {"acknowledged"}
    assert {v for k, v in _statuses(county).items() if not k.startswith("ack/")} == {"acknowledged"}
    assert {v for k, v in _statuses(township).items() if not k.startswith("ack/")} == {
        "acknowledged"
    }

    # 7. The city's copy of the signed plan verifies against the county's certificate.
    plan_row = next(r for r in received(city.store) if r.kind == "fund_plan")
    assert plan_row.status == "applied"
    trust = pdf_trust_roots(city.store)
    assert verify_pdf(signed, trust).trusted
