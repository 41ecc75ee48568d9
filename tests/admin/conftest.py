import json

import pytest
from sqlalchemy import select

from charter_service.accounts.models import Role
from charter_service.audit.models import AuditEntry
from charter_service.extensions import db


@pytest.fixture
def admin(make):
    return make.user("admin@example.org", role=Role.ADMIN, full_name="Alix Admin")


@pytest.fixture
def as_admin(client, login, admin):
    return login(admin)


def audit_entries(action: str | None = None) -> list[dict]:
    """The audit log as plain dicts (before/after decoded), oldest first."""
    db.session.expire_all()
    query = select(AuditEntry).order_by(AuditEntry.seq)
    if action:
        query = query.where(AuditEntry.action == action)
    return [{"action": e.action, "object_type": e.object_type, "object_id": e.object_id,
             "actor_id": e.actor_id, "before": json.loads(e.before), "after": json.loads(e.after),
             "reason": e.reason} for e in db.session.scalars(query)]

