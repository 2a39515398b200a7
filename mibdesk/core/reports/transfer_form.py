"""The balance transfer as an A4 form (基金累计结余上划清单, always in Chinese — 000 附件 §3.6:
"上述划转清单由市医保部门牵头负责提供"): per county its retained balance, what it transfers
(now and when its time deposits mature, where the rule splits it) and what it keeps, with
totals; then every step of the working with its rule and source; the document number, the
version and the inputs' SHA-256 in the notes. Built from a `TransferResult`."""

from __future__ import annotations

from dataclasses import dataclass

from mibdesk.core.reports.layout import (
    Column,
    FormLayout,
    Row,
    Signatories,
    TableBlock,
    totals_row,
    working_table,
)
from mibdesk.core.rules.settlement.transfers import TransferResult

VERSION = "1"
TRANSFER_CODE = "医保市划01表"
_AMOUNTS = ("balance", "demand", "transfer", "now", "deferred", "remaining")


@dataclass(frozen=True)
class TransferDocument:
    """What the form says about the issue: 文号, date (as printed), version, the reason of a
    new version, the profile and the inputs' SHA-256. `doc_no` '' for a draft."""

    doc_no: str
    doc_date: str
    version: int
    reason: str
    profile_id: str
    profile_version: int
    inputs_sha256: str


def _county_table(result: TransferResult, demand: dict[str, int | None]) -> TableBlock:
    split = any(c.deferred for c in result.counties)
    kept = "暂存县区（冻结）" if result.method == "fixed_share" else "县区留存"
    columns = [
        Column("no", "序号", 4),
        Column("name", "县（市、区）", 24),
        Column("balance", "累计结余", 14, "fen"),
    ]
    if split:
        columns += [Column("demand", "其中活期存款", 13, "fen")]
    columns += [Column("transfer", "上划金额", 14, "fen")]
    if split:
        columns += [
            Column("now", "本次上划", 13, "fen"),
            Column("deferred", "定期到期后补足", 13, "fen"),
        ]
    columns += [Column("remaining", kept, 14, "fen")]
    rows = tuple(
        Row(
            {
                "no": str(index),
                "name": f"{c.name}（{c.code}）",
                "balance": c.balance,
                "demand": demand.get(c.code),
                "transfer": c.transfer,
                "now": c.now,
                "deferred": c.deferred,
                "remaining": c.remaining,
            }
        )
        for index, c in enumerate(result.counties, start=1)
    )
    return TableBlock(tuple(columns), rows, "各县（市、区）上划金额", totals_row(rows, _AMOUNTS))


def transfer_layout(
    city_name: str,
    city_code: str,
    scheme_name: str,
    result: TransferResult,
    demand: dict[str, int | None],
    document: TransferDocument,
    names: Signatories,
) -> FormLayout:
    """上划清单 of `result` (`demand`: county → demand deposits typed, Jining)."""
    if document.doc_no:
        issued = f"下达文号：{document.doc_no}（{document.doc_date}），第 {document.version} 版。"
        if document.reason:
            issued += f"更正原因：{document.reason}"
    else:
        issued = "草稿：尚未下达，不作为划转依据。"
    if result.method == "fixed_share":
        typed = "各县（市、区）历史结余及其中活期存款由市经办机构录入"
    else:
        typed = (
            "各县（市、区）累计结余、归集基金现有余额由市经办机构录入；全市支出取自各县（市、区）"
            "上年月报的基金支出合计（可由市经办机构修改）"
        )
    notes = (
        issued,
        f"{typed}；计算过程逐步列明规则与依据。",
        f"按政策参数 {document.profile_id} 第 {document.profile_version} 版计算；录入数据"
        f" SHA-256：{document.inputs_sha256}。",
    )
    county_steps = ((c.name, c.working) for c in result.counties)
    working = working_table("计算过程", result.working, county_steps, (14, 22, 15, 32, 17))
    return FormLayout(
        title=f"{result.year}年{scheme_name}累计结余上划清单",
        form_code=TRANSFER_CODE,
        form_version=VERSION,
        unit_name=city_name,
        unit_code=city_code,
        period=f"{result.year}年度",
        tables=(_county_table(result, demand), working),
        total_label="上划金额合计",
        total_fen=result.total,
        notes=notes,
        signatories=names,
        landscape=any(c.deferred for c in result.counties),  # two more amount columns
    )
