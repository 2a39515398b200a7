"""The county's signed PDF of a plan, taken at the city from the package it came in: the
very bytes the county sent, even after the county's key was revoked; a plan sent without
one, a package no longer kept and a kept package that was altered are refused, in Chinese,
and nothing is written."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from city_kit import NORTH, World, send_north_december_plan
from pypdf import PdfWriter
from sqlalchemy import delete, select, update

from mibdesk.core.db.exchange_models import ExchangePeer, InboxEntry, InboxFile
from mibdesk.core.errors import ValidationError
from mibdesk.core.periods import Month
from mibdesk.core.services.city import plans
from mibdesk.core.services.city.plan_pdf import save_county_pdf
from mibdesk.core.services.exchange import peers
from mibdesk.core.services.exchange.sync import sync

DECEMBER = Month(2026, 12)


def a_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": "青溪县2026年12月基金使用计划"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def received_plan(world: World, pdf: bytes) -> plans.CountyPlanView:
    send_north_december_plan(world, pdf)
    assert sync(world.city.store).value.count("applied") == 1
    return plans.county_plan(world.city.store, world.profile, NORTH, "EMP", DECEMBER)


def test_the_pdf_comes_out_as_the_county_sent_it(world: World, tmp_path: Path) -> None:
    pdf = a_pdf()
    plan = received_plan(world, pdf)
    assert plan.pdf_file == "payload/plan.pdf"
    target = save_county_pdf(world.city.store, plan, tmp_path / "plan.pdf")
    assert target.read_bytes() == pdf


def test_the_pdf_still_comes_out_after_the_countys_key_was_revoked(
    world: World, tmp_path: Path
) -> None:
    plan = received_plan(world, a_pdf())
    key = next(p for p in peers.list_peers(world.city.store) if p.office == NORTH)
    peers.decide(world.city.store, world.city.head, key.key_id, "revoked", reason="密钥遗失")
    assert save_county_pdf(world.city.store, plan, tmp_path / "plan.pdf").stat().st_size > 0


def test_a_plan_sent_without_a_pdf_says_so(world: World, tmp_path: Path) -> None:
    plan = received_plan(world, b"")
    with pytest.raises(ValidationError, match="未附签章PDF"):
        save_county_pdf(world.city.store, plan, tmp_path / "plan.pdf")
    assert not (tmp_path / "plan.pdf").exists()


def test_a_package_no_longer_kept_says_so(world: World, tmp_path: Path) -> None:
    plan = received_plan(world, a_pdf())
    with world.city.store.write() as session:  # as an earlier version left it, drop cleaned
        session.execute(delete(InboxFile))
    for path in world.drop.glob(f"mibdesk_{NORTH}_to_*.mibpkg"):
        path.unlink()
    with pytest.raises(ValidationError, match="不再保存"):
        save_county_pdf(world.city.store, plan, tmp_path / "plan.pdf")
    assert not (tmp_path / "plan.pdf").exists()


def test_a_kept_package_that_was_altered_is_refused(world: World, tmp_path: Path) -> None:
    pdf = a_pdf()
    plan = received_plan(world, pdf)
    with world.city.store.write() as session:
        entry = session.scalar(
            select(InboxEntry.id).where(InboxEntry.package_id == plan.package_id)
        )
        data = session.scalar(select(InboxFile.data).where(InboxFile.entry_id == entry))
        kept = bytes(data)
        at = kept.index(b"payload/plan.pdf") + 40  # inside the PDF's compressed bytes
        altered = kept[:at] + bytes([kept[at] ^ 0xFF]) + kept[at + 1 :]
        session.execute(update(InboxFile).where(InboxFile.entry_id == entry).values(data=altered))
    with pytest.raises(ValidationError, match="校验未通过"):
        save_county_pdf(world.city.store, plan, tmp_path / "plan.pdf")
    assert not (tmp_path / "plan.pdf").exists()


def test_a_plan_view_without_its_package_is_refused(world: World, tmp_path: Path) -> None:
    plan = received_plan(world, a_pdf())
    stray = replace(plan, package_id="0" * 32)
    with pytest.raises(ValidationError, match="不再保存"):
        save_county_pdf(world.city.store, stray, tmp_path / "plan.pdf")
    with world.city.store.read() as session:  # nothing touched the peers either
        assert session.scalars(select(ExchangePeer.status)).all()
