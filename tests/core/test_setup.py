"""Setting up an office: division codes (GB/T 2260), names, accounts, nothing half-made."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FakeClock, county_request

from mibdesk.core.errors import StoreError, ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.repos.audit import AuditFilter
from mibdesk.core.security.roles import Role
from mibdesk.core.services import audit_log
from mibdesk.core.services.accounts import NewUser
from mibdesk.core.services.settings import load_settings
from mibdesk.core.services.setup import (
    OfficeLevel,
    office_info,
    set_up_office,
    validate_division_code,
)
from mibdesk.core.services.store import Store, office_exists


def test_setup_creates_the_office_accounts_and_audit(office: Store) -> None:
    info = office_info(office)
    assert (info.level, info.code, info.name, info.profile_id) == (
        OfficeLevel.COUNTY,
        "330699",
        "青溪县医疗保障事务中心",
        "shaoxing",
    )
    assert load_settings(office)["language"] == "zh_CN"
    actions = [e.action for e in audit_log.entries(office, AuditFilter())]
    assert actions.count("user.add") == 3 and "office.setup" in actions
    assert audit_log.verify_chain(office).ok


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("33069", OfficeLevel.COUNTY),  # too short
        ("33o699", OfficeLevel.COUNTY),  # a letter
        ("３３０６９９", OfficeLevel.COUNTY),  # full-width digits are not a code
        ("990699", OfficeLevel.COUNTY),  # no province 99
        ("330000", OfficeLevel.COUNTY),  # a province
        ("330600", OfficeLevel.COUNTY),  # a city's code
        ("330699", OfficeLevel.CITY),  # a county's code for a city
        ("330699000", OfficeLevel.TOWNSHIP),  # township 000
    ],
)
def test_bad_division_codes_are_refused(code: str, level: OfficeLevel) -> None:
    with pytest.raises(ValidationError) as error:
        validate_division_code(code, level)
    assert error.value.where == _("Division code")


def test_good_codes_pass() -> None:
    validate_division_code("330602", OfficeLevel.COUNTY, "330600")
    validate_division_code("330600", OfficeLevel.CITY)
    validate_division_code("330602001", OfficeLevel.TOWNSHIP)


def test_a_county_outside_the_profiles_city_is_refused() -> None:
    with pytest.raises(ValidationError, match="3306"):
        validate_division_code("320506", OfficeLevel.COUNTY, "330600")


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"name": "Q"}, _("Office name")),
        ({"name": "Qingxi County"}, _("Office name")),
        ({"code": "320506"}, _("Division code")),
        ({"profile_id": "atlantis"}, _("Policy profile")),
        ({"level": OfficeLevel.CITY}, _("Division code")),  # 330699 is a county code
        (
            {"level": OfficeLevel.CITY, "code": "330600", "townships": (("330699001", "青溪镇"),)},
            _("Townships"),
        ),
        ({"drop_folder": "relative/drop"}, _("Drop folder")),
        ({"users": (NewUser("wangfang", "王芳", Role.PREPARER, "Prep2026pw"),)}, _("Accounts")),
    ],
)
def test_bad_setup_is_refused_before_anything_is_written(
    data_dir: Path, clock: FakeClock, changes: dict[str, object], where: str
) -> None:
    with pytest.raises(ValidationError) as error:
        set_up_office(data_dir, county_request(**changes), clock)
    assert error.value.where == where
    assert not office_exists(data_dir)


def test_a_folder_with_an_office_is_not_set_up_again(
    office: Store, data_dir: Path, clock: FakeClock
) -> None:
    with pytest.raises(StoreError):
        set_up_office(data_dir, county_request(), clock)
