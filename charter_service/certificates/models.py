from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..db_types import UTCDateTime, str_enum
from ..enums import LabelledEnum
from ..extensions import db
from ..signatures.revocation import RevocationLabel

if TYPE_CHECKING:
    from ..organisations.models import Organisation
    from ..signatures.models import Signature


class CertificateStatus(LabelledEnum):
    ISSUING = "issuing"
    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    __labels__ = {"issuing": _l("en cours de préparation"), "valid": _l("valide"),
                  "revoked": _l("révoquée"), "superseded": _l("remplacée")}


class CertificateCounter(db.Model):
    """The last serial handed out in a year; bumped in the issuing transaction, so a rollback
    gives the number back."""

    __tablename__ = "certificate_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_serial: Mapped[int]


class Certificate(db.Model):
    """A signed PDF attestation, stored once and never rewritten: only its status moves.

    Issuing is two transactions (issuing.py): the approval reserves the number and the row
    « en cours » (no PDF); a job renders and signs outside any transaction, then stores the PDF
    and makes the row valid. Revoked « en cours », it never gets a PDF."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("year", "serial"),
        # At most one valid attestation per signature, enforced by the database.
        Index("uq_certificates_one_valid", "signature_id", unique=True,
              sqlite_where=db.text("status = 'valid'"),
              postgresql_where=db.text("status = 'valid'")),
        Index("uq_certificates_one_issuing", "signature_id", unique=True,
              sqlite_where=db.text("status = 'issuing'"),
              postgresql_where=db.text("status = 'issuing'")),
        CheckConstraint("pdf IS NOT NULL OR status IN ('issuing', 'revoked')",
                        name="pdf_unless_issuing"),
        CheckConstraint("(pdf IS NULL) = (sha256 IS NULL)", name="pdf_hashed"),
        CheckConstraint("status != 'revoked' OR revoked_at IS NOT NULL", name="revoked_dated"),
        CheckConstraint("status != 'revoked' OR revocation_label IS NOT NULL",
                        name="revoked_labelled"),
        CheckConstraint("serial BETWEEN 1 AND 999999", name="serial_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    signature_id: Mapped[int] = mapped_column(ForeignKey("signatures.id"), index=True)
    year: Mapped[int]
    serial: Mapped[int]
    status: Mapped[CertificateStatus] = mapped_column(
        str_enum(CertificateStatus, "certificate_status"), default=CertificateStatus.VALID)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Public: a neutral wording from the list. Private: what the moderator (or the
    # organisation) wrote, e-mailed to the organisation and shown to its members and to
    # moderators only.
    revocation_label: Mapped[RevocationLabel | None] = mapped_column(
        str_enum(RevocationLabel, "revocation_label"))
    revocation_message: Mapped[str] = mapped_column(Text, default="")
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    # The plain data the PDF was rendered from (JSON), kept with it.
    rendered_from: Mapped[str] = mapped_column(Text)
    signed_with_dev_key: Mapped[bool]
    # While « en cours »: the run rendering it holds it until then (issuing.py), so that two
    # runs of `flask certificates finish`, or a job and a run, do not both render it.
    render_claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    signature: Mapped["Signature"] = relationship()
    superseded_by: Mapped["Certificate | None"] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Certificate {self.number}>"


class ReportDocumentStatus(LabelledEnum):
    ISSUING = "issuing"
    VALID = "valid"
    SUPERSEDED = "superseded"
    __labels__ = {"issuing": _l("en cours de préparation"), "valid": _l("valide"),
                  "superseded": _l("remplacé")}


class ReportDocumentCounter(db.Model):
    """The last serial of the « rapport annuel d’alliance » numbers (RAA-YYYY-NNNNNN) handed
    out in a year; bumped in the issuing transaction, so a rollback gives the number back."""

    __tablename__ = "report_document_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_serial: Mapped[int]


class ReportDocument(db.Model):
    """The signed one-page « rapport annuel d’alliance » of an organisation for a period,
    stored once and never rewritten: only its status moves (report_documents.py).

    Issued like an attestation, in two transactions: the submission reserves the number and
    the row « en cours » (no PDF); a job renders and signs it outside any transaction, then
    stores it and makes it valid, superseding the earlier valid one of the same period."""

    __tablename__ = "report_documents"
    __table_args__ = (
        UniqueConstraint("year", "serial"),
        # One valid report document per organisation and period, enforced by the database.
        Index("uq_report_documents_one_valid", "organisation_id", "period", unique=True,
              sqlite_where=db.text("status = 'valid'"),
              postgresql_where=db.text("status = 'valid'")),
        CheckConstraint("pdf IS NOT NULL OR status = 'issuing'", name="report_pdf_unless_issuing"),
        CheckConstraint("(pdf IS NULL) = (sha256 IS NULL)", name="report_pdf_hashed"),
        CheckConstraint("status != 'superseded' OR superseded_by_id IS NOT NULL",
                        name="report_superseded_by"),
        CheckConstraint("serial BETWEEN 1 AND 999999", name="report_serial_range"),
        CheckConstraint("period BETWEEN 2000 AND 2999", name="report_period_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    period: Mapped[int]
    year: Mapped[int]
    serial: Mapped[int]
    status: Mapped[ReportDocumentStatus] = mapped_column(
        str_enum(ReportDocumentStatus, "report_document_status"),
        default=ReportDocumentStatus.ISSUING)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("report_documents.id"))
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    # The plain data the PDF was rendered from (JSON), kept with it.
    rendered_from: Mapped[str] = mapped_column(Text)
    signed_with_dev_key: Mapped[bool]
    # While « en cours »: the run rendering it holds it until then (see issuing.py).
    render_claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped["Organisation"] = relationship()
    superseded_by: Mapped["ReportDocument | None"] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<ReportDocument {self.number}>"
