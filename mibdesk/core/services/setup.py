"""Setting up an office: level, policy profile, division code, name, drop folder, accounts.

Division codes follow GB/T 2260 (行政区划代码): a city's ends in 00, a county's does not; a
township has 9 digits whose first 6 are its county's. A county must belong to the city of its
policy profile.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from mibdesk.core.db.engine import is_server_url
from mibdesk.core.db.models import Office, Township
from mibdesk.core.errors import ProfileError, ValidationError
from mibdesk.core.i18n import N_, _
from mibdesk.core.repos import audit, office, users
from mibdesk.core.security.roles import Role
from mibdesk.core.services.accounts import NewUser, make_user, validate_new_user
from mibdesk.core.services.clock import Clock, stamp, system_clock
from mibdesk.core.services.settings import write_initial_settings
from mibdesk.core.services.store import DATABASE_URL_ENV, Store, create_store


class OfficeLevel(StrEnum):
    COUNTY = "county"
    TOWNSHIP = "township"
    CITY = "city"


LEVEL_NAMES = {
    OfficeLevel.COUNTY: N_("County office"),
    OfficeLevel.TOWNSHIP: N_("Township office"),
    OfficeLevel.CITY: N_("City office"),
}
# Levels this version can set up: a county, a township that hands its figures to its county
# by file, a city at the other end of the drop.
SUPPORTED_LEVELS = (OfficeLevel.COUNTY, OfficeLevel.TOWNSHIP, OfficeLevel.CITY)

_PROVINCES = {
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "81",
    "82",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class SetupRequest:
    level: OfficeLevel
    profile_id: str
    code: str
    name: str
    drop_folder: str
    users: tuple[NewUser, ...]
    language: str = "zh_CN"
    townships: tuple[tuple[str, str], ...] = ()  # (9-digit code, name), county offices only
    # a city's PostgreSQL database (empty: the MIBDESK_DATABASE_URL variable, else SQLite)
    database_url: str = ""


@dataclass(frozen=True)
class OfficeInfo:
    level: OfficeLevel
    code: str
    name: str
    profile_id: str


def validate_division_code(code: str, level: OfficeLevel, city_code: str = "") -> None:
    """Refuse a code that cannot be this level's GB/T 2260 code (or not in the profile's city)."""
    where = _("Division code")
    digits = 9 if level == OfficeLevel.TOWNSHIP else 6
    if not (len(code) == digits and code.isascii() and code.isdigit()):
        raise ValidationError(
            _("Enter the {n}-digit administrative division code.").format(n=digits), where=where
        )
    if code[:2] not in _PROVINCES:
        raise ValidationError(
            _("{prefix} is not a province code of GB/T 2260.").format(prefix=code[:2]), where=where
        )
    if code[2:4] == "00":
        raise ValidationError(_("A city or county code cannot have 00 in digits 3-4."), where=where)
    if level == OfficeLevel.CITY and code[4:6] != "00":
        raise ValidationError(_("A city's code ends in 00."), where=where)
    if level != OfficeLevel.CITY and code[4:6] == "00":
        raise ValidationError(
            _("A county's code does not end in 00 (that is a city's code)."), where=where
        )
    if level == OfficeLevel.TOWNSHIP and code[6:] == "000":
        raise ValidationError(_("A township's last three digits cannot be 000."), where=where)
    bound_to_city = city_code[:2] in _PROVINCES  # the generic profile has no city (000000)
    if bound_to_city and level != OfficeLevel.CITY and code[:4] != city_code[:4]:
        raise ValidationError(
            _("{code} does not belong to the city of the policy profile ({city}xx).").format(
                code=code, city=city_code[:4]
            ),
            where=where,
        )


def validate_office_name(name: str) -> None:
    where = _("Office name")
    text = name.strip()
    if not 2 <= len(text) <= 40:
        raise ValidationError(_("An office name has 2 to 40 characters."), where=where)
    if _CONTROL.search(text) or not any("\u4e00" <= c <= "\u9fff" for c in text):
        raise ValidationError(
            _("Write the office's Chinese name, e.g. 青溪县医疗保障事务中心."), where=where
        )


def validate_township(code: str, name: str, county_code: str) -> None:
    """A township's 9-digit code inside the county's code, and a Chinese name."""
    validate_division_code(code, OfficeLevel.TOWNSHIP)
    if code[:6] != county_code:
        raise ValidationError(
            _("Township {code} is not in this county ({county}xxx).").format(
                code=code, county=county_code
            ),
            where=_("Township code"),
        )
    try:
        validate_office_name(name)
    except ValidationError as error:
        raise ValidationError(error.message, where=_("Township name")) from error


def parse_township_lines(text: str, county_code: str) -> tuple[tuple[str, str], ...]:
    """Townships typed or pasted one per line: "330602001 塔山街道" (tab or spaces)."""
    found: list[tuple[str, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        code, _sep, name = raw.strip().replace("\t", " ").partition(" ")
        try:
            validate_township(code, name.strip(), county_code)
        except ValidationError as error:
            raise ValidationError(
                error.message, where=_("Townships, line {n}").format(n=number)
            ) from error
        if code in {c for c, _n in found}:
            raise ValidationError(
                _("{code} is listed twice.").format(code=code),
                where=_("Townships, line {n}").format(n=number),
            )
        found.append((code, name.strip()))
    return tuple(found)


def validate_setup(request: SetupRequest) -> None:
    """Every check, before anything is written."""
    from mibdesk.core.catalog import load_profile  # pydantic: only when setting up

    try:
        profile = load_profile(request.profile_id)
    except ProfileError as error:
        raise ValidationError(error.message, where=_("Policy profile")) from error
    validate_division_code(request.code, request.level, profile.city_code)
    validate_office_name(request.name)
    if request.drop_folder and not Path(request.drop_folder).is_absolute():
        raise ValidationError(_("Give the full path of the drop folder."), where=_("Drop folder"))
    for new in request.users:
        validate_new_user(new)
    names = [u.username for u in request.users]
    if len(set(names)) != len(names):
        raise ValidationError(_("Two accounts have the same username."), where=_("Accounts"))
    if request.townships and request.level != OfficeLevel.COUNTY:
        raise ValidationError(_("Only a county office lists townships."), where=_("Townships"))
    codes = [code for code, _name in request.townships]
    if len(set(codes)) != len(codes):
        raise ValidationError(_("A township is listed twice."), where=_("Townships"))
    for code, name in request.townships:
        validate_township(code, name, request.code)
    if not any(u.role == Role.HEAD for u in request.users):
        raise ValidationError(_("Create at least one head account (负责人)."), where=_("Accounts"))
    url = chosen_database_url(request)
    if url and request.level != OfficeLevel.CITY:
        raise ValidationError(
            _("Only a city office keeps its database on a server; a county's stays on its PC."),
            where=_("Database"),
        )
    if url and not is_server_url(url):
        raise ValidationError(
            _("Give a PostgreSQL address, e.g. postgresql://mibdesk@db-server/mibdesk_city."),
            where=_("Database"),
        )


def chosen_database_url(request: SetupRequest) -> str:
    """The server database a city is set up on: the request's, else MIBDESK_DATABASE_URL
    (a city only); '' for the local SQLite file."""
    if request.database_url.strip():
        return request.database_url.strip()
    if request.level == OfficeLevel.CITY:
        return os.environ.get(DATABASE_URL_ENV, "").strip()
    return ""


def set_up_office(data_dir: Path, request: SetupRequest, clock: Clock = system_clock) -> Store:
    """Create the office database in `data_dir` and return it open."""
    validate_setup(request)
    store = create_store(data_dir, clock=clock, database_url=chosen_database_url(request))
    try:
        _fill(store, request, stamp(clock()))
    except BaseException:
        store.close()
        for suffix in ("", "-wal", "-shm"):  # a half-made new office is ours to remove
            Path(str(store.paths.database) + suffix).unlink(missing_ok=True)
        store.paths.database_url_file.unlink(missing_ok=True)  # (a server's tables stay, empty)
        raise
    return store


def _fill(store: Store, request: SetupRequest, at: str) -> None:
    write_initial_settings(
        store, {"language": request.language, "drop_folder": request.drop_folder}
    )
    with store.write() as session:
        office.add_office(
            session,
            Office(
                level=OfficeLevel(request.level).value,
                code=request.code,
                name=request.name.strip(),
                profile_id=request.profile_id,
                created_at=at,
            ),
        )
        audit.append(
            session,
            at=at,
            actor="system",
            action="office.setup",
            entity="office",
            entity_key=request.code,
            after={
                "level": request.level.value,
                "name": request.name.strip(),
                "profile": request.profile_id,
                "drop_folder": request.drop_folder,
            },
        )
        for position, (code, name) in enumerate(request.townships, start=1):
            session.add(Township(code=code, name=name.strip(), position=position, active=True))
        if request.townships:
            audit.append(
                session,
                at=at,
                actor="system",
                action="township.save",
                entity="township",
                entity_key=",".join(c for c, _n in request.townships),
                after=dict(request.townships),
            )
        for new in request.users:
            user = users.add(session, make_user(new, at))
            audit.append(
                session,
                at=at,
                actor="system",
                action="user.add",
                entity="user",
                entity_key=user.username,
                after={"display_name": user.display_name, "role": user.role},
            )


def office_info(store: Store) -> OfficeInfo:
    with store.read() as session:
        row = office.get_office(session)
        if row is None:
            raise ValidationError(_("The database holds no office."))
        return OfficeInfo(OfficeLevel(row.level), row.code, row.name, row.profile_id)
