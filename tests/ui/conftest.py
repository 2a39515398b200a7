"""UI tests drive real widgets with pytest-qt on the offscreen platform (no display needed)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from collections.abc import Iterator

import pytest

from mibdesk.core.catalog import load_profile
from mibdesk.core.security.roles import Actor
from mibdesk.core.services.setup import office_info
from mibdesk.core.services.store import Store
from mibdesk.ui.context import UiContext
from mibdesk.ui.hub import ChangeHub
from mibdesk.ui.tasks import TaskRunner


@pytest.fixture
def ui_context(office: Store, head: Actor) -> Iterator[UiContext]:
    """The head of the test office, as the main window would give it to a screen."""
    info = office_info(office)
    tasks = TaskRunner()
    yield UiContext(
        store=office,
        office=info,
        profile=load_profile(info.profile_id),
        actor=head,
        hub=ChangeHub(),
        tasks=tasks,
    )
    tasks.shutdown()
