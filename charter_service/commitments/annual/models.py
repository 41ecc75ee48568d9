"""An annual report and its sections; a section's indicator values."""

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ...accounts.models import User
from ...db_types import AMOUNT, UTCDateTime, str_enum, utcnow
from ...enums import LabelledEnum
from ...extensions import db
from ...organisations.models import Organisation
from ..models import Commitment, CommitmentStatus, Indicator, ProgressUpdate


class AnnualReportStatus(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    __labels__ = {"draft": _l("brouillon"), "submitted": _l("déposé")}


class ReportMode(LabelledEnum):
    FORM = "form"
    UPLOAD = "upload"
    __labels__ = {"form": _l("formulaire"), "upload": _l("document déposé")}


class AnnualReport(db.Model):
    __tablename__ = "annual_reports"
    __table_args__ = (
        UniqueConstraint("organisation_id", "period"),
        CheckConstraint("period BETWEEN 2000 AND 2999", name="period_range"),
        CheckConstraint("status = 'draft' OR submitted_at IS NOT NULL",
                        name="submitted_with_date"),
        CheckConstraint("mode = 'form' OR status = 'draft' OR document_sha256 IS NOT NULL",
                        name="upload_submitted_with_document"),
        CheckConstraint("(document_sha256 IS NULL) = (document_filename IS NULL)",
                        name="document_with_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    period: Mapped[int] = mapped_column()
    status: Mapped[AnnualReportStatus] = mapped_column(
        str_enum(AnnualReportStatus, "annual_report_status"), default=AnnualReportStatus.DRAFT)
    mode: Mapped[ReportMode] = mapped_column(
        str_enum(ReportMode, "annual_report_mode"), default=ReportMode.FORM)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    document_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    document_filename: Mapped[str | None] = mapped_column(String(200))
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    # The signed « rapport annuel d'alliance » issued at submission (certificates).
    document_number: Mapped[str | None] = mapped_column(String(40), unique=True)

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    sections: Mapped[list["ReportSection"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportSection.id")

    @property
    def is_draft(self) -> bool:
        return self.status == AnnualReportStatus.DRAFT


class ReportSection(db.Model):
    """What the report says about one commitment; `revision` moves at every save."""

    __tablename__ = "report_sections"
    __table_args__ = (
        UniqueConstraint("report_id", "commitment_id"),
        CheckConstraint("evidence_url = '' OR evidence_url LIKE 'https://%'",
                        name="evidence_url_https"),
        CheckConstraint("(evidence_sha256 IS NULL) = (evidence_filename IS NULL)",
                        name="evidence_file_with_name"),
        CheckConstraint("revision >= 0", name="revision_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("annual_reports.id", ondelete="CASCADE"))
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    status_change: Mapped[CommitmentStatus | None] = mapped_column(
        str_enum(CommitmentStatus, "report_section_status"))
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    evidence_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    evidence_filename: Mapped[str | None] = mapped_column(String(200))
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The progress update the section became at submission (partners confirm it).
    progress_update_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_updates.id", ondelete="SET NULL"), unique=True)

    report: Mapped[AnnualReport] = relationship(back_populates="sections")
    commitment: Mapped[Commitment] = relationship()
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    progress_update: Mapped[ProgressUpdate | None] = relationship()
    values: Mapped[list["SectionValue"]] = relationship(
        back_populates="section", cascade="all, delete-orphan", order_by="SectionValue.id")

    def value_of(self, indicator_id: int) -> Decimal | None:
        return next((v.value for v in self.values if v.indicator_id == indicator_id), None)


class SectionValue(db.Model):
    __tablename__ = "report_section_values"
    __table_args__ = (UniqueConstraint("section_id", "indicator_id"),
                      CheckConstraint("value >= 0", name="value_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("report_sections.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    value: Mapped[Decimal] = mapped_column(AMOUNT)

    section: Mapped[ReportSection] = relationship(back_populates="values")
    indicator: Mapped[Indicator] = relationship()
