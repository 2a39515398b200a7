"""The settlement parameters of the bundled profiles, and refusals of bad ones in Chinese
(000 附件 §3.4–4.6, 003 §3.3, 001 §2.3.2, 004 §4.5–4.6)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from settlement_cases import SHAOXING_FILE

from mibdesk.core.catalog import ProfileFieldError, is_default, load_profile, parse_profile
from mibdesk.core.catalog import profile_to_json as to_json
from mibdesk.core.errors import ValidationError
from mibdesk.core.rules.settlement.input_file import read_input_file, to_settlement_input


def test_shaoxing_grades_and_the_excellent_grade() -> None:
    """000 附件 §4.6: 考核达不到优秀的 — 优秀 is from the text, the other grades a default."""
    block = load_profile("shaoxing").settlement.shaoxing
    assert block is not None
    assert block.grades.value[0] == block.excellent_grade.value == "优秀"
    assert block.excellent_grade.source == "000 附件 §4.6"
    assert "mibdesk 默认" in block.grades.source


def test_suzhou_draws_balance_then_risk_reserve() -> None:
    """003 §3.3: 累计结余、医疗风险准备金先行予以弥补, in that order."""
    block = load_profile("suzhou").settlement.suzhou
    assert block is not None
    assert block.local_funds.value == ("county_balance", "risk_reserve")
    assert block.local_funds.source == "003 §3.3"


@pytest.mark.parametrize("name", ["suzhou", "jilin", "jining", "generic"])
def test_only_shaoxing_lets_a_county_keep_surplus(name: str) -> None:
    """000 附件 §4.4 is the only text that leaves part of a surplus with the county; the
    others keep none (a documented default)."""
    settlement = load_profile(name).settlement
    block = settlement.suzhou or settlement.ratio
    assert block is not None
    assert block.surplus_pooled_share.value == 1 and block.surplus_county_share.value == 0
    assert is_default(block.surplus_pooled_share.source)
    shaoxing = load_profile("shaoxing").settlement.shaoxing
    assert shaoxing is not None and shaoxing.surplus_county_share.value == Decimal("0.5")


def _broken(change: Any) -> ProfileFieldError:
    data = json.loads(to_json(load_profile("shaoxing")))
    change(data["settlement"]["shaoxing"])
    with pytest.raises(ProfileFieldError) as caught:
        parse_profile(json.dumps(data, ensure_ascii=False), where="shaoxing.json")
    return caught.value


def test_shares_not_adding_up_are_refused_in_chinese() -> None:
    """000 附件 §4.5.3: 分别按50%比例 — 0.6 and 0.5 cannot both hold."""
    error = _broken(lambda block: block["deficit_pooled_share"].update(value="0.6"))
    assert error.field == "settlement.shaoxing.deficit_county_share.value"
    assert error.problem == "0.6 与 0.5 之和必须等于1"


def test_excellent_grade_outside_the_list_is_refused_in_chinese() -> None:
    error = _broken(lambda block: block["excellent_grade"].update(value="甲等"))
    assert error.field == "settlement.shaoxing.excellent_grade.value"
    assert error.problem == "考核等次 甲等 不在等次列表（优秀、良好、合格、不合格）中"


def test_input_refusals_are_chinese_and_name_county_scheme_and_field() -> None:
    """issue #7 "Bad input": settlement inputs missing a county or a grade."""
    data = copy.deepcopy(SHAOXING_FILE)
    del data["schemes"]["EMP"]["counties"]["330603"]
    with pytest.raises(ValidationError) as missing:
        to_settlement_input(
            read_input_file(json.dumps(data), where="s.json"),
            load_profile("shaoxing"),
            where="s.json",
        )
    assert str(missing.value) == "s.json：险种 EMP：缺少县区 330603（柯桥区）的数据"
    data = copy.deepcopy(SHAOXING_FILE)
    del data["counties"][1]["grade"]
    with pytest.raises(ValidationError) as grade:
        to_settlement_input(
            read_input_file(json.dumps(data), where="s.json"),
            load_profile("shaoxing"),
            where="s.json",
        )
    assert grade.value.message == (
        "县区 330603（柯桥区）：缺少考核等次（应为 优秀、良好、合格、不合格 之一）"
    )
