"""Townships: 9-digit codes inside the county, Chinese names, part of the office set-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FakeClock, county_request

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.security.roles import Actor
from mibdesk.core.services import townships
from mibdesk.core.services.setup import parse_township_lines, set_up_office
from mibdesk.core.services.store import Store, office_exists


def test_head_adds_renames_and_deactivates_a_township(office: Store, head: Actor) -> None:
    townships.save_township(office, head, "330699001", "青溪街道")
    townships.save_township(office, head, "330699101", "南山镇")
    townships.save_township(office, head, "330699001", "青溪新区街道")
    townships.save_township(office, head, "330699101", "南山镇", active=False)
    assert [(t.code, t.name) for t in townships.list_townships(office)] == [
        ("330699001", "青溪新区街道")
    ]
    assert len(townships.list_townships(office, active_only=False)) == 2


@pytest.mark.parametrize(
    ("code", "name", "where"),
    [
        ("33069900", "某街道", "Township code"),  # 8 digits
        ("330698001", "某街道", "Township code"),  # another county
        ("330699000", "某街道", "Township code"),  # 000
        ("330699001", "X", "Township name"),
    ],
)
def test_bad_townships_are_refused(
    office: Store, head: Actor, code: str, name: str, where: str
) -> None:
    with pytest.raises(ValidationError) as error:
        townships.save_township(office, head, code, name)
    assert error.value.where in (_(where), _("Division code"))
    assert townships.list_townships(office) == []


def test_a_name_is_used_once(office: Store, head: Actor) -> None:
    townships.save_township(office, head, "330699001", "青溪街道")
    with pytest.raises(ValidationError):
        townships.save_township(office, head, "330699002", "青溪街道")


def test_townships_pasted_at_setup(data_dir: Path, clock: FakeClock) -> None:
    text = "330699001\t青溪街道\n\n330699101 南山镇\n"
    listed = parse_township_lines(text, "330699")
    assert listed == (("330699001", "青溪街道"), ("330699101", "南山镇"))
    store = set_up_office(data_dir, county_request(townships=listed), clock)
    try:
        assert [t.name for t in townships.list_townships(store)] == ["青溪街道", "南山镇"]
    finally:
        store.close()


def test_a_bad_pasted_line_names_its_line_and_nothing_is_set_up(
    data_dir: Path, clock: FakeClock
) -> None:
    with pytest.raises(ValidationError) as error:
        parse_township_lines("330699001 青溪街道\n320506001 外县镇", "330699")
    assert error.value.where == _("Townships, line {n}").format(n=2)
    with pytest.raises(ValidationError):
        set_up_office(
            data_dir,
            county_request(townships=(("330699001", "青溪街道"), ("330699001", "重复"))),
            clock,
        )
    assert not office_exists(data_dir)
