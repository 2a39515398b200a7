"""Policy profiles that are malformed or inconsistent are refused, naming file and field.

Each case breaks one thing in a bundled profile and expects a `ProfileFieldError` whose
`where` is the file and whose `field` is the path of what is wrong. Assertions are on class,
`where` and `field`, never on wording (the interface is translated).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mibdesk.core.catalog import (
    ProfileFieldError,
    ProfileSyntaxError,
    list_profiles,
    load_profile,
    loader,
    parse_profile,
    profile_to_json,
)
from mibdesk.core.errors import ProfileError
from mibdesk.core.resources import resource_path

Mutation = Callable[[dict[str, Any]], None]


def as_data(profile_id: str) -> dict[str, Any]:
    """A bundled profile as plain JSON data, to break."""
    data: dict[str, Any] = json.loads(profile_to_json(load_profile(profile_id)))
    return data


def _walk(data: Any, path: str) -> tuple[Any, str | int]:
    """The container holding the value at `path` ("a.b[2].c"), and its key there."""
    parts: list[str | int] = [
        int(part) if part.isdigit() else part
        for part in path.replace("[", ".").replace("]", "").split(".")
    ]
    node = data
    for part in parts[:-1]:
        node = node[part]
    return node, parts[-1]


def _set(path: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        node, key = _walk(data, path)
        node[key] = value

    return mutate


def _drop(path: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        node, key = _walk(data, path)
        del node[key]

    return mutate


def _emp_lines(change: Callable[[list[dict[str, Any]]], object]) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        change(data["schemes"][0]["lines"])

    return mutate


def _at(lines: list[dict[str, Any]], code: str) -> int:
    return next(i for i, line in enumerate(lines) if line["code"] == code)


def _sum(code: str, *parts: str) -> Mutation:
    return _emp_lines(lambda lines: lines[_at(lines, code)].update(sum_of=list(parts)))


def _insert(code: str, **extra: Any) -> Mutation:
    line = {"code": code, "name": "新行", "section": "enrolment", "unit": "persons"}
    return _emp_lines(lambda lines: lines.insert(6, line | {"source": "004 §1"} | extra))


def _steps(change: Callable[[list[dict[str, Any]]], object]) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        change(data["timetable"]["plan_steps"])

    return mutate


def case(name: str, mutate: Mutation, field: str, base: str = "generic") -> Any:
    """`base` changed by `mutate` is refused at `field`."""
    return pytest.param(base, mutate, field, id=name)


def bad(name: str, path: str, value: Any, base: str = "generic") -> Any:
    """`base` with `value` at `path` is refused at `path` itself."""
    return case(name, _set(path, value), path, base)


# In generic: schemes[0] is EMP (lines[3] ENR_IN_SERVICE, [5] ENR_TOTAL, [12] INC_CONTRIB,
# [18] INC_TOTAL, [20] an expenditure line), schemes[2] is CI with premiums.
E = "schemes[0]"
RATE = f"{E}.contribution_rates"
PREM = "schemes[2].premiums[0]"
STEP = "timetable.plan_steps"
SX = "settlement.shaoxing"
RATIO = "settlement.ratio"
MONTHS = "balance_transfer.months"
SUBSIDY = "remittance.resident_subsidy.value"


def sums(index: int) -> str:
    return f"{E}.lines[{index}].sum_of"


BROKEN = [
    case("missing field", _drop("name"), "name"),
    case("missing nested", _drop("timetable.monthly_report_due"), "timetable.monthly_report_due"),
    bad("wrong type int", "version", "1"),
    bad("wrong type bool", "carry_over.value", "yes"),
    bad("wrong type list", f"{E}.lines", {}),
    bad("wrong type object", "risk", []),
    bad("decimal as number", f"{RATE}[0].rate", 0.074),
    bad("decimal garbage", f"{RATE}[0].rate", "7.4%"),
    bad("decimal infinite", "risk.reserve_months_amber.value", "Infinity"),
    bad("unknown field", "colour", "red"),
    bad("unknown line field", f"{E}.lines[0].colour", "red"),
    bad("unknown scheme code", "schemes[1].code", "PENSION"),
    bad("duplicate scheme code", "schemes[1].code", "EMP"),
    bad("no schemes", "schemes", []),
    bad("bad line code", f"{E}.lines[0].code", "enr public"),
    bad("duplicate line code", f"{E}.lines[1].code", "ENR_PUBLIC"),
    bad("bad section", f"{E}.lines[0].section", "assets"),
    bad("unit against section", f"{E}.lines[0].unit", "fen"),
    bad("township expenditure", f"{E}.lines[20].township", True),
    case("sum_of missing line", _sum("ENR_TOTAL", "ENR_IN_SERVICE", "ENR_GONE"), sums(5)),
    case("sum_of other section", _sum("INC_TOTAL", "INC_CONTRIB", "BAL_END"), sums(18)),
    case("persons into money", _sum("INC_CONTRIB", "INC_EMPLOYER", "ENR_RETIRED"), sums(12)),
    case("sum_of itself", _sum("ENR_TOTAL", "ENR_TOTAL"), sums(5)),
    case("sum_of cycle", _sum("ENR_IN_SERVICE", "ENR_PUBLIC", "ENR_TOTAL"), sums(3)),
    case("names twice", _sum("ENR_TOTAL", "ENR_IN_SERVICE", "ENR_RETIRED", "ENR_RETIRED"), sums(5)),
    case(
        "counted twice", _sum("ENR_TOTAL", "ENR_IN_SERVICE", "ENR_RETIRED", "ENR_PUBLIC"), sums(5)
    ),
    case("second total", _insert("ENR_X", sum_of=["ENR_PUBLIC"]), sums(6)),
    case("line outside total", _insert("ENR_X"), f"{E}.lines[6]"),
    case("no total", _emp_lines(lambda ls: [ls[i].pop("sum_of") for i in (3, 5)]), f"{E}.lines"),
    case(
        "no balance line", _emp_lines(lambda lines: lines.pop(_at(lines, "BAL_END"))), f"{E}.lines"
    ),
    bad("rate too high", f"{RATE}[1].rate", "1.08"),
    bad("rate zero", f"{RATE}[1].rate", "0"),
    bad("rate base not a base", f"{RATE}[0].base_line", "INC_OTHER"),
    bad("rate income is a total", f"{RATE}[0].income_line", "INC_TOTAL"),
    bad("rate bad payer", f"{RATE}[0].payer", "boss"),
    bad("premium missing line", f"{PREM}.enrolment_lines[0]", "ENR_GONE"),
    bad("premium zero", f"{PREM}.fen_per_head_month", 0),
    bad("premium as text", f"{PREM}.fen_per_head_month", "600"),
    bad("premium fractional", f"{PREM}.fen_per_head_month", 600.5),
    bad("step after later step", f"{STEP}[1].after", "city_forward"),
    bad("step after missing step", f"{STEP}[2].after", "city_review"),
    case(
        "steps out of order", _steps(lambda steps: steps.insert(0, steps.pop(1))), f"{STEP}[0].code"
    ),
    case("step missing", _steps(lambda steps: steps.pop()), STEP),
    case("fixed step without day", _drop(f"{STEP}[0].day"), f"{STEP}[0].day"),
    bad("working step with day", f"{STEP}[3].day", 5),
    case("working step without days", _drop(f"{STEP}[3].days"), f"{STEP}[3].days"),
    bad("step by wrong office", f"{STEP}[2].who", "county"),
    bad("fixed day goes back", f"{STEP}[1].day", 20, base="shaoxing"),
    bad("day 32", f"{STEP}[0].day", 32),
    bad("bad holiday shift", "timetable.holiday_shift.value", "later"),
    bad("ratio above 1", f"{RATIO}.city_share.value", "1.2"),
    bad("ratio negative", "balance_transfer.share.value", "-0.3"),
    case(
        "shares not adding up",
        _set(f"{RATIO}.city_share.value", "0.6"),
        f"{RATIO}.county_share.value",
    ),
    case(
        "shaoxing shares",
        _set(f"{SX}.overflow_city_share.value", "0.3"),
        f"{SX}.overflow_county_share.value",
        "shaoxing",
    ),
    bad("shaoxing extra too big", f"{SX}.below_excellent_county_extra.value", "0.6", "shaoxing"),
    case(
        "surplus shares",
        _set(f"{SX}.surplus_pooled_share.value", "0.6"),
        f"{SX}.surplus_county_share.value",
        "shaoxing",
    ),
    case(
        "ratio surplus shares",
        _set(f"{RATIO}.surplus_county_share.value", "0.1"),
        f"{RATIO}.surplus_county_share.value",
    ),
    bad("surplus share as number", f"{RATIO}.surplus_pooled_share.value", 1),
    bad("excellent grade not listed", f"{SX}.excellent_grade.value", "甲等", "shaoxing"),
    case(
        "grade twice",
        _set(f"{SX}.grades.value", ["优秀", "良好", "优秀"]),
        f"{SX}.grades.value[2]",
        "shaoxing",
    ),
    bad("no grades", f"{SX}.grades.value", [], "shaoxing"),
    case("grades missing", _drop(f"{SX}.grades"), f"{SX}.grades", "shaoxing"),
    case(
        "local fund twice",
        _set("settlement.suzhou.local_funds.value", ["county_balance", "county_balance"]),
        "settlement.suzhou.local_funds.value[1]",
        "suzhou",
    ),
    case(
        "unknown local fund",
        _set("settlement.suzhou.local_funds.value", ["savings"]),
        "settlement.suzhou.local_funds.value[0]",
        "suzhou",
    ),
    case("method block missing", _drop(RATIO), RATIO),
    case("method block foreign", _set("settlement.method", "shaoxing"), RATIO),
    case(
        "suzhou scheme not pooled",
        _set("settlement.suzhou.county_deficit_schemes.value", ["CI"]),
        "settlement.suzhou.county_deficit_schemes.value[0]",
        "suzhou",
    ),
    bad("settle by 30 February", "settlement.settle_by.value", {"month": 2, "day": 30}),
    bad("red above amber", "risk.reserve_months_red.value", "7"),
    bad("target zero", "risk.collection_rate_target.value", "0"),
    bad("target above 1", "risk.collection_rate_target.value", "1.01"),
    case(
        "missing source",
        _drop("risk.reserve_months_amber.source"),
        "risk.reserve_months_amber.source",
    ),
    bad("blank source", "carry_over.source", "  "),
    bad("source not a citation", f"{E}.lines[0].source", "see the notice"),
    bad("source cites unlisted document", f"{STEP}[0].source", "001 §2.3.2"),
    bad("empty default", "carry_over.source", "mibdesk 默认（）"),
    bad("months unpooled", f"{MONTHS}.CI", {"value": "1", "source": "000 附件 §3.5"}, "shaoxing"),
    bad("months unknown scheme", f"{MONTHS}.XX", {"value": "1", "source": "000 §1"}, "shaoxing"),
    case("transfer share missing", _drop("balance_transfer.share"), "balance_transfer.share"),
    bad(
        "transfer foreign field",
        "balance_transfer.share",
        {"value": "0", "source": "001 §2"},
        "jilin",
    ),
    bad("subsidy without RES", SUBSIDY, [{"quarter": 1, "by": {"month": 2}}], "jining"),
    bad("quarter twice", f"{SUBSIDY}[1].quarter", 1, "shaoxing"),
    bad("quarter 5", f"{SUBSIDY}[1].quarter", 5, "shaoxing"),
    bad("bad city code", "city_code", "33060"),
    bad("bad id", "id", "Shao Xing"),
    bad("newer format", "format_version", 2),
    bad("older format", "format_version", 0),
]


@pytest.mark.parametrize(("base", "mutate", "field"), BROKEN)
def test_broken_profile_is_refused_naming_file_and_field(
    base: str, mutate: Mutation, field: str
) -> None:
    data = as_data(base)
    mutate(data)
    with pytest.raises(ProfileFieldError) as caught:
        parse_profile(json.dumps(data, ensure_ascii=False), where="broken.json")
    error = caught.value
    assert isinstance(error, ProfileError)
    assert error.where == "broken.json"
    assert error.field == field
    assert field in error.message and error.problem
    assert "Input should" not in error.message and "pydantic" not in error.message


def test_line_positions_the_cases_rely_on() -> None:
    lines = as_data("generic")["schemes"][0]["lines"]
    positions = {"ENR_IN_SERVICE": 3, "ENR_TOTAL": 5, "INC_CONTRIB": 12, "INC_TOTAL": 18}
    assert {code: _at(lines, code) for code in positions} == positions
    assert lines[20]["section"] == "expenditure"
    assert as_data("generic")["schemes"][2]["code"] == "CI"


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [('{"id": "x",\n  "name": }', 2, 11), ("", 1, 1), ("{'id': 1}", 1, 2)],
)
def test_json_syntax_errors_name_line_and_column(text: str, line: int, column: int) -> None:
    with pytest.raises(ProfileSyntaxError) as caught:
        parse_profile(text, where="bad.json")
    assert caught.value.where == "bad.json"
    assert (caught.value.line, caught.value.column) == (line, column)


def test_nan_duplicate_keys_and_non_objects_are_refused() -> None:
    with pytest.raises(ProfileError) as nan:
        parse_profile('{"a": NaN}', where="nan.json")
    assert nan.value.where == "nan.json"
    with pytest.raises(ProfileFieldError) as duplicate:
        parse_profile('{"id": "a", "id": "b"}', where="dup.json")
    assert (duplicate.value.where, duplicate.value.field) == ("dup.json", "id")
    with pytest.raises(ProfileFieldError) as listed:
        parse_profile("[]", where="list.json")
    assert listed.value.field == ""


def test_byte_order_mark_is_accepted_and_oversized_text_refused() -> None:
    text = "\ufeff" + profile_to_json(load_profile("suzhou"))
    assert parse_profile(text, where="bom.json") == load_profile("suzhou")
    with pytest.raises(ProfileError):
        parse_profile(" " * (loader.MAX_PROFILE_CHARS + 1), where="huge.json")


def test_bundled_file_problems_name_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A misnamed, broken or unreadable file among the bundled ones is refused with its name."""
    generic = resource_path("profiles", "generic.json").read_text(encoding="utf-8")
    monkeypatch.setattr(loader, "profiles_dir", lambda: tmp_path)
    loader.clear_cache()
    try:
        (tmp_path / "copy.json").write_text(generic, "utf-8")
        with pytest.raises(ProfileFieldError) as misnamed:
            loader.load_profile("copy")
        assert (misnamed.value.where, misnamed.value.field) == ("profiles/copy.json", "id")
        (tmp_path / "copy.json").unlink()
        (tmp_path / "broken.json").write_text("{", "utf-8")
        with pytest.raises(ProfileSyntaxError) as broken:
            list_profiles()
        assert broken.value.where == "profiles/broken.json"
        (tmp_path / "latin.json").write_bytes(b"\xff\xfe{")
        with pytest.raises(ProfileError) as unreadable:
            loader.load_profile("latin")
        assert unreadable.value.where == "profiles/latin.json"
    finally:
        loader.clear_cache()


# ------------------------------------------------------------------ properties


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


GENERIC = as_data("generic")
GENERIC_PATHS = [path for path in _paths(GENERIC) if path]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 40) | st.sampled_from(["", "x", "0.5", "EMP"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=5,
)


@settings(max_examples=150, deadline=None, database=None)
@given(path=st.sampled_from(GENERIC_PATHS), value=JSON_VALUES)
def test_any_single_change_is_accepted_or_refused_cleanly(
    path: tuple[Any, ...], value: Any
) -> None:
    """Changing any one value to any JSON value yields a Profile or a ProfileError, nothing
    else; an accepted profile round-trips."""
    data = json.loads(json.dumps(GENERIC))
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    try:
        profile = parse_profile(json.dumps(data, ensure_ascii=False), where="fuzz.json")
    except ProfileError as error:
        assert error.where == "fuzz.json"
        return
    assert parse_profile(profile_to_json(profile), where="again.json") == profile


@settings(max_examples=60, deadline=None, database=None)
@given(text=st.text(max_size=60))
def test_arbitrary_text_is_refused_cleanly(text: str) -> None:
    with pytest.raises(ProfileError):
        parse_profile(text, where="noise.json")
