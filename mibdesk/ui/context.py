"""What every screen is given: the open office, who is logged in, the hub and the task runner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mibdesk.core.security.roles import Actor
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.setup import OfficeInfo
from mibdesk.core.services.store import Store
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from mibdesk.core.catalog import Profile


class UiContext:
    """The office's policy profile loads on first use (`profile`), not at start-up: it brings
    in pydantic and the profile checks (~100 ms), which the first window does not need."""

    def __init__(
        self,
        store: Store,
        office: OfficeInfo,
        profile: Profile | None,
        actor: Actor,
        hub: ChangeHub,
        tasks: TaskRunner,
        demo: bool = False,
    ) -> None:
        self.store = store
        self.office = office
        self._profile = profile
        self.actor = actor
        self.hub = hub
        self.tasks = tasks
        self.demo = demo
        # connected first, so the profile is fresh before any screen refreshes
        hub.changed.connect(self._forget_profile)

    @property
    def profile(self) -> Profile:
        """The profile in force: the bundled one or the city's latest update of it."""
        if self._profile is None:
            from mibdesk.core.services.profiles import office_profile

            self._profile = office_profile(self.store)
        return self._profile

    def _forget_profile(self, changes: Changes) -> None:
        if changes.touches(Area.OFFICE):
            self._profile = None
