"""ORM models. Money columns are integer fen (BigInteger); periods are YYYYMM integers.

Every change to these models comes with an Alembic migration under `migrations/versions`.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Office(Base):
    """The one office this database belongs to (a single row, id 1)."""

    __tablename__ = "office"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    level: Mapped[str] = mapped_column(String(16))  # county | township | city
    code: Mapped[str] = mapped_column(String(9))
    name: Mapped[str] = mapped_column(String(100))
    profile_id: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[str] = mapped_column(String(32))


class User(Base):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(16))  # preparer | reviewer | head
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[str | None] = mapped_column(String(32), nullable=True)
    locked_by_head: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[str] = mapped_column(String(32))


class AuditEntry(Base):
    """One write: who, when, what, before/after, why; chained by SHA-256 to the previous."""

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(60))
    entity_key: Mapped[str] = mapped_column(String(120))
    before_json: Mapped[str] = mapped_column(Text)
    after_json: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Setting(Base):
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)


class CalendarYearRow(Base):
    """Working-day calendar data an office or the city supplied for one year."""

    __tablename__ = "calendar_year"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    data_json: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[str] = mapped_column(String(32))


class MonthlyReport(Base):
    """A scheme's monthly report (月报) and where it is in its workflow."""

    __tablename__ = "monthly_report"
    __table_args__ = (UniqueConstraint("scheme", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scheme: Mapped[str] = mapped_column(String(10))
    period: Mapped[int] = mapped_column(Integer)  # YYYYMM
    status: Mapped[str] = mapped_column(String(16))  # draft | prepared | reviewed | approved
    prepared_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    submitted_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    returned_reason: Mapped[str] = mapped_column(Text, default="")


class ReportValue(Base):
    """One figure of a monthly report: a line for the county itself ('') or a township."""

    __tablename__ = "report_value"
    __table_args__ = (
        UniqueConstraint("report_id", "line", "unit"),
        Index("ix_report_value_line", "line", "unit"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("monthly_report.id", ondelete="CASCADE"))
    line: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(9), default="")
    value: Mapped[int] = mapped_column(BigInteger)  # fen, or persons


class Township(Base):
    """A township (乡镇/街道) of the county, by its 9-digit code."""

    __tablename__ = "township"
    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ReportChange(Base):
    """Every change of a figure: before, after, who, when, from where, under which amendment."""

    __tablename__ = "report_change"
    __table_args__ = (Index("ix_report_change_cell", "report_id", "line", "unit"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("monthly_report.id", ondelete="CASCADE"))
    line: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(9))
    old_value: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    new_value: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(200))
    amendment_id: Mapped[int | None] = mapped_column(
        ForeignKey("report_amendment.id"), nullable=True
    )


class ReportAmendment(Base):
    """A change to an approved month, with its reason; the original stays in the history."""

    __tablename__ = "report_amendment"
    __table_args__ = (UniqueConstraint("report_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("monthly_report.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    opened_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[str] = mapped_column(String(32))
    approved_at: Mapped[str | None] = mapped_column(String(32), nullable=True)


class ReportExplanation(Base):
    """The written explanation a preparer gives for a soft problem (keyed by Problem.key)."""

    __tablename__ = "report_explanation"
    __table_args__ = (UniqueConstraint("report_id", "problem_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("monthly_report.id", ondelete="CASCADE"))
    problem_key: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(40))
    at: Mapped[str] = mapped_column(String(32))


class Quota(Base):
    """The year's expenditure quota (支出总量定额) for a scheme, or one of its lines."""

    __tablename__ = "quota"
    __table_args__ = (UniqueConstraint("scheme", "year", "line"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scheme: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    line: Mapped[str] = mapped_column(String(40), default="")  # '' = whole scheme
    amount: Mapped[int] = mapped_column(BigInteger)
    doc_no: Mapped[str] = mapped_column(String(80))
    doc_date: Mapped[str] = mapped_column(String(10))
    recorded_by: Mapped[str] = mapped_column(String(40), default="")
    recorded_at: Mapped[str] = mapped_column(String(32), default="")


class QuotaAdjustment(Base):
    """A formal budget adjustment (预算调整) of a quota: a separate, dated record, never an edit."""

    __tablename__ = "quota_adjustment"
    __table_args__ = (Index("ix_quota_adjustment_year", "scheme", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scheme: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    line: Mapped[str] = mapped_column(String(40), default="")
    amount: Mapped[int] = mapped_column(BigInteger)  # signed fen
    doc_no: Mapped[str] = mapped_column(String(80))
    doc_date: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[str] = mapped_column(String(32))


class FundPlan(Base):
    """A monthly fund-use plan (用款计划) for the month `period`, one row per version."""

    __tablename__ = "fund_plan"
    __table_args__ = (UniqueConstraint("scheme", "period", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scheme: Mapped[str] = mapped_column(String(10))
    period: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # draft | reviewed | signed | submitted | approved | returned | disbursed
    status: Mapped[str] = mapped_column(String(16))
    prepared_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    submitted_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    approved_amount: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    disbursed_amount: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    disbursed_on: Mapped[str | None] = mapped_column(String(10), nullable=True)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    decided_on: Mapped[str | None] = mapped_column(String(10), nullable=True)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[str] = mapped_column(String(32), default="")


class FundPlanLine(Base):
    __tablename__ = "fund_plan_line"
    __table_args__ = (UniqueConstraint("plan_id", "line"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("fund_plan.id", ondelete="CASCADE"))
    line: Mapped[str] = mapped_column(String(40))
    requested: Mapped[int] = mapped_column(BigInteger)
    approved: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    justification: Mapped[str] = mapped_column(Text, default="")
    suggested: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    suggestion_method: Mapped[str] = mapped_column(Text, default="")
    decision_reason: Mapped[str] = mapped_column(Text, default="")


class CountyReport(Base):
    """A monthly report as a county sent it to the city (each revision kept)."""

    __tablename__ = "county_report"
    __table_args__ = (
        UniqueConstraint("office", "scheme", "period", "revision"),
        Index("ix_county_report_period", "period", "scheme"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office: Mapped[str] = mapped_column(String(9))
    scheme: Mapped[str] = mapped_column(String(10))
    period: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer)  # 0 = original, n = amendment n
    reason: Mapped[str] = mapped_column(Text, default="")
    package_id: Mapped[str] = mapped_column(String(32))
    sent_at: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[str] = mapped_column(String(32))


class CountyReportValue(Base):
    __tablename__ = "county_report_value"
    __table_args__ = (UniqueConstraint("report_id", "line", "unit"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("county_report.id", ondelete="CASCADE"))
    line: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(9), default="")
    value: Mapped[int] = mapped_column(BigInteger)


class CountyPlan(Base):
    """A county's fund-use plan as the city received it, and the city's decision on it."""

    __tablename__ = "county_plan"
    __table_args__ = (
        UniqueConstraint("office", "scheme", "period", "version"),
        Index("ix_county_plan_period", "period", "scheme"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office: Mapped[str] = mapped_column(String(9))
    scheme: Mapped[str] = mapped_column(String(10))
    period: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # submitted | approved | returned | disbursed
    package_id: Mapped[str] = mapped_column(String(32))
    pdf_file: Mapped[str] = mapped_column(String(200), default="")
    submitted_at: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[str] = mapped_column(String(32))
    decided_on: Mapped[str | None] = mapped_column(String(10), nullable=True)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    disbursed_amount: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    disbursed_on: Mapped[str | None] = mapped_column(String(10), nullable=True)


class CountyPlanLine(Base):
    __tablename__ = "county_plan_line"
    __table_args__ = (UniqueConstraint("plan_id", "line"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("county_plan.id", ondelete="CASCADE"))
    line: Mapped[str] = mapped_column(String(40))
    requested: Mapped[int] = mapped_column(BigInteger)
    justification: Mapped[str] = mapped_column(Text, default="")
    approved: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    decision_reason: Mapped[str] = mapped_column(Text, default="")


class CityAllocation(Base):
    """A scheme's year budget split into county quotas (or a budget adjustment), as published:
    the method, the document and the arithmetic shown to the user (`working_json`)."""

    __tablename__ = "city_allocation"
    __table_args__ = (Index("ix_city_allocation_year", "scheme", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scheme: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # quota | adjustment
    method: Mapped[str] = mapped_column(String(16))  # typed | workbook | weighted
    total: Mapped[int] = mapped_column(BigInteger)  # signed fen for an adjustment
    doc_no: Mapped[str] = mapped_column(String(80))
    doc_date: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    working_json: Mapped[str] = mapped_column(Text, default="{}")
    published_by: Mapped[str] = mapped_column(String(40))
    published_at: Mapped[str] = mapped_column(String(32))


class CityAllocationLine(Base):
    """One county's share of an allocation and the package that carried it ('' until sent)."""

    __tablename__ = "city_allocation_line"
    __table_args__ = (UniqueConstraint("allocation_id", "county"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("city_allocation.id", ondelete="CASCADE"))
    county: Mapped[str] = mapped_column(String(9))
    amount: Mapped[int] = mapped_column(BigInteger)
    package_id: Mapped[str] = mapped_column(String(32), default="")


class CityApplication(Base):
    """The city's monthly application to finance (全市基金当月使用计划) for one scheme and
    plan month: draft → applied (signed, sent to finance) → funded (finance paid the city)."""

    __tablename__ = "city_application"
    __table_args__ = (UniqueConstraint("scheme", "period", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scheme: Mapped[str] = mapped_column(String(10))
    period: Mapped[int] = mapped_column(Integer)  # the month the money is for
    number: Mapped[int] = mapped_column(Integer)  # 1, then supplementary applications
    status: Mapped[str] = mapped_column(String(16))  # draft | applied | funded
    total: Mapped[int] = mapped_column(BigInteger)
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[str] = mapped_column(String(32))
    applied_on: Mapped[str | None] = mapped_column(String(10), nullable=True)
    applied_by: Mapped[str] = mapped_column(String(40), default="")
    pdf_fingerprint: Mapped[str] = mapped_column(String(19), default="")
    funded_amount: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    funded_on: Mapped[str | None] = mapped_column(String(10), nullable=True)
    funded_doc: Mapped[str] = mapped_column(String(80), default="")
    funded_by: Mapped[str] = mapped_column(String(40), default="")


class CityApplicationItem(Base):
    """An approved county plan in an application, with the amount approved at the time."""

    __tablename__ = "city_application_item"
    __table_args__ = (UniqueConstraint("application_id", "plan_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("city_application.id", ondelete="CASCADE")
    )
    plan_id: Mapped[int] = mapped_column(ForeignKey("county_plan.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)


# The exchange and settlement tables live in their own modules on the same Base; importing
# them here registers them wherever the models are (Alembic's autogenerate, the schema tests).
from mibdesk.core.db import exchange_models as _exchange_models  # noqa: E402, F401
from mibdesk.core.db import settlement_models as _settlement_models  # noqa: E402, F401
