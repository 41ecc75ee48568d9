"""Moderation tests: a logged-in moderator, signatures placed in time, and what changed."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from charter_service.accounts.models import Role
from charter_service.audit.models import AuditEntry
from charter_service.db_types import utcnow
from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage
from charter_service.signatures.models import Signature


@pytest.fixture
def moderator(make):
    return make.user("moderatrice@fondation.example.org", role=Role.MODERATOR,
                     full_name="Mona Modératrice")


@pytest.fixture
def version(make):
    return make.version(number=1)


@pytest.fixture
def as_moderator(client, login, moderator):
    login(moderator)
    return client


@pytest.fixture
def place(make, version):
    """place(name, days_ago=0, **organisation) → a signature of a new organisation."""

    def _place(name=None, days_ago=0, status=None, **organisation):
        signature = make.signature(make.organisation(name=name, **organisation), version,
                                   **({"status": status} if status else {}))
        signature.signed_at = utcnow() - timedelta(days=days_ago)
        db.session.commit()
        return signature

    return _place


def last_seq() -> int:
    """The audit chain's last seq: entries after it are the test's, not its set-up's."""
    return db.session.scalar(select(func.coalesce(func.max(AuditEntry.seq), 0)))


def audit_count(after: int = 0) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.seq > after))


def signature_entries(after: int = 0) -> list[AuditEntry]:
    """The signature's own entries (a decision may add others, such as a certificate's)."""
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "signature", AuditEntry.seq > after)
        .order_by(AuditEntry.seq)))


def outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def status_of(signature_id: int):
    db.session.expire_all()
    return db.session.get(Signature, signature_id).status


def text(response) -> str:
    return response.get_data(as_text=True)


def lock_version_in(page: str, prefix: str) -> str:
    return re.search(rf'name="{prefix}-lock_version"[^>]*value="(\d+)"', page).group(1)

