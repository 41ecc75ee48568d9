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
    AWAITING_REPRESENTATIVE = "awaiting_representative"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CHANGES_REQUESTED = "changes_requested"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    DECLINED = "declined"
    __labels__ = {
        "awaiting_representative": _l("en attente du représentant"),
        "pending": _l("en attente de validation"),
        "approved": _l("approuvée"),
        "rejected": _l("refusée"),
        "changes_requested": _l("modifications demandées"),
        "suspended": _l("suspendue"),
        "withdrawn": _l("retirée"),
        "declined": _l("déclinée par le représentant"),
    }


class Identification(LabelledEnum):
    """How the person named on the attestation was known to be its signatory."""

    ACCOUNT_HOLDER = "account_holder"
    EMAIL = "email"
    PAPER = "paper"
    __labels__ = {
        "account_holder": _l("titulaire du compte"),
        "email": _l("confirmé par e-mail"),
        "paper": _l("enregistré d’après un document papier"),
    }


class PaperChannel(LabelledEnum):
    """How a signature recorded by a moderator reached the Fondation (signatures/paper.py)."""

    LETTER = "letter"
    DELIBERATION = "deliberation"
    EVENT = "event"
    __labels__ = {
        "letter": _l("courrier signé"),
        "deliberation": _l("délibération du conseil"),
        "event": _l("événement de signature"),
    }
    # How the attestation and the audit trail say it, after the date and the signatory.
    __received__ = {
        "letter": _l("signature reçue par courrier signé"),
        "deliberation": _l("signature reçue par délibération du conseil"),
        "event": _l("signature reçue lors d’un événement de signature"),
    }

    @property
    def received(self) -> str:
        return self.__received__[self.value]


LIVE_STATUSES = (
    SignatureStatus.AWAITING_REPRESENTATIVE,
    SignatureStatus.PENDING,
    SignatureStatus.APPROVED,
    SignatureStatus.SUSPENDED,
    SignatureStatus.CHANGES_REQUESTED,
)
_LIVE_SQL = ("status IN ('awaiting_representative', 'pending', 'approved', 'suspended', "
             "'changes_requested')")
# Before the representative confirms, nothing is attested or accepted yet.
_UNCONFIRMED_SQL = "status IN ('awaiting_representative', 'declined')"


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
        CheckConstraint(f"authority_attested OR {_UNCONFIRMED_SQL}", name="authority_attested"),
        CheckConstraint(f"principles_accepted OR {_UNCONFIRMED_SQL}",
                        name="principles_accepted"),
        CheckConstraint(
            "status IN ('pending', 'awaiting_representative') OR decided_at IS NOT NULL",
            name="decided_unless_pending"
        ),
        # The representative's link works while it waits for them, and only then.
        CheckConstraint("(status = 'awaiting_representative') = (link_nonce IS NOT NULL)",
                        name="link_while_awaiting"),
        Index("ix_signatures_status_signed_at", "status", "signed_at"),
        CheckConstraint("(identification = 'paper') = (paper_channel IS NOT NULL)",
                        name="channel_if_paper"),
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
    identification: Mapped[Identification] = mapped_column(
        str_enum(Identification, "signatory_identification"),
        default=Identification.ACCOUNT_HOLDER, server_default=Identification.ACCOUNT_HOLDER.value)
    paper_channel: Mapped[PaperChannel | None] = mapped_column(
        str_enum(PaperChannel, "paper_channel"))
    # The representative's link names this nonce; a new link (or its use) replaces it.
    link_nonce: Mapped[str | None] = mapped_column(String(32))
    link_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A hand-over to a successor waiting for them to confirm (handover.py); all NULL else.
    successor_name: Mapped[str | None] = mapped_column(String(120))
    successor_function: Mapped[str | None] = mapped_column(String(120))
    successor_email: Mapped[str | None] = mapped_column(String(254))
    successor_nonce: Mapped[str | None] = mapped_column(String(32))
    successor_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Since when the signatory, named by a hand-over, represents the organisation.
    representative_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
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
