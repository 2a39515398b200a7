"""What the publish screen (发布) does, without widgets: a year's working-day calendar as a
draft to mark or import, save and publish; the policy profile in force, an update loaded from
a file with what it changes, published; the trust list, revoking a key, publishing the list.

Refusals are `UserError`s from the core (in Chinese, nothing changed). Publishing runs on the
task runner (it signs one package per county); the result's `Changes` go to the hub.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from mibdesk.core.i18n import _
from mibdesk.core.security.roles import Permission
from mibdesk.core.services.changes import Outcome
from mibdesk.ui.context import UiContext
from mibdesk.ui.tasks import Progress

if TYPE_CHECKING:
    from mibdesk.core.calendar_edits import DayKind
    from mibdesk.core.catalog import Profile
    from mibdesk.core.catalog.profile_diff import KeyParameter, ParameterChange
    from mibdesk.core.services.city.publishing import Publication, TrustEntry
    from mibdesk.core.services.exchange.sending import Sending
    from mibdesk.core.workdays import CalendarYear

MAX_PROFILE_BYTES = 2 * 1024 * 1024


def published_text(publication: Publication | None) -> str:
    """ "Last published …" for a label ('never' when it was not)."""
    if publication is None:
        return _("Not published yet.")
    return _("Last published {at} by {by} to {n} counties ({delivered} in the drop).").format(
        at=publication.at[:16].replace("T", " "),
        by=publication.by,
        n=publication.counties,
        delivered=publication.delivered,
    )


def sent_text(sent: list[Sending]) -> str:
    """What a publication did: sent to n counties, and those still waiting for the drop."""
    waiting = [s for s in sent if s.waiting_because]
    if not waiting:
        return _("Sent to {n} counties.").format(n=len(sent))
    return _("Queued for {n} counties; not yet in the drop: {why}").format(
        n=len(sent), why=waiting[0].waiting_because
    )


class CalendarDraft:
    """A year's calendar being edited: starts from what the office has (or an empty year)."""

    def __init__(self, ctx: UiContext, year: int) -> None:
        from mibdesk.core.calendar_edits import empty_year
        from mibdesk.core.services.calendar import calendar_year

        self._ctx = ctx
        self.year = year
        stored = calendar_year(ctx.store, year)
        self.known = stored is not None
        self.data: CalendarYear = stored if stored is not None else empty_year(year)
        self.dirty = False

    def mark(self, days: list[date], kind: DayKind) -> None:
        """Mark every day in `days` (UserError for a weekday made a moved workday: then no
        day is changed)."""
        from mibdesk.core.calendar_edits import mark_day

        data = self.data
        for day in days:
            data = mark_day(data, day, kind)
        self.data, self.dirty = data, self.dirty or bool(days)

    def set_source(self, text: str) -> None:
        from mibdesk.core.calendar_edits import with_source

        if text.strip() != self.data.source:
            self.data, self.dirty = with_source(self.data, text), True

    def import_file(self, path: Path) -> None:
        """Replace the draft with the file's calendar (UserError: the draft is unchanged)."""
        from mibdesk.core.calendar_edits import read_calendar_path

        self.data = read_calendar_path(path, self.year)
        self.dirty = True

    def kind(self, day: date) -> str:
        """ "holiday", "workday" (moved), "weekend" or "normal"."""
        if day in self.data.holidays:
            return "holiday"
        if day in self.data.workdays:
            return "workday"
        return "weekend" if day.weekday() >= 5 else "normal"


class PublishController:
    def __init__(self, ctx: UiContext) -> None:
        self._ctx = ctx
        self.can_publish = ctx.actor.can(Permission.APPROVE)
        self.can_edit = ctx.actor.can(Permission.CHANGE_SETTINGS)
        self.draft = CalendarDraft(ctx, ctx.store.clock().date().year + 1)
        self.update_text = ""
        self.update_name = ""
        self.update: Profile | None = None
        self.changes: list[ParameterChange] = []
        self.entries: list[TrustEntry] = []

    # -- calendar ---------------------------------------------------------------------------

    def open_year(self, year: int) -> None:
        self.draft = CalendarDraft(self._ctx, year)

    def save_calendar(self) -> None:
        from mibdesk.core.services.calendar import save_calendar_year

        outcome = save_calendar_year(
            self._ctx.store,
            self._ctx.actor,
            self.draft.data,
            reason=_("Edited on the publish screen"),
        )
        self.draft.dirty, self.draft.known = False, True
        self._ctx.hub.publish(outcome.changes)

    def publish_calendar(
        self, on_done: Callable[[str], None], on_error: Callable[[BaseException], None]
    ) -> None:
        """Save the draft if it changed, then send the year's calendar to every county."""
        from mibdesk.core.services.city.publishing import publish_calendar

        ctx, draft = self._ctx, self.draft
        edited = draft.data if draft.dirty or not draft.known else None

        def work(_progress: Progress) -> Outcome[list[Sending]]:
            return publish_calendar(
                ctx.store,
                ctx.actor,
                draft.year,
                edited,
                reason=_("Published on the publish screen"),
            )

        def done(outcome: Outcome[list[Sending]]) -> None:
            draft.dirty, draft.known = False, True
            ctx.hub.publish(outcome.changes)
            on_done(sent_text(outcome.value))

        ctx.tasks.run(work, done, on_error, label=_("Publish the working-day calendar"))

    def calendar_published(self) -> str:
        from mibdesk.core.services.city.publishing import last_published

        return published_text(last_published(self._ctx.store, "calendar", year=self.draft.year))

    # -- policy profile ---------------------------------------------------------------------

    def key_parameters(self) -> list[KeyParameter]:
        from mibdesk.core.catalog.profile_diff import key_parameters

        return key_parameters(self._ctx.profile)

    def load_update(self, path: Path) -> None:
        """Read and check a profile file and compare it with the profile in force
        (UserError: nothing loaded, the previous update, if any, is forgotten)."""
        from mibdesk.core.catalog.loader import parse_profile
        from mibdesk.core.catalog.profile_diff import profile_changes
        from mibdesk.core.errors import ValidationError

        self.update, self.update_text, self.changes = None, "", []
        if path.stat().st_size > MAX_PROFILE_BYTES:
            raise ValidationError(
                _("The file is too large to be a policy profile."), where=path.name
            )
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text."), where=path.name) from None
        update = parse_profile(text, where=path.name)
        self.update, self.update_text, self.update_name = update, text, path.name
        self.changes = profile_changes(self._ctx.profile, update)

    def publish_profile(
        self, on_done: Callable[[str], None], on_error: Callable[[BaseException], None]
    ) -> None:
        from mibdesk.core.services.city.publishing import publish_profile

        ctx, text, where = self._ctx, self.update_text, self.update_name

        def work(_progress: Progress) -> Outcome[tuple[Profile, list[Sending]]]:
            return publish_profile(ctx.store, ctx.actor, text, where=where)

        def done(outcome: Outcome[tuple[Profile, list[Sending]]]) -> None:
            self.update, self.update_text, self.changes = None, "", []
            ctx.hub.publish(outcome.changes)
            profile, sent = outcome.value
            on_done(
                _("Version {version} is in force at the city. {sent}").format(
                    version=profile.version, sent=sent_text(sent)
                )
            )

        ctx.tasks.run(work, done, on_error, label=_("Publish the policy profile"))

    def profile_published(self) -> str:
        from mibdesk.core.services.city.publishing import last_published

        return published_text(last_published(self._ctx.store, "profile_update"))

    # -- trust list -------------------------------------------------------------------------

    def load_trust(self) -> None:
        from mibdesk.core.services.city.publishing import trust_entries

        self.entries = trust_entries(self._ctx.store)

    def revoke(self, entry: TrustEntry, reason: str) -> None:
        from mibdesk.core.services.exchange import peers

        outcome = peers.decide(
            self._ctx.store, self._ctx.actor, entry.key_id, "revoked", reason=reason
        )
        self._ctx.hub.publish(outcome.changes)

    def publish_trust(
        self, on_done: Callable[[str], None], on_error: Callable[[BaseException], None]
    ) -> None:
        from mibdesk.core.services.exchange.sending_city import send_trust_list

        ctx = self._ctx

        def done(outcome: Outcome[list[Sending]]) -> None:
            ctx.hub.publish(outcome.changes)
            on_done(sent_text(outcome.value))

        ctx.tasks.run(
            lambda _progress: send_trust_list(ctx.store, ctx.actor),
            done,
            on_error,
            label=_("Publish the trust list"),
        )

    def trust_published(self) -> str:
        from mibdesk.core.services.city.publishing import last_published

        return published_text(last_published(self._ctx.store, "trust_list"))
