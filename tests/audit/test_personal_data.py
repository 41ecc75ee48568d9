import hashlib
import json

from sqlalchemy import select

from charter_service.audit import services
from charter_service.audit.models import AuditEntry
from charter_service.extensions import db

from .conftest import row, sql


def test_personal_data_is_kept_outside_the_hashed_payload(log):
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.seq == 2))
    assert json.loads(entry.personal) == {"message": "Message n° 1 à Camille"}
    assert "Camille" not in entry.before + entry.after + entry.reason


def test_erasing_personal_data_keeps_the_chain_valid(log):
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.seq == 2))
    digest = entry.personal_digest
    services.erase_personal_data(entry.id)
    db.session.commit()
    assert entry.personal is None
    assert (row(2).personal, row(2).personal_digest) == (None, digest)
    guess = '{"message":"Message n° 1 à Camille"}'
    assert digest != hashlib.sha256(guess.encode()).hexdigest()  # a guess cannot be confirmed
    assert services.verify() == services.VerificationResult(ok=True, checked=5)


def test_personal_text_changed_in_sql_is_caught(log):
    sql("UPDATE audit_entries SET personal = :p WHERE seq = 4", p='{"message":"autre chose"}')
    result = services.verify()
    assert (result.ok, result.first_broken_seq) == (False, 4)
    assert "personnelles" in result.problem


def test_the_actor_is_a_pseudonym_distinct_per_user(make, moderator):
    other = make.user()
    for actor in (moderator, other, moderator, None):
        services.record("organisation.edit", "organisation", 1, actor=actor,
                        before={}, after={"name": "X"})
    db.session.commit()
    digests = [row(seq).actor_digest for seq in (1, 2, 3, 4)]
    assert digests[0] == digests[2]
    assert len({digests[0], digests[1], digests[3]}) == 3
    assert digests[3] == services.actor_digest(None)
    plain = hashlib.sha256(f"user:{moderator.id}".encode()).hexdigest()
    assert digests[0] != plain and str(moderator.id) not in (digests[0], digests[1])
    assert row(1).actor_id == moderator.id and row(4).actor_id is None


def test_deleting_a_user_unlinks_their_entries_and_the_chain_still_verifies(make, moderator):
    services.record("signature.approve", "signature", 3, actor=moderator,
                    before={"status": "pending"}, after={"status": "approved"})
    db.session.commit()
    db.session.delete(moderator)
    db.session.commit()
    assert row(1).actor_id is None
    assert services.verify().ok
