"""The settlement input file (docs/settlement-input.md): a good file becomes inputs, a bad one
is refused naming the file, the county, the scheme and the field (issue #7 "Bad input").

Assertions are on `where` and on the names a message must carry (county code, scheme,
field), never on wording: the interface is translated.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from settlement_cases import SHAOXING_FILE as SHAOXING
from settlement_cases import figures

from mibdesk.core.catalog import load_profile
from mibdesk.core.errors import ValidationError
from mibdesk.core.rules.settlement import settle
from mibdesk.core.rules.settlement.input_file import read_input_file, to_settlement_input

WHERE = "settle-2024.json"


def load(data: dict[str, Any], profile: str = "shaoxing") -> Any:
    file = read_input_file(json.dumps(data, ensure_ascii=False), where=WHERE)
    return to_settlement_input(file, load_profile(profile), where=WHERE)


def test_a_good_file_becomes_inputs_in_fen() -> None:
    inputs = load(SHAOXING)
    assert inputs.year == 2024 and dict(inputs.pooled_fund) == {"EMP": 100_000_000, "RES": 0}
    first = inputs.counties[0]
    assert (first.code, first.grade) == ("330602", "优秀")
    emp = first.schemes["EMP"]
    assert (emp.income, emp.expenditure, emp.balance, emp.county_caused) == (
        5_000_000_000,
        5_200_000_000,
        50_000_000,
        30_000_000,
    )
    result = settle(inputs, load_profile("shaoxing"))
    assert result.county("RES", "330603").deficit == 1


def test_suzhou_file_needs_a_risk_reserve_and_no_grade() -> None:
    data = copy.deepcopy(SHAOXING) | {"profile": "suzhou"}
    for county in data["counties"]:
        del county["grade"]
    for block in data["schemes"].values():
        for entry in block["counties"].values():
            entry["risk_reserve"] = "10.00"
    inputs = load(data, "suzhou")
    assert inputs.counties[0].schemes["EMP"].risk_reserve == 1000


Mutation = Callable[[dict[str, Any]], object]


def refused(mutate: Mutation, profile: str = "shaoxing") -> str:
    data = copy.deepcopy(SHAOXING)
    mutate(data)
    with pytest.raises(ValidationError) as caught:
        load(data, profile)
    assert caught.value.where == WHERE
    return caught.value.message


def emp(code: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda data: data["schemes"]["EMP"]["counties"][code]


@pytest.mark.parametrize(
    ("mutate", "names"),
    [
        pytest.param(
            lambda d: d["schemes"]["EMP"]["counties"].pop("330603"),
            ["EMP", "330603"],
            id="missing county",
        ),
        pytest.param(lambda d: d["counties"][1].pop("grade"), ["330603"], id="missing grade"),
        pytest.param(
            lambda d: d["counties"][1].update(grade="甲等"), ["330603", "甲等"], id="unknown grade"
        ),
        pytest.param(
            lambda d: d["schemes"].update(XX=d["schemes"]["EMP"]), ["XX"], id="unknown scheme"
        ),
        pytest.param(
            lambda d: d["schemes"].update(CI=d["schemes"]["EMP"]), ["CI"], id="scheme not pooled"
        ),
        pytest.param(
            lambda d: emp("330602")(d).update(balance="-5.00"),
            ["EMP", "330602", "balance"],
            id="negative",
        ),
        pytest.param(
            lambda d: emp("330602")(d).update(income=5000.5),
            ["EMP", "330602", "income"],
            id="number",
        ),
        pytest.param(
            lambda d: emp("330602")(d).update(income="5,000.00"),
            ["330602", "income"],
            id="separators",
        ),
        pytest.param(
            lambda d: emp("330602")(d).update(income="5000.5"),
            ["330602", "income"],
            id="one decimal",
        ),
        pytest.param(
            lambda d: emp("330602")(d).pop("expenditure"),
            ["330602", "expenditure"],
            id="missing field",
        ),
        pytest.param(
            lambda d: emp("330602")(d).update(incme="1.00"),
            ["330602", "incme"],
            id="misspelt field",
        ),
        pytest.param(
            lambda d: d["counties"].append(dict(d["counties"][0])),
            ["330602"],
            id="duplicate county",
        ),
        pytest.param(
            lambda d: d["schemes"]["EMP"]["counties"].update({"330699": figures("1.00", "1.00")}),
            ["330699"],
            id="county not listed",
        ),
        pytest.param(
            lambda d: emp("330603")(d).update(county_caused="1.00"),
            ["330603", "county_caused"],
            id="caused in surplus year",
        ),
        pytest.param(
            lambda d: emp("330602")(d).update(risk_reserve="1.00"),
            ["330602", "risk_reserve"],
            id="reserve not used",
        ),
        pytest.param(lambda d: d["counties"][0].update(code="33060"), ["code"], id="bad code"),
        pytest.param(
            lambda d: d.update(profile="suzhou"), ["profile", "suzhou"], id="other profile"
        ),
        pytest.param(lambda d: d.pop("schemes"), ["schemes"], id="no schemes"),
        pytest.param(lambda d: d.update(format_version=2), ["format_version"], id="newer format"),
    ],
)
def test_bad_files_are_refused_naming_county_scheme_and_field(
    mutate: Mutation, names: list[str]
) -> None:
    message = refused(mutate)
    for name in names:
        assert name in message, (name, message)
    assert "Input should" not in message and "pydantic" not in message


def test_suzhou_without_a_risk_reserve_is_refused() -> None:
    def suzhou(data: dict[str, Any]) -> None:
        data["profile"] = "suzhou"
        for county in data["counties"]:
            del county["grade"]

    assert "330602" in refused(suzhou, "suzhou")


def test_grade_is_refused_where_the_rules_use_none() -> None:
    assert "330602" in refused(lambda data: data.update(profile="jining"), "jining")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[]",
        '{"format": "something else"}',
        '{"format": "mibdesk-settlement-input", "format": "mibdesk-settlement-input"}',
        '{"format": "mibdesk-settlement-input", "year": NaN}',
    ],
)
def test_text_that_is_not_a_settlement_input_is_refused(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        read_input_file(text, where=WHERE)
    assert caught.value.where == WHERE


def test_duplicate_county_key_in_a_scheme_is_refused() -> None:
    text = json.dumps(SHAOXING, ensure_ascii=False)
    duplicated = text.replace('"330603": {"income"', '"330602": {"income"', 1)
    with pytest.raises(ValidationError) as caught:
        read_input_file(duplicated, where=WHERE)
    assert "330602" in caught.value.message
