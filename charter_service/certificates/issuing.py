"""Rendering the attestations « en cours »: after the commit that reserved them, outside locks.

`render_pending` is the job `services.issue` asks for once its transaction commits: in a
short transaction it takes the row « en cours » for RENDER_LEASE (`render_claimed_until`; on
PostgreSQL FOR UPDATE SKIP LOCKED, like mailing/claims.py), so that no other job or run renders
it meanwhile; renders and signs with no transaction open (WeasyPrint, pyHanko and the TSA's
10 s timeout hold nothing); then in one short transaction checks that the row is still « en
cours » with the data it read, stores the PDF and makes it valid (`services.complete`), in the
name of whoever asked for it. A failed render gives the row back at once; a worker killed
mid-render leaves it taken until the lease ends: `flask certificates finish` (cron, on every
machine) renders what is left.
"""

import json
from datetime import timedelta

from flask import current_app
from sqlalchemy import Row, or_, select, update

from ..accounts.models import User
from ..audit.models import AuditEntry
from ..db_types import utcnow
from ..extensions import db
from . import services
from .models import Certificate, CertificateStatus

# Longer than a render, signature and time-stamp take (TSA timeout: 10 s): a run that died
# holding a row has it rendered by `finish` once the lease is over.
RENDER_LEASE = timedelta(minutes=5)


def render_pending(certificate_id: int, actor_id: int | None = None) -> bool:
    """Render, sign and store one attestation « en cours » in the name of `actor_id` (who asked
    for it); False if there was nothing to do (stored or taken by another run, revoked, or
    given new facts that another job renders)."""
    row = _take(certificate_id)
    if row is None:
        return False
    try:
        pdf, data, development = services.rendered(row.number, json.loads(row.rendered_from))
    except Exception:
        _give_back(certificate_id, row.render_claimed_until)
        raise
    if not _claim(certificate_id, row.rendered_from):
        db.session.rollback()
        return False
    actor = db.session.get(User, actor_id) if actor_id is not None else None
    services.complete(db.session.get(Certificate, certificate_id), pdf, data, development,
                      actor=actor)
    db.session.commit()
    return True


def _take(certificate_id: int) -> Row | None:
    """Hold the row « en cours » for RENDER_LEASE unless another run holds it (committed);
    its number, data and lease if taken."""
    table, now = Certificate.__table__, utcnow()
    where = (table.c.id == certificate_id, table.c.status == CertificateStatus.ISSUING,
             or_(table.c.render_claimed_until.is_(None), table.c.render_claimed_until < now))
    free = select(table.c.id).where(*where).with_for_update(skip_locked=True)
    row = db.session.execute(
        update(table).where(table.c.id.in_(free.scalar_subquery()), *where)
        .values(render_claimed_until=now + RENDER_LEASE)
        .returning(table.c.number, table.c.rendered_from, table.c.render_claimed_until)).first()
    db.session.commit()  # no transaction stays open while rendering
    return row


def _give_back(certificate_id: int, lease) -> None:
    """Free the row at once for the next run, unless someone took it meanwhile."""
    db.session.rollback()
    table = Certificate.__table__
    db.session.execute(update(table).where(table.c.id == certificate_id,
                                           table.c.render_claimed_until == lease)
                       .values(render_claimed_until=None))
    db.session.commit()


def _claim(certificate_id: int, rendered_from: str) -> bool:
    """Lock the row (PostgreSQL: the row; SQLite: the database) if it is still « en cours »
    with the data the PDF was rendered from."""
    table = Certificate.__table__
    return db.session.execute(update(table).where(
        table.c.id == certificate_id, table.c.status == CertificateStatus.ISSUING,
        table.c.rendered_from == rendered_from).values(status=table.c.status)).rowcount == 1


def requested_by(certificate_id: int) -> int | None:
    """Who asked for this attestation: the actor of its (latest) reservation."""
    return db.session.scalar(select(AuditEntry.actor_id).where(
        AuditEntry.object_type == "certificate", AuditEntry.object_id == str(certificate_id),
        AuditEntry.action == "certificate.reserve").order_by(AuditEntry.seq.desc()).limit(1))


def pending_ids(older_than: timedelta) -> list[int]:
    """Attestations « en cours » reserved more than `older_than` ago (their job had its
    chance), oldest first."""
    return list(db.session.scalars(select(Certificate.id).where(
        Certificate.status == CertificateStatus.ISSUING,
        Certificate.issued_at <= utcnow() - older_than).order_by(Certificate.id)))


def finish(older_than: timedelta = timedelta(minutes=2)) -> tuple[int, int]:
    """Render what the jobs left « en cours »; (stored, failed). Safe on every machine at once:
    each row is taken before it is rendered, so it is rendered and stored once."""
    stored = failed = 0
    for certificate_id in pending_ids(older_than):
        try:
            stored += render_pending(certificate_id, requested_by(certificate_id))
        except Exception:  # one attestation that cannot be rendered does not stop the others
            db.session.rollback()
            current_app.logger.exception("attestation %s still not rendered", certificate_id)
            failed += 1
    return stored, failed
