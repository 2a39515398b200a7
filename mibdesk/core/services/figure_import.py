"""Importing figures from workbooks: preview every difference and error, then write all or nothing.

A preview reads the file, compares each figure with what is stored, and lists every
difference and every error (sheet, cell, reason). Applying writes nothing unless the
preview had no error, and refuses when the stored figures changed since the preview.
History imports fill months as submitted history (locked); a month already submitted that
would change is an error, never overwritten.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from mibdesk.core.catalog import Profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.excel.cells import CellError
from mibdesk.core.i18n import _
from mibdesk.core.monthly import Cell, ReportStatus
from mibdesk.core.periods import Month
from mibdesk.core.repos import audit, figures
from mibdesk.core.security.roles import Actor, Permission, require
from mibdesk.core.services.changes import Area, Changes, Outcome
from mibdesk.core.services.clock import stamp
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import Store
from mibdesk.core.services.townships import list_townships

Key = tuple[str, int, Cell]  # scheme, period (YYYYMM), cell


@dataclass(frozen=True)
class CellDiff:
    scheme: str
    month: Month
    cell: Cell
    old: int | None
    new: int | None


@dataclass(frozen=True)
class ImportPreview:
    source: str  # the file's name, kept in each figure's history
    kind: str  # "history" | "template"
    diffs: tuple[CellDiff, ...]
    unchanged: int
    errors: tuple[CellError, ...]
    basis: str  # fingerprint of the stored figures the diffs were computed against

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def months(self) -> tuple[tuple[str, Month], ...]:
        return tuple(sorted({(d.scheme, d.month) for d in self.diffs}))


def _stored(
    session: Session, wanted: Iterable[tuple[str, int]]
) -> tuple[dict[Key, int], dict[tuple[str, int], str]]:
    """The stored cells and report statuses of the (scheme, period) pairs in `wanted`."""
    pairs = set(wanted)
    if not pairs:
        return {}, {}
    periods = [period for _scheme, period in pairs]
    values, statuses = figures.stored_between(
        session, {scheme for scheme, _p in pairs}, min(periods), max(periods)
    )
    return (
        {key: v for key, v in values.items() if (key[0], key[1]) in pairs},
        {key: v for key, v in statuses.items() if key in pairs},
    )


def _fingerprint(values: Mapping[Key, int], statuses: Mapping[tuple[str, int], str]) -> str:
    digest = hashlib.sha256()
    for (scheme, period, cell), value in sorted(values.items()):
        digest.update(f"{scheme}|{period}|{cell}|{value};".encode())
    for (scheme, period), status in sorted(statuses.items()):
        digest.update(f"{scheme}|{period}|{status};".encode())
    return digest.hexdigest()


def _diff(
    incoming: Mapping[Key, int | None], stored: Mapping[Key, int]
) -> tuple[list[CellDiff], int]:
    diffs, same = [], 0
    months: dict[int, Month] = {}
    order = sorted(incoming, key=lambda k: (k[0], k[1], k[2].line, k[2].unit))
    for scheme, period, cell in order:
        new = incoming[(scheme, period, cell)]
        old = stored.get((scheme, period, cell))
        if old == new:
            same += 1
        else:
            month = months.get(period) or months.setdefault(period, Month.from_int(period))
            diffs.append(CellDiff(scheme, month, cell, old, new))
    return diffs, same


def preview_history(store: Store, profile: Profile, path: Path) -> ImportPreview:
    """Read a flat history sheet and compare it with the stored figures."""
    from mibdesk.core.excel.history import read_history

    county = office_info(store).code
    townships = {t.code for t in list_townships(store, active_only=False)}
    reading = read_history(path, profile, county, townships)
    incoming: dict[Key, int | None] = {
        (
            row.scheme,
            row.month.to_int(),
            Cell(row.line, "" if row.unit == county else row.unit),
        ): row.value
        for row in reading.rows
    }
    with store.read() as session:
        stored, statuses = _stored(session, ((s, p) for s, p, _c in incoming))
    diffs, same = _diff(incoming, stored)
    errors = list(reading.errors)
    locked = sorted(
        {
            (d.scheme, d.month)
            for d in diffs
            if statuses.get((d.scheme, d.month.to_int()), ReportStatus.DRAFT) != ReportStatus.DRAFT
        }
    )
    errors += [
        CellError(
            reading.sheet,
            "",
            _(
                "{month} {scheme} has been submitted; the history sheet would change {count} of "
                "its figures. Submitted months change only by amendment."
            ).format(
                month=month.label,
                scheme=profile.scheme(scheme).name,
                count=sum(1 for d in diffs if (d.scheme, d.month) == (scheme, month)),
            ),
        )
        for scheme, month in locked
    ]
    return ImportPreview(
        path.name, "history", tuple(diffs), same, tuple(errors), _fingerprint(stored, statuses)
    )


def apply_import(
    store: Store, actor: Actor, profile: Profile, preview: ImportPreview
) -> Outcome[int]:
    """Write every difference of an error-free preview in one transaction; the cells written."""
    require(actor, Permission.ENTER)
    if not preview.ok:
        raise ValidationError(
            _("The file has {count} error(s); nothing was imported.").format(
                count=len(preview.errors)
            )
        )
    at = stamp(store.clock())
    months = preview.months
    with store.write() as session:
        stored, statuses = _stored(session, ((s, m.to_int()) for s, m in months))
        if _fingerprint(stored, statuses) != preview.basis:
            raise ValidationError(
                _("The stored figures changed since the preview; preview the file again.")
            )
        ids = _report_ids(session, preview, actor, at)
        figures.apply_cell_changes(
            session,
            [(ids[(d.scheme, d.month.to_int())], d.cell, d.old, d.new) for d in preview.diffs],
            figures.open_amendments(session, list(ids.values())),
            at,
            actor.username,
            f"{preview.kind}:{preview.source}",
        )
        audit.append(
            session,
            at=at,
            actor=actor.username,
            action="figures.import",
            entity="monthly_report",
            entity_key=preview.source,
            after={
                "kind": preview.kind,
                "cells": len(preview.diffs),
                "months": [f"{s}/{m}" for s, m in months],
            },
        )
    return Outcome(len(preview.diffs), Changes.of(Area.FIGURES, Area.AUDIT))


def _report_ids(
    session: Session, preview: ImportPreview, actor: Actor, at: str
) -> dict[tuple[str, int], int]:
    """The report of every month the preview touches, creating the missing ones: as submitted
    history for a history sheet (months reported before mibdesk), as drafts for a template."""
    wanted = {(scheme, month.to_int()) for scheme, month in preview.months}
    if not wanted:
        return {}
    periods = [period for _s, period in wanted]
    schemes = {scheme for scheme, _p in wanted}
    ids = figures.report_ids_between(session, schemes, min(periods), max(periods))
    history = preview.kind == "history"
    figures.insert_reports(
        session,
        [
            {
                "scheme": scheme,
                "period": period,
                "returned_reason": "",
                "status": ReportStatus.APPROVED if history else ReportStatus.DRAFT,
                "submitted_at": at if history else None,
                "prepared_by": actor.user_id if history else None,
                "approved_by": actor.user_id if history else None,
            }
            for scheme, period in sorted(wanted - ids.keys())
        ],
    )
    return figures.report_ids_between(session, schemes, min(periods), max(periods))


def preview_template(store: Store, profile: Profile, path: Path) -> ImportPreview:
    """Read a filled-in month template (ours, for this office) and compare it with the store.

    Every input cell of the template's units counts: a cell left blank clears the figure.
    """
    from mibdesk.core.excel.template import form_layout, read_template

    county = office_info(store).code
    reading = read_template(path)
    identity = reading.identity
    if identity.office_code != county:
        raise ValidationError(
            _("This template is for office {theirs}, not this office ({ours}).").format(
                theirs=identity.office_code, ours=county
            ),
            where=path.name,
        )
    scheme = profile.scheme(identity.scheme)
    known = {t.code for t in list_townships(store, active_only=False)}
    strangers = [u for u in identity.units if u and u not in known]
    if strangers:
        raise ValidationError(
            _("The template names townships this office does not have: {codes}.").format(
                codes=", ".join(strangers)
            ),
            where=path.name,
        )
    layout = form_layout(scheme, identity.units, {})
    period = identity.period.to_int()
    incoming: dict[Key, int | None] = {
        (scheme.code, period, Cell(row.code, unit)): reading.values.get(Cell(row.code, unit))
        for row in layout.rows
        for unit in identity.units
        if layout.is_input(row, unit)
    }
    with store.read() as session:
        stored, statuses = _stored(session, [(scheme.code, period)])
    diffs, same = _diff(incoming, stored)
    errors = list(reading.errors)
    status = statuses.get((scheme.code, period), ReportStatus.DRAFT)
    if diffs and status != ReportStatus.DRAFT:
        errors.append(
            CellError(
                "",
                "",
                _(
                    "{month} {scheme} is not a draft (it is with the reviewer, the head, or "
                    "submitted); it cannot take figures from a file now."
                ).format(month=identity.period.label, scheme=scheme.name),
            )
        )
    return ImportPreview(
        path.name, "template", tuple(diffs), same, tuple(errors), _fingerprint(stored, statuses)
    )
