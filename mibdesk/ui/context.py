"""What every screen is given: the open office, who is logged in, the hub and the task runner."""

from __future__ import annotations

from dataclasses import dataclass

from mibdesk.core.catalog import Profile
from mibdesk.core.security.roles import Actor
from mibdesk.core.services.setup import OfficeInfo
from mibdesk.core.services.store import Store
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.tasks import TaskRunner


@dataclass
class UiContext:
    store: Store
    office: OfficeInfo
    profile: Profile
    actor: Actor
    hub: ChangeHub
    tasks: TaskRunner
    demo: bool = False
