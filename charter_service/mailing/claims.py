"""Claims on outbox rows, so that each message is sent by one run at a time, whichever machine
it runs on: a run takes a lease on the rows it is about to send in a short transaction of its
own (`claimed_until`, `claim_token`), and the others pass them by until the lease ends.

On PostgreSQL the candidate rows are locked with FOR UPDATE SKIP LOCKED, so two runs at the
same moment take different rows and neither waits. SQLite has one writer at a time and ignores
FOR UPDATE: the UPDATE's own condition (free, or its lease over) decides there. The token tells
a run which rows it won. Leases are compared with each machine's clock: keep them in time (NTP).
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import uuid4

from sqlalchemy import ColumnElement, or_, select, update

from ..db_types import utcnow
from ..extensions import db
from .models import OutboxMessage


def _free(now: datetime) -> ColumnElement[bool]:
    return or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)


def claim(where: Sequence[ColumnElement[bool]], limit: int,
          lease: timedelta) -> tuple[str, list[int]]:
    """Lease up to `limit` rows matching `where` that no run holds; returns the token and the
    ids won, oldest first, committed. One UPDATE whose subquery picks the rows: on SQLite it
    runs once the write lock is held, so it sees every claim committed before it."""
    token, now = uuid4().hex, utcnow()
    candidates = (select(OutboxMessage.id).where(*where, _free(now)).order_by(OutboxMessage.id)
                  .limit(limit).with_for_update(skip_locked=True))
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(candidates.scalar_subquery()))
        .values(claimed_until=now + lease, claim_token=token)
        .execution_options(synchronize_session=False))
    won = list(db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.claim_token == token)
        .order_by(OutboxMessage.id)))
    db.session.commit()
    return token, won


def release(token: str, ids: Sequence[int]) -> None:
    """Give back rows this run will not send after all (committed)."""
    if ids:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.claim_token == token)
            .values(claimed_until=None, claim_token=None)
            .execution_options(synchronize_session=False))
    db.session.commit()
