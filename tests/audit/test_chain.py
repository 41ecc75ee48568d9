import hashlib
import hmac
from types import SimpleNamespace

import pytest
from sqlalchemy import func, insert, select

from charter_service.audit import services
from charter_service.audit.models import GENESIS_HASH, AuditEntry
from charter_service.db_types import utcnow
from charter_service.extensions import db

from .conftest import documented_hash, row, sql

DERIVED_KEY = hmac.new(b"test-secret-key-not-for-production",
                       b"charter-service audit chain v1", hashlib.sha256).digest()


def test_recorded_entries_form_a_chain_that_verifies(log):
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == GENESIS_HASH
    assert all(e.prev_hash == p.entry_hash for p, e in zip(entries, entries[1:], strict=False))
    assert services.verify() == services.VerificationResult(ok=True, checked=5)
    assert services.head() == (5, entries[-1].entry_hash)


def test_entry_hash_follows_the_documented_formula_with_the_key_derived_from_secret_key(log):
    for seq in range(1, 6):
        entry = row(seq)
        assert entry.entry_hash == documented_hash(entry, DERIVED_KEY)
        personal = ("personal:" + entry.personal).encode()
        assert entry.personal_digest == hmac.new(DERIVED_KEY, personal, hashlib.sha256).hexdigest()


def test_an_entry_is_only_flushed_and_disappears_with_the_callers_rollback(moderator):
    entry = services.record("signature.approve", "signature", 7, actor=moderator,
                            before={"status": "pending"}, after={"status": "approved"})
    assert entry.id is not None and entry.seq == 1
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    assert services.head() is None


def test_an_empty_log_verifies(app):
    assert services.verify() == services.VerificationResult(ok=True, checked=0)


@pytest.mark.parametrize(("column", "value"), [
    ("after", '{"status":"rejected"}'),
    ("before", '{"status":"approved"}'),
    ("action", "signature.reject"),
    ("object_id", "99"),
    ("reason", "doublon"),
    ("actor_digest", "0" * 64),
    ("personal_digest", "1" * 64),
    ("after", "not json"),
])
def test_a_field_changed_in_sql_is_caught_at_that_entry(log, column, value):
    sql(f'UPDATE audit_entries SET "{column}" = :value WHERE seq = 3', value=value)  # noqa: S608
    result = services.verify()
    assert (result.ok, result.first_broken_seq, result.checked) == (False, 3, 2)


def test_a_changed_timestamp_is_caught(log):
    sql("UPDATE audit_entries SET created_at = :moment WHERE seq = 2", moment="2020-01-01 00:00:00")
    assert services.verify().first_broken_seq == 2


def test_a_deleted_middle_entry_is_caught(log):
    sql("DELETE FROM audit_entries WHERE seq = 3")
    result = services.verify()
    assert (result.ok, result.first_broken_seq) == (False, 3)
    assert "absente" in result.problem


def test_a_deleted_entry_hidden_by_renumbering_is_caught(log):
    sql("DELETE FROM audit_entries WHERE seq = 3")
    for seq in (4, 5):
        sql("UPDATE audit_entries SET seq = :new WHERE seq = :old", new=seq - 1, old=seq)
    result = services.verify()
    assert (result.ok, result.first_broken_seq) == (False, 3)


def test_deleting_the_last_entries_is_invisible_to_the_chain_alone_but_not_to_a_published_head(
        log):
    """A truncated chain is still a valid chain: compare the count, or verify against a head
    published earlier (`flask audit head`), which names the first missing entry."""
    published = services.head()
    sql("DELETE FROM audit_entries WHERE seq >= 4")
    assert services.verify() == services.VerificationResult(ok=True, checked=3)
    result = services.verify(anchor=published)
    assert (result.ok, result.first_broken_seq, result.checked) == (False, 4, 3)
    assert "tronqué" in result.problem


def test_a_rewritten_log_does_not_match_a_published_head(log):
    published = (3, row(3).entry_hash)
    sql("UPDATE audit_entries SET entry_hash = :h WHERE seq = 3", h="f" * 64)
    assert services.verify(anchor=published).first_broken_seq == 3
    assert services.verify(anchor=(3, "e" * 64)).ok is False


def test_two_entries_with_swapped_payloads_are_caught(log):
    second, fourth = row(2), row(4)
    for target, source in ((2, fourth), (4, second)):
        sql('UPDATE audit_entries SET action = :action, object_id = :object_id, '
            '"before" = :before, "after" = :after WHERE seq = :seq',
            action=source.action, object_id=source.object_id, before=source.before,
            after=source.after, seq=target)
    result = services.verify()
    assert (result.ok, result.first_broken_seq) == (False, 2)


def test_reordered_entries_are_caught(log):
    for old, new in ((2, 100), (4, 2), (100, 4)):
        sql("UPDATE audit_entries SET seq = :new WHERE seq = :old", new=new, old=old)
    result = services.verify()
    assert (result.ok, result.first_broken_seq) == (False, 2)


def test_a_modified_entry_rehashed_without_the_key_is_caught(log):
    sql('UPDATE audit_entries SET "after" = :after WHERE seq = 3', after='{"status":"approved"}')
    forged = documented_hash(row(3), b"a guessed key")
    sql("UPDATE audit_entries SET entry_hash = :h WHERE seq = 3", h=forged)
    result = services.verify()
    assert (result.ok, result.first_broken_seq) == (False, 3)
    assert "empreinte invalide" in result.problem


def test_a_modified_entry_rehashed_with_the_key_would_pass_which_is_why_the_key_is_secret(log):
    sql('UPDATE audit_entries SET "after" = :after WHERE seq = 5', after='{"status":"approved"}')
    sql("UPDATE audit_entries SET entry_hash = :h WHERE seq = 5",
        h=documented_hash(row(5), DERIVED_KEY))
    assert services.verify().ok


def test_an_entry_appended_without_the_key_is_caught(log):
    last = row(5)
    forged = {"seq": 6, "created_at": utcnow(), "action": "signature.approve",
              "object_type": "signature", "object_id": "40", "before": "{}",
              "after": '{"status":"approved"}', "reason": "", "actor_digest": last.actor_digest,
              "personal": None, "personal_digest": None, "prev_hash": last.entry_hash}
    forged["entry_hash"] = documented_hash(SimpleNamespace(**forged), b"a guessed key")
    db.session.execute(insert(AuditEntry.__table__).values(**forged))
    db.session.commit()
    result = services.verify()
    assert (result.ok, result.checked, result.first_broken_seq) == (False, 5, 6)


def test_a_different_audit_key_does_not_verify_the_chain(app, log):
    app.config["AUDIT_KEY"] = "another-key"
    assert services.verify().first_broken_seq == 1


def test_a_configured_audit_key_is_used(app, moderator):
    app.config["AUDIT_KEY"] = "the audit key"
    services.record("user.role", "user", moderator.id, actor=None,
                    before={"role": "user"}, after={"role": "moderator"})
    db.session.commit()
    assert row(1).entry_hash == documented_hash(row(1), b"the audit key")
    assert services.verify().ok
