"""The settlement input file (docs/settlement-input.md): read, check, turn into inputs.

`read_input_file(text, where=…)` parses and checks the file's own structure (strict JSON,
pydantic, amounts as text in yuan with exactly two decimals); `to_settlement_input(file,
profile, where=…)` checks it against the profile and builds a `SettlementInput`. Both raise
`ValidationError` whose `where` is the file and whose message names the county, the scheme
and the field, in the user's language; nothing is computed from a file with a problem.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic import ValidationError as PydanticError

from mibdesk.core.catalog.loader import describe_error
from mibdesk.core.catalog.profile import Profile
from mibdesk.core.catalog.schemes import SchemeCode
from mibdesk.core.catalog.values import Text
from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import _
from mibdesk.core.money import format_fen, parse_yuan
from mibdesk.core.rules.settlement.inputs import CountyInput, SchemeYear, SettlementInput

FORMAT = "mibdesk-settlement-input"
MAX_FILE_CHARS = 5_000_000
"""Far above 100 counties × 7 schemes; a larger file is refused before parsing."""
_AMOUNT = re.compile(r"[0-9]+\.[0-9]{2}", re.ASCII)


def _fen(value: Any) -> Any:
    """Amount text in yuan, exactly two decimals, no sign, no separators → int fen."""
    if not isinstance(value, str):
        raise ValueError(_('write amounts in yuan as text with two decimals, e.g. "1234.50"'))
    if value.startswith(("-", "－")):
        raise ValueError(_("cannot be negative"))
    if not _AMOUNT.fullmatch(value):
        raise ValueError(
            _('"{text}" is not yuan with two decimals, e.g. "1234.50"').format(text=value[:30])
        )
    return parse_yuan(value)


Amount = Annotated[int, BeforeValidator(_fen)]
CountyCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class FileCounty(_Strict):
    """A county of the city's roster; `grade` where the city's rules use one."""

    code: CountyCode
    name: Text
    grade: Text | None = None


class FileFigures(_Strict):
    """One county's year in one scheme."""

    income: Amount
    expenditure: Amount
    balance: Amount
    county_caused: Amount
    risk_reserve: Amount | None = None


class FileScheme(_Strict):
    """One scheme: the pooled fund before settlement and every county's figures by code."""

    pooled_fund: Amount
    counties: Mapping[str, FileFigures]


class SettlementFile(_Strict):
    """The whole file (format version 1)."""

    format: Literal["mibdesk-settlement-input"]
    format_version: Literal[1]
    profile: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
    year: Annotated[int, Field(ge=2000, le=2100)]
    counties: Annotated[tuple[FileCounty, ...], Field(min_length=1, strict=False)]
    schemes: Annotated[Mapping[SchemeCode, FileScheme], Field(min_length=1)]


_Refuse = Callable[[str, str], ValidationError]


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def read_input_file(text: str, *, where: str) -> SettlementFile:
    """Parse and check the file's structure; ValidationError naming `where` and the field."""
    if len(text) > MAX_FILE_CHARS:
        raise ValidationError(_("The file is too large to be a settlement input."), where=where)
    try:
        data = json.loads(
            text.removeprefix("\ufeff"),
            object_pairs_hook=_no_duplicates,
            parse_float=Decimal,  # never a float; an amount as a number is refused below
            parse_constant=_no_constant,
        )
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("Not valid JSON at line {line}, column {column}.").format(
                line=error.lineno, column=error.colno
            ),
            where=where,
        ) from None
    except _DuplicateKey as error:
        raise ValidationError(
            _(
                "The key {key} appears twice in the same object; a county or scheme may be given "
                "only once."
            ).format(key=error),
            where=where,
        ) from None
    except (ValueError, RecursionError):
        raise ValidationError(_("The file is not a settlement input."), where=where) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(
            _('Not a settlement input: "format" must be "{format}".').format(format=FORMAT),
            where=where,
        )
    try:
        return SettlementFile.model_validate(data)
    except PydanticError as error:
        first = error.errors()[0]
        raise ValidationError(
            _("{at}: {problem}").format(at=_location(first["loc"], data), problem=_problem(first)),
            where=where,
        ) from None


def to_settlement_input(file: SettlementFile, profile: Profile, *, where: str) -> SettlementInput:
    """The inputs for `settle`, after checking the file against `profile`.

    Refused: a profile other than the file's; a scheme the profile does not pool; a county
    twice in the roster; a county missing from a scheme or one not in the roster; a grade
    missing or unknown where the rules use one, or given where they do not; a risk reserve
    missing or given likewise; a county-caused gap larger than the year's deficit.
    """

    def refuse(at: str, problem: str) -> ValidationError:
        return ValidationError(_("{at}: {problem}").format(at=at, problem=problem), where=where)

    if file.profile != profile.id:
        raise refuse(
            "profile",
            _("the file is for profile {file}, but the settlement uses {profile}").format(
                file=file.profile, profile=profile.id
            ),
        )
    roster: dict[str, FileCounty] = {}
    for county in file.counties:
        if county.code in roster:
            raise refuse(_county(county), _("the county appears twice in the list"))
        roster[county.code] = county
        _check_grade(county, profile, refuse)
    uses_reserve = _uses_reserve(profile)
    years: dict[str, dict[str, SchemeYear]] = {code: {} for code in roster}
    for scheme, block in file.schemes.items():
        if scheme not in profile.scheme_codes:
            raise refuse(
                _("scheme {scheme}").format(scheme=scheme),
                _("{city} does not pool this scheme").format(city=profile.name),
            )
        for code in block.counties:
            if code not in roster:
                raise refuse(
                    _("scheme {scheme}, county {code}").format(scheme=scheme, code=code),
                    _("not in the list of counties"),
                )
        for code, county in roster.items():
            figures = block.counties.get(code)
            if figures is None:
                raise refuse(
                    _("scheme {scheme}").format(scheme=scheme),
                    _("no figures for {county}").format(county=_county(county)),
                )
            at = _("{county}, scheme {scheme}").format(county=_county(county), scheme=scheme)
            years[code][scheme] = _scheme_year(figures, uses_reserve, at, refuse)
    return SettlementInput(
        year=file.year,
        pooled_fund={scheme: block.pooled_fund for scheme, block in file.schemes.items()},
        counties=tuple(
            CountyInput(code, county.name, county.grade, years[code])
            for code, county in roster.items()
        ),
    )


def _check_grade(county: FileCounty, profile: Profile, refuse: _Refuse) -> None:
    block = profile.settlement.shaoxing
    at = _county(county)
    if block is None:
        if county.grade is not None:
            raise refuse(
                at,
                _("{city}'s settlement uses no assessment grade; remove it").format(
                    city=profile.name
                ),
            )
        return
    grades = "、".join(block.grades.value)
    if county.grade is None:
        raise refuse(
            at, _("the assessment grade is missing (one of {grades})").format(grades=grades)
        )
    if county.grade not in block.grades.value:
        raise refuse(
            at,
            _("unknown assessment grade {grade} (one of {grades})").format(
                grade=county.grade, grades=grades
            ),
        )


def _uses_reserve(profile: Profile) -> bool:
    block = profile.settlement.suzhou
    return block is not None and "risk_reserve" in block.local_funds.value


def _scheme_year(figures: FileFigures, uses_reserve: bool, at: str, refuse: _Refuse) -> SchemeYear:
    if uses_reserve and figures.risk_reserve is None:
        raise refuse(at, _("risk_reserve is missing (the risk reserve the county holds)"))
    if not uses_reserve and figures.risk_reserve is not None:
        raise refuse(at, _("risk_reserve is not used by this city's settlement; remove it"))
    deficit = max(figures.expenditure - figures.income, 0)
    if figures.county_caused > deficit:
        raise refuse(
            at,
            _(
                "county_caused {caused} is more than the year's deficit {deficit}: enter the part "
                "of the deficit the county caused"
            ).format(caused=format_fen(figures.county_caused), deficit=format_fen(deficit)),
        )
    return SchemeYear(
        income=figures.income,
        expenditure=figures.expenditure,
        balance=figures.balance,
        county_caused=figures.county_caused,
        risk_reserve=figures.risk_reserve or 0,
    )


def _county(county: FileCounty) -> str:
    return _("county {code} ({name})").format(code=county.code, name=county.name)


def _location(loc: tuple[int | str, ...], data: Any) -> str:
    """Where a structural error is, in words: the county by code (and name), the scheme."""
    parts = [part for part in loc if part != "[key]"]
    if len(parts) >= 2 and parts[0] == "counties" and isinstance(parts[1], int):
        entry = _entry(data.get("counties"), parts[1])
        code, name = entry.get("code"), entry.get("name")
        who = (
            _("county {code} ({name})").format(code=code, name=name)
            if isinstance(code, str) and isinstance(name, str)
            else _("county no. {number} in the list").format(number=parts[1] + 1)
        )
        return ", ".join([who, *map(str, parts[2:])])
    if len(parts) >= 4 and parts[0] == "schemes" and parts[2] == "counties":
        head = _("scheme {scheme}, county {code}").format(scheme=parts[1], code=parts[3])
        return ", ".join([head, *map(str, parts[4:])])
    if len(parts) >= 2 and parts[0] == "schemes":
        head = _("scheme {scheme}").format(scheme=parts[1])
        return ", ".join([head, *map(str, parts[2:])])
    return ".".join(str(part) for part in parts) or _("the file")


def _entry(items: Any, index: int) -> dict[str, Any]:
    if isinstance(items, list) and 0 <= index < len(items) and isinstance(items[index], dict):
        entry: dict[str, Any] = items[index]
        return entry
    return {}


def _problem(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return _("is not a field of the settlement input (misspelt?)")
    if error["type"] == "literal_error" and error["loc"][:1] == ("schemes",):
        return _("is not a scheme code (EMP, EMP_PA, RES, CI, LTC, MA, SUP)")
    return describe_error(error)
