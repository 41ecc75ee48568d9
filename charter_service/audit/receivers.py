"""What the audit log records on other packages' signals."""

import json

from sqlalchemy import and_, or_, select

from ..accounts.models import Role, User
from ..extensions import db
from ..signals import account_erasing, personal_data_requested, role_changed
from . import services
from .models import AuditEntry


@role_changed.connect
def record_role(user: User, *, before: Role | None, actor: User | None) -> None:
    services.record("user.role", "user", user.id, actor=actor,
                    before={} if before is None else {"role": before.value},
                    after={"role": user.role.value})


def _about(user: User):
    """The entries of the user's own actions, and those whose object is their account."""
    return or_(AuditEntry.actor_id == user.id,
               and_(AuditEntry.object_type == "user", AuditEntry.object_id == str(user.id)))


@personal_data_requested.connect
def _entries(user: User) -> tuple[str, list[dict]]:
    rows = db.session.scalars(select(AuditEntry).where(_about(user)).order_by(AuditEntry.seq))
    return "audit_entries", [
        {"seq": row.seq, "created_at": row.created_at.isoformat(), "action": row.action,
         "object_type": row.object_type, "object_id": row.object_id,
         "before": json.loads(row.before), "after": json.loads(row.after),
         "reason": row.reason, "by_you": row.actor_id == user.id,
         "personal": json.loads(row.personal) if row.personal is not None else None}
        for row in rows]


@account_erasing.connect
def _erase_and_record(user: User, *, actor: User, **_) -> None:
    """The chain keeps every entry; only their erasable part goes. The erasure is one more."""
    erasable = db.session.scalars(select(AuditEntry.id).where(
        _about(user), AuditEntry.personal.is_not(None))).all()
    for entry_id in erasable:
        services.erase_personal_data(entry_id)
    services.record("user.erase", "user", user.id, actor=actor, before={},
                    after={"erased": True, "by": "self" if actor.id == user.id else "moderator"})
