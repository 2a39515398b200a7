"""The quota screen's grids without a window: amounts typed in yuan with the running sum and
"差 X 元"; factors with weights and values, refused by name when a cell is empty or wrong."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mibdesk.core.errors import ValidationError
from mibdesk.core.tables.quota_tables import AMOUNT, AmountTable, FactorColumn, FactorTable

COUNTIES = {"330603": "南湖县", "330602": "北城区"}


def test_typed_amounts_add_up_against_the_budget() -> None:
    table = AmountTable(COUNTIES, {"330602": 500}, {}, negative_ok=False)
    assert [table.cell(r, 0).display for r in range(3)] == ["北城区", "南湖县", "合计"]
    assert table.set_text(0, AMOUNT, "1,000.5") is None
    assert table.set_text(1, AMOUNT, "-1") == "定额不能小于零；核减请通过预算调整办理。"
    assert table.set_text(1, AMOUNT, "一千") is not None and table.amounts["330603"] is None
    assert table.set_text(0, 2, "1") is not None  # the issued quota is not typed over
    assert table.cell(2, AMOUNT).display == "1,000.50" and table.cell(2, AMOUNT).computed
    check = table.check(200_000)
    assert check.difference == 99_950 and "差 999.50 元" in check.message()
    assert table.set_text(1, AMOUNT, "999.50") is None and table.check(200_000).adds_up
    adjustment = AmountTable(COUNTIES, {}, {}, negative_ok=True)
    assert adjustment.set_text(0, AMOUNT, "-5,000") is None
    assert adjustment.typed() == {"330602": -500_000}


def test_factors_turn_into_the_rules_factors() -> None:
    table = FactorTable(COUNTIES, [FactorColumn("参保人数"), FactorColumn("上年支出")])
    assert table.cell(0, 0).display == "权重（%）"
    for col, weight in ((2, "60%"), (3, "40")):
        assert table.set_text(0, col, weight) is None
    assert table.weights_total() == 100
    assert table.set_text(1, 2, "200,000") is None
    assert table.set_text(1, 3, "-1") == "因素值和权重不能小于零。"
    assert table.set_text(1, 3, "abc") == "不是数字：abc"
    assert table.cell(0, 2).display == "60%" and table.cell(1, 2).display == "200,000"
    with pytest.raises(ValidationError, match="参保人数：请填写南湖县的值"):
        table.to_factors()
    for row, col, text in ((1, 3, "1.25"), (2, 2, "100000"), (2, 3, "2")):
        assert table.set_text(row, col, text) is None
    first, second = table.to_factors()
    assert first.weight == Decimal("60") and first.values == {
        "330602": Decimal("200000"),
        "330603": Decimal("100000"),
    }
    assert second.values["330602"] == Decimal("1.25") and table.cell(1, 3).display == "1.25"
