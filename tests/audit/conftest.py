import hashlib
import hmac
import json
from datetime import UTC

import pytest
from sqlalchemy import select, text

from charter_service.audit import services
from charter_service.audit.models import AuditEntry
from charter_service.extensions import db

STATUSES = ["pending", "approved", "suspended", "approved", "withdrawn", "pending"]


@pytest.fixture
def moderator(make):
    return make.user(full_name="Dominique Modératrice")


@pytest.fixture
def log(moderator):
    """Five committed entries (seq 1 to 5) recording a signature's moves."""
    for n in range(5):
        services.record("signature.decide", "signature", 40 + n, actor=moderator,
                        before={"status": STATUSES[n]}, after={"status": STATUSES[n + 1]},
                        reason="conforme", personal={"message": f"Message n° {n} à Camille"})
    db.session.commit()


def sql(statement: str, **params) -> None:
    """Tamper with the table the way a database user would, outside the application."""
    db.session.execute(text(statement), params)
    db.session.commit()


def row(seq: int):
    return db.session.execute(
        select(*AuditEntry.__table__.c).where(AuditEntry.seq == seq)
    ).one()


def documented_hash(entry, key: bytes) -> str:
    """The chain formula as written in the design, independent of the service code."""
    payload = {
        "seq": entry.seq,
        "created_at": entry.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "before": json.loads(entry.before),
        "after": json.loads(entry.after),
        "reason": entry.reason,
        "actor_digest": entry.actor_digest,
        "personal_digest": entry.personal_digest,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key, (entry.prev_hash + canonical).encode(), hashlib.sha256).hexdigest()

