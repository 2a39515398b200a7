"""ORM models of the year-end settlement (kept apart from models.py, on the same Base).

The city's worksheet for a year (`settlement_sheet`) and what the city typed into it
(`settlement_entry`: a county's grade, a county's balance, county-caused gap and risk reserve
per scheme, a scheme's pooled fund); income and expenditure are never stored here, they are
read from the counties' reports each time. A finalised sheet keeps the settlement input file
it was computed from (docs/settlement-input.md) with its SHA-256. A county keeps the
settlement notices the city sent it (`settlement_notice`).

Balance transfers (余额上划): the city keeps every issued version of a year's transfer of a
scheme (`city_transfer`: the document, the inputs and the result as issued, as JSON, with
the signed form's fingerprint and the notices sent); a county keeps the transfer notices it
received (`transfer_notice`). Money is integer fen.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from mibdesk.core.db.models import Base


class SettlementSheet(Base):
    """The city's settlement worksheet of one year: draft → final (locked)."""

    __tablename__ = "settlement_sheet"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    status: Mapped[str] = mapped_column(String(16))  # draft | final
    saved_by: Mapped[str] = mapped_column(String(40))
    saved_at: Mapped[str] = mapped_column(String(32))
    finalised_by: Mapped[str] = mapped_column(String(40), default="")
    finalised_at: Mapped[str] = mapped_column(String(32), default="")
    profile_version: Mapped[int] = mapped_column(Integer, default=0)
    input_text: Mapped[str] = mapped_column(Text, default="")
    input_sha256: Mapped[str] = mapped_column(String(64), default="")
    pdf_fingerprint: Mapped[str] = mapped_column(String(19), default="")


class SettlementEntry(Base):
    """One value the city typed: `county` '' for a scheme's pooled fund, `scheme` '' for a
    county's grade; `amount` (fen) or `text` (the grade)."""

    __tablename__ = "settlement_entry"
    __table_args__ = (UniqueConstraint("sheet_id", "county", "scheme", "field"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("settlement_sheet.id", ondelete="CASCADE"))
    county: Mapped[str] = mapped_column(String(9))
    scheme: Mapped[str] = mapped_column(String(10))
    field: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    text: Mapped[str] = mapped_column(String(40), default="")


class ReceivedNotice:
    """What a county keeps of a notice from its city: the package's data as sent (JSON)."""

    @declared_attr.directive
    def __table_args__(cls) -> tuple[UniqueConstraint]:
        return (UniqueConstraint("package_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    city: Mapped[str] = mapped_column(String(9))
    package_id: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[str] = mapped_column(String(32))
    data_json: Mapped[str] = mapped_column(Text)


class SettlementNotice(ReceivedNotice, Base):
    """A settlement notice (清算通知) a county received from the city."""

    __tablename__ = "settlement_notice"


class CityTransfer(Base):
    """One issued version of a year's balance transfer of a scheme, kept as issued: a
    correction is a new version (with its reason); earlier versions stay."""

    __tablename__ = "city_transfer"
    __table_args__ = (UniqueConstraint("year", "scheme", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    scheme: Mapped[str] = mapped_column(String(10))
    version: Mapped[int] = mapped_column(Integer)
    doc_no: Mapped[str] = mapped_column(String(80))
    doc_date: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    issued_by: Mapped[str] = mapped_column(String(40))
    issued_by_name: Mapped[str] = mapped_column(String(100))
    issued_at: Mapped[str] = mapped_column(String(32))
    profile_id: Mapped[str] = mapped_column(String(40))
    profile_version: Mapped[int] = mapped_column(Integer)
    inputs_json: Mapped[str] = mapped_column(Text)
    inputs_sha256: Mapped[str] = mapped_column(String(64))
    result_json: Mapped[str] = mapped_column(Text)
    pdf_fingerprint: Mapped[str] = mapped_column(String(19))
    sent_json: Mapped[str] = mapped_column(Text)  # county code → notice package id


class ReceivedTransfer(ReceivedNotice, Base):
    """A transfer notice (余额上划通知) a county received from the city."""

    __tablename__ = "transfer_notice"
