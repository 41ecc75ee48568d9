"""Rendering the attestations « en cours »: after the commit that reserved them, outside locks.

`render_pending` is the job `services.issue` asks for once its transaction commits: it reads
the row, renders and signs with no transaction open (WeasyPrint, pyHanko and the TSA's 10 s
timeout hold nothing), then in one short transaction claims the row if it is still « en cours »
with the data it read, stores the PDF and makes it valid (`services.complete`). A job that
failed, or a worker killed mid-render, leaves the row « en cours »: `flask certificates finish`
(cron, on every machine) renders what is left.
"""

import json
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from ..db_types import utcnow
from ..extensions import db
from . import services
from .models import Certificate, CertificateStatus


def render_pending(certificate_id: int) -> bool:
    """Render, sign and store one attestation « en cours »; False if there was nothing to do
    (stored by another job, revoked, or given new facts that another job renders)."""
    row = db.session.execute(select(Certificate.number, Certificate.rendered_from).where(
        Certificate.id == certificate_id,
        Certificate.status == CertificateStatus.ISSUING)).first()
    db.session.rollback()  # no transaction stays open while rendering
    if row is None:
        return False
    pdf, data, development = services.rendered(row.number, json.loads(row.rendered_from))
    if not _claim(certificate_id, row.rendered_from):
        db.session.rollback()
        return False
    services.complete(db.session.get(Certificate, certificate_id), pdf, data, development)
    db.session.commit()
    return True


def _claim(certificate_id: int, rendered_from: str) -> bool:
    """Lock the row (PostgreSQL: the row; SQLite: the database) if it is still « en cours »
    with the data the PDF was rendered from."""
    table = Certificate.__table__
    return db.session.execute(update(table).where(
        table.c.id == certificate_id, table.c.status == CertificateStatus.ISSUING,
        table.c.rendered_from == rendered_from).values(status=table.c.status)).rowcount == 1


def pending_ids(older_than: timedelta) -> list[int]:
    """Attestations « en cours » reserved more than `older_than` ago (their job had its
    chance), oldest first."""
    return list(db.session.scalars(select(Certificate.id).where(
        Certificate.status == CertificateStatus.ISSUING,
        Certificate.issued_at <= utcnow() - older_than).order_by(Certificate.id)))


def finish(older_than: timedelta = timedelta(minutes=2)) -> tuple[int, int]:
    """Render what the jobs left « en cours »; (stored, failed). Safe on every machine at once:
    each row is claimed in the transaction that stores it, so it is stored once."""
    stored = failed = 0
    for certificate_id in pending_ids(older_than):
        try:
            stored += render_pending(certificate_id)
        except Exception:  # one attestation that cannot be rendered does not stop the others
            db.session.rollback()
            current_app.logger.exception("attestation %s still not rendered", certificate_id)
            failed += 1
    return stored, failed
