from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..accounts.models import User
from ..db_types import UTCDateTime, utcnow
from ..extensions import db

GENESIS_HASH = "0" * 64
# What the moderation journal calls each recorded action; the others show as recorded.
ACTION_LABELS = {
    "signature.submit": _l("Signature déposée"),
    "signature.prepare": _l("Signature préparée pour le représentant"),
    "signature.representative_resent": _l("Lien renvoyé au représentant"),
    "signature.representative_changed": _l("Représentant changé"),
    "signature.confirm": _l("Signature confirmée par le représentant"),
    "signature.decline": _l("Signature déclinée par le représentant"),
    "signature.handover_request": _l("Passation demandée (successeur désigné)"),
    "signature.handover_resent": _l("Lien de passation renvoyé au successeur"),
    "signature.handover_changed": _l("Successeur changé"),
    "signature.handover_cancel": _l("Passation annulée"),
    "signature.handover_decline": _l("Passation déclinée par le successeur"),
    "signature.handover": _l("Passation confirmée : nouveau représentant légal"),
    "signature.approve": _l("Signature approuvée"),
    "signature.reject": _l("Signature refusée"),
    "signature.request_changes": _l("Modifications demandées"),
    "signature.resubmit": _l("Signature soumise à nouveau"),
    "signature.suspend": _l("Signature suspendue"),
    "signature.reinstate": _l("Signature rétablie"),
    "signature.withdraw": _l("Signature retirée"),
    "organisation.merge": _l("Organisations fusionnées"),
    "demo.load": _l("Données de démonstration chargées"),
    "user.erase": _l("Compte supprimé à la demande (données personnelles effacées)"),
    "user.export": _l("Données personnelles transmises à la demande"),
}


class AuditLogImmutable(RuntimeError):
    """Raised when the application tries to change or remove a recorded audit entry."""


class AuditEntry(db.Model):
    """One state change. Columns outside the hashed payload: id, actor_id, personal."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        CheckConstraint("seq >= 1", name="seq_positive"),
        Index("ix_audit_entries_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_digest: Mapped[str] = mapped_column(String(64), index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Erasable: set to NULL on a GDPR request while personal_digest keeps the chain valid.
    personal: Mapped[str | None] = mapped_column(Text)
    personal_digest: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEntry {self.seq} {self.action}>"

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(_mapper, _connection, entry: AuditEntry) -> None:
    raise AuditLogImmutable(f"audit entry {entry.seq} cannot be changed")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(_mapper, _connection, entry: AuditEntry) -> None:
    raise AuditLogImmutable(f"audit entry {entry.seq} cannot be deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state) -> None:
    """ORM bulk update()/delete() bypass the mapper events above."""
    if (state.is_update or state.is_delete) and any(
        mapper.class_ is AuditEntry for mapper in state.all_mappers
    ):
        raise AuditLogImmutable("audit entries cannot be changed or deleted")
