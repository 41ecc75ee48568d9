from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, exists, select
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..accounts.models import User
from ..charters.models import CharterVersion
from ..db_types import UTCDateTime, str_enum, utcnow
from ..enums import LabelledEnum
from ..extensions import db
from ..organisations.models import Organisation


class SignatureStatus(LabelledEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CHANGES_REQUESTED = "changes_requested"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    __labels__ = {
        "pending": _l("en attente de validation"),
        "approved": _l("approuvée"),
        "rejected": _l("refusée"),
        "changes_requested": _l("modifications demandées"),
        "suspended": _l("suspendue"),
        "withdrawn": _l("retirée"),
    }


LIVE_STATUSES = (
    SignatureStatus.PENDING,
    SignatureStatus.APPROVED,
    SignatureStatus.SUSPENDED,
    SignatureStatus.CHANGES_REQUESTED,
)
_LIVE_SQL = "status IN ('pending', 'approved', 'suspended', 'changes_requested')"


class Signature(db.Model):
    __tablename__ = "signatures"
    __table_args__ = (
        Index(
            "uq_signatures_one_live",
            "organisation_id",
            "charter_version_id",
            unique=True,
            sqlite_where=db.text(_LIVE_SQL),
            postgresql_where=db.text(_LIVE_SQL),
        ),
        CheckConstraint("authority_attested", name="authority_attested"),
        CheckConstraint("principles_accepted", name="principles_accepted"),
        CheckConstraint(
            "status = 'pending' OR decided_at IS NOT NULL", name="decided_unless_pending"
        ),
        Index("ix_signatures_status_signed_at", "status", "signed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    charter_version_id: Mapped[int] = mapped_column(ForeignKey("charter_versions.id"))
    status: Mapped[SignatureStatus] = mapped_column(
        str_enum(SignatureStatus, "signature_status"), default=SignatureStatus.PENDING
    )
    signatory_name: Mapped[str] = mapped_column(String(120))
    signatory_function: Mapped[str] = mapped_column(String(120))
    signatory_email: Mapped[str] = mapped_column(String(254))
    authority_attested: Mapped[bool]
    principles_accepted: Mapped[bool]
    version_sha256: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    deliberation_filename: Mapped[str | None] = mapped_column(String(200))
    deliberation_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    # Optimistic lock: a decision names the version it saw.
    lock_version: Mapped[int] = mapped_column(default=1)

    organisation: Mapped[Organisation] = relationship()
    charter_version: Mapped[CharterVersion] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


def gives_public_page():
    """The one rule for what gives an organisation its public page, and so a public logo and
    links to it: an approved signature."""
    return Signature.status == SignatureStatus.APPROVED


def has_public_page(organisation_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(
        Signature.organisation_id == organisation_id, gives_public_page()))))
