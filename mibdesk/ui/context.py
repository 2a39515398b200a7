"""What every screen is given: the open office, who is logged in, the hub and the task runner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mibdesk.core.security.roles import Actor
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

    @property
    def profile(self) -> Profile:
        if self._profile is None:
            from mibdesk.core.catalog import load_profile

            self._profile = load_profile(self.office.profile_id)
        return self._profile
