"""A known-answer vector for the audit chain: a fixed key and entry sequence give exactly these
hashes, computed once by hand (HMAC-SHA256 of the previous hash and the canonical JSON), not by
the service code. A change to the formula, the canonical form or the key's use breaks it."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from charter_service.audit import services
from charter_service.audit.models import AuditEntry
from charter_service.extensions import db

KEY = "known-answer audit key"
MOMENTS = [datetime(2026, 3, 2, 9, 15, tzinfo=UTC),
           datetime(2026, 3, 2, 9, 15, 0, 250000, tzinfo=UTC),
           datetime(2026, 4, 10, 16, 40, 5, 123456, tzinfo=UTC)]
ENTRIES = [
    ("signature.approve", "signature", 12, {"status": "pending"}, {"status": "approved"}, "",
     None),
    ("certificate.issue", "certificate", 3, {}, {"number": "CFA-2026-000003", "status": "valid"},
     "", None),
    ("signature.suspend", "signature", 12, {"status": "approved"}, {"status": "suspended"},
     "autre", {"message": "Signataire non habilité à engager la commune"}),
]
SYSTEM_DIGEST = "0531f1adfa8f15b846dde93e8ed1be53af40730d79b9e5ad7ff73460ff493d9d"
PERSONAL_DIGESTS = [None, None,
                    "11b161a7ad57092fe02e25ae0ccee86af8c5a4fe00732e1002f3b55cad4fdeae"]
HASHES = ["0b24baa399b116f351b23ddd2cba55301ebe9fd401f28141249083fc4b8a2a6d",
          "cfcae770cc7d350f54c728e802062173f6bce7e1938b2b84cb00a2fd9f1ac5aa",
          "ff556c7b856f0c6402a07d796446313935815599620984c7d7372c9855695b0b"]


@pytest.fixture
def app_config():
    return {"AUDIT_KEY": KEY}


def test_a_fixed_sequence_and_key_give_the_known_hashes(app, monkeypatch):
    moments = iter(MOMENTS)
    monkeypatch.setattr(services, "utcnow", lambda: next(moments))
    for action, object_type, object_id, before, after, reason, personal in ENTRIES:
        services.record(action, object_type, object_id, actor=None, before=before, after=after,
                        reason=reason, personal=personal)
    db.session.commit()
    db.session.expire_all()

    rows = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
    assert [row.seq for row in rows] == [1, 2, 3]
    assert [row.entry_hash for row in rows] == HASHES
    assert [row.prev_hash for row in rows] == ["0" * 64] + HASHES[:2]
    assert [row.actor_digest for row in rows] == [SYSTEM_DIGEST] * 3
    assert [row.personal_digest for row in rows] == PERSONAL_DIGESTS
    assert services.head() == (3, HASHES[-1])
    assert services.verify().ok
