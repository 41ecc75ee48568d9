import pytest
from sqlalchemy import delete, select, update

from charter_service.audit import services
from charter_service.audit.models import AuditEntry, AuditLogImmutable
from charter_service.extensions import db

from .conftest import row


def _entry(seq: int) -> AuditEntry:
    return db.session.scalar(select(AuditEntry).where(AuditEntry.seq == seq))


def _assert_log_untouched() -> None:
    db.session.rollback()
    assert row(2).after == '{"status":"suspended"}'
    assert services.verify() == services.VerificationResult(ok=True, checked=5)


def test_an_entry_cannot_be_changed_through_the_orm(log):
    _entry(2).after = '{"status":"rejected"}'
    with pytest.raises(AuditLogImmutable):
        db.session.commit()
    _assert_log_untouched()


def test_an_entry_cannot_be_deleted_through_the_orm(log):
    db.session.delete(_entry(2))
    with pytest.raises(AuditLogImmutable):
        db.session.commit()
    _assert_log_untouched()


@pytest.mark.parametrize("statement", [
    update(AuditEntry).where(AuditEntry.seq == 2).values(after='{"status":"rejected"}'),
    delete(AuditEntry).where(AuditEntry.seq == 2),
    delete(AuditEntry),
], ids=["bulk-update", "bulk-delete-one", "bulk-delete-all"])
def test_entries_cannot_be_changed_by_an_orm_bulk_statement(log, statement):
    with pytest.raises(AuditLogImmutable):
        db.session.execute(statement)
    _assert_log_untouched()
