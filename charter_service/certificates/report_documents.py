"""The signed one-page « rapport annuel d’alliance » (RAA-YYYY-NNNNNN) issued when an
organisation submits its bilan annuel; verifiable at /verifier like an attestation.

Issued as attestations are (issuing.py), in two transactions, so that nothing is rendered or
signed while the counter or the audit chain's lock is held (issue 12 item 4):

1. `issue_report_document`, in the caller's transaction (the submission): bumps this series'
   own counter, stores the row « en cours » (no PDF) with the data it will be rendered from,
   records `report_document.reserve` in the audit log, and asks for the render job once the
   transaction commits (a rollback gives the number back and leaves nothing).
2. `render_pending` (the job, and `flask certificates finish` for what a dead worker left):
   takes the row for RENDER_LEASE in a short transaction, renders and signs with no transaction
   open (WeasyPrint, pyHanko, the TSA), then in one short transaction stores the PDF, makes it
   valid and supersedes the earlier valid document of the same organisation and period
   (`report_document.issue`, `report_document.supersede`). The database keeps one valid
   document per organisation and period.

`data`, plain JSON built by the caller (commitments.annual's `document_data(report)`); this
package never reads the report itself::

    {"organisation": {"name": str, "kind_label": str, "identifier": str, "commune": str},
     "period": 2026,                      # the year reported on
     "submitted_on": "2026-12-02",        # ISO date, Paris
     "submitted_by": "Nom Prénom",        # the actor's name (erasable: forget_submitter)
     "mode": "form" | "upload",
     "sections": [{"commitment": str, "principles": [str], "status": str, "text": str,
                   "values": [{"name": str, "value": str, "unit": str, "target": str}],
                   "evidence": str, "partners": [str]}],
     "upload": {"filename": str, "sha256": str, "pages": int} | None,
     "report_url": str}                   # optional: where the full report is online

Stored as given, with the number, the issue date, the verification address and the signer.
"""

import hashlib
import json
import re
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import Row, and_, bindparam, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .. import jobs, signals
from ..accounts.models import User
from ..audit import services as audit
from ..audit.models import AuditEntry
from ..dates import french_date, local_date
from ..db_types import utcnow
from ..extensions import db
from ..organisations.models import Membership, Organisation
from . import numbers, render, report_layout, signing
from .models import ReportDocument, ReportDocumentCounter, ReportDocumentStatus

PREFIX = "RAA"
NUMBER_RE = re.compile(r"RAA-(\d{4})-(\d{6})")
RENDER_JOB = "charter_service.certificates.report_documents:render_pending"
RENDER_LEASE = timedelta(minutes=5)
DOCUMENT_NAME = "Rapport annuel d’alliance"



def canonical_number(text: str | None) -> str | None:
    """The number « RAA-2026-000013 » however loosely it was typed; None if it is not one."""
    return numbers.canonical(PREFIX, text)


def by_number(number: str) -> ReportDocument | None:
    number = canonical_number(number)
    if number is None:
        return None
    return db.session.scalar(select(ReportDocument).where(ReportDocument.number == number))


def documents_of(organisation: Organisation) -> list[ReportDocument]:
    """Every report document of an organisation, newest first."""
    return list(db.session.scalars(
        select(ReportDocument).where(ReportDocument.organisation_id == organisation.id)
        .order_by(ReportDocument.issued_at.desc(), ReportDocument.id.desc())))


def valid_document(organisation: Organisation, period: int) -> ReportDocument | None:
    return db.session.scalar(select(ReportDocument).where(
        ReportDocument.organisation_id == organisation.id, ReportDocument.period == period,
        ReportDocument.status == ReportDocumentStatus.VALID))


def stored_pdf(number: str, *, member_of: int | None = None, user=None) -> Row | None:
    """(number, sha256, pdf) of a stored document; with `member_of`, only if it is that
    organisation's and `user` is one of its members (anyone else: None, a 404)."""
    table = ReportDocument.__table__
    query = select(table.c.number, table.c.sha256, table.c.pdf).where(
        table.c.number == bindparam("number"), table.c.pdf.is_not(None))
    params = {"number": number}
    if member_of is not None:
        query = query.join(Membership.__table__, and_(
            Membership.organisation_id == table.c.organisation_id,
            Membership.user_id == bindparam("user_id"))).where(
            table.c.organisation_id == bindparam("organisation_id"))
        params |= {"organisation_id": member_of, "user_id": user.id}
    return db.session.connection().execute(query, params).first()


def _next_serial(year: int) -> int:
    """Bump the year's counter in one statement; the row stays locked until the commit."""
    table = ReportDocumentCounter.__table__
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(table).values(year=year, last_serial=1)
        .on_conflict_do_update(index_elements=[table.c.year],
                               set_={"last_serial": table.c.last_serial + 1})
        .returning(table.c.last_serial)
    )
    return db.session.execute(statement).scalar_one()


def verify_url(number: str) -> str:
    from .services import verify_url as address

    return address(number)


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _id_of(actor) -> int | None:
    return actor.id if actor is not None else None


def issue_report_document(organisation: Organisation, *, period: int, data: dict, actor,
                          issued_at: datetime | None = None,
                          at_once: bool = False) -> ReportDocument:
    """Reserve the organisation's report document for `period` « en cours », in the caller's
    transaction (flush only); a job renders, signs and stores it once the transaction commits,
    and it then supersedes the earlier valid one of the same period. `at_once` renders it
    here instead, in the caller's transaction (the demo loader, tests)."""
    if not 2000 <= period <= 2999:
        raise ValueError(f"not a report period: {period!r}")
    identity = signing.current_identity()  # an unusable signing key fails the submission
    issued_at = issued_at or utcnow()
    year = local_date(issued_at).year
    serial = _next_serial(year)
    number = f"{PREFIX}-{year}-{serial:06d}"
    facts = {**data, "period": period, "number": number, "issued_at": issued_at.isoformat(),
             "issued_on": french_date(issued_at), "verify_url": verify_url(number),
             "signer": identity.common_name, "development": identity.development}
    document = ReportDocument(
        number=number, organisation_id=organisation.id, period=period, year=year,
        serial=serial, status=ReportDocumentStatus.ISSUING, issued_at=issued_at,
        issued_by_id=_id_of(actor), pdf=None, sha256=None, rendered_from=_dumps(facts),
        signed_with_dev_key=identity.development)
    db.session.add(document)
    db.session.flush()
    audit.record("report_document.reserve", "report_document", document.id, actor=actor,
                 before={}, after={"number": number, "status": "issuing",
                                   "organisation_id": organisation.id, "period": period})
    if at_once:
        complete(document, *rendered(number, facts), actor=actor)
    else:
        jobs.after_commit(RENDER_JOB, document.id, _id_of(actor))
    return document


# Rendering (the page itself: report_layout.py) -----------------------------------------


def rendered(number: str, data: dict) -> tuple[bytes, dict, bool]:
    """(signed PDF, data as rendered, signed with a development key): the slow part, which
    holds no lock of the database; the TSA, if any, is asked here."""
    identity = signing.current_identity()
    data = {**data, "signer": identity.common_name, "development": identity.development}
    pdf = signing.sign(report_layout.render_fitted(data), identity, number=number,
                       box=render.SIGNATURE_BOX, tsa=signing.timestamper(),
                       document=DOCUMENT_NAME)
    return pdf, data, identity.development


# Storing -----------------------------------------------------------------------------------


def complete(document: ReportDocument, pdf: bytes, data: dict, development: bool, *,
             actor) -> None:
    """Store the PDF of a document « en cours » and make it the valid one of its organisation
    and period; the earlier valid one is superseded in the same transaction. A document
    reserved before the valid one (its job ran late) is stored already superseded by it."""
    # One completion per organisation at a time (PostgreSQL), then the valid one.
    db.session.execute(select(Organisation.id).where(
        Organisation.id == document.organisation_id).with_for_update())
    old = db.session.scalar(select(ReportDocument).where(
        ReportDocument.organisation_id == document.organisation_id,
        ReportDocument.period == document.period,
        ReportDocument.status == ReportDocumentStatus.VALID).with_for_update())
    document.pdf, document.sha256 = pdf, hashlib.sha256(pdf).hexdigest()
    document.rendered_from = _dumps(data)
    document.signed_with_dev_key = development
    document.render_claimed_until = None
    if old is not None and old.id > document.id:
        document.status = ReportDocumentStatus.SUPERSEDED
        document.superseded_by_id = old.id
        db.session.flush()
        audit.record("report_document.issue", "report_document", document.id, actor=actor,
                     before={"status": "issuing"},
                     after={"number": document.number, "status": "superseded",
                            "sha256": document.sha256, "superseded_by": old.number})
        signals.report_document_changed.send(document, actor=actor)
        return
    if old is not None:
        # The old one stops being valid first: one valid document per period, always.
        old.status = ReportDocumentStatus.SUPERSEDED
        old.superseded_by_id = document.id
        db.session.flush()
        audit.record("report_document.supersede", "report_document", old.id, actor=actor,
                     before={"status": "valid"},
                     after={"status": "superseded", "superseded_by": document.number})
    document.status = ReportDocumentStatus.VALID
    db.session.flush()
    after = {"number": document.number, "status": "valid", "sha256": document.sha256,
             "organisation_id": document.organisation_id, "period": document.period}
    if old is not None:
        after["replaces"] = old.number
    audit.record("report_document.issue", "report_document", document.id, actor=actor,
                 before={"status": "issuing"}, after=after)
    # The superseded one's status page changes too: one send moves the pages' generation.
    signals.report_document_changed.send(document, actor=actor)


def render_pending(document_id: int, actor_id: int | None = None) -> bool:
    """The job: render, sign and store one document « en cours » in the name of `actor_id`;
    False if there was nothing to do (stored, or taken by another run)."""
    row = _take(document_id)
    if row is None:
        return False
    try:
        pdf, data, development = rendered(row.number, json.loads(row.rendered_from))
    except Exception:
        _give_back(document_id, row.render_claimed_until)
        raise
    table = ReportDocument.__table__
    # Lock the row (PostgreSQL: the row; SQLite: the database) if it is still « en cours »
    # with the data the PDF was rendered from (an erasure may have changed it meanwhile).
    if db.session.execute(update(table).where(
            table.c.id == document_id, table.c.status == ReportDocumentStatus.ISSUING,
            table.c.rendered_from == row.rendered_from)
            .values(status=table.c.status)).rowcount != 1:
        db.session.rollback()
        return False
    actor = db.session.get(User, actor_id) if actor_id is not None else None
    complete(db.session.get(ReportDocument, document_id), pdf, data, development, actor=actor)
    db.session.commit()
    return True


def _take(document_id: int) -> Row | None:
    """Hold the row « en cours » for RENDER_LEASE unless another run holds it (committed)."""
    table, now = ReportDocument.__table__, utcnow()
    where = (table.c.id == document_id, table.c.status == ReportDocumentStatus.ISSUING,
             or_(table.c.render_claimed_until.is_(None), table.c.render_claimed_until < now))
    free = select(table.c.id).where(*where).with_for_update(skip_locked=True)
    row = db.session.execute(
        update(table).where(table.c.id.in_(free.scalar_subquery()), *where)
        .values(render_claimed_until=now + RENDER_LEASE)
        .returning(table.c.number, table.c.rendered_from, table.c.render_claimed_until)).first()
    db.session.commit()  # no transaction stays open while rendering
    return row


def _give_back(document_id: int, lease) -> None:
    db.session.rollback()
    table = ReportDocument.__table__
    db.session.execute(update(table).where(table.c.id == document_id,
                                           table.c.render_claimed_until == lease)
                       .values(render_claimed_until=None))
    db.session.commit()


def finish(older_than: timedelta = timedelta(minutes=2)) -> tuple[int, int]:
    """Render what the jobs left « en cours »; (stored, failed)."""
    stored = failed = 0
    for document_id in list(db.session.scalars(select(ReportDocument.id).where(
            ReportDocument.status == ReportDocumentStatus.ISSUING,
            ReportDocument.issued_at <= utcnow() - older_than).order_by(ReportDocument.id))):
        actor_id = db.session.scalar(select(AuditEntry.actor_id).where(
            AuditEntry.object_type == "report_document",
            AuditEntry.object_id == str(document_id),
            AuditEntry.action == "report_document.reserve").limit(1))
        try:
            stored += render_pending(document_id, actor_id)
        except Exception:  # one document that cannot be rendered does not stop the others
            db.session.rollback()
            current_app.logger.exception("report document %s still not rendered", document_id)
            failed += 1
    return stored, failed


def forget_submitter(user) -> int:
    """An erased account's name leaves what the documents it submitted (`issued_by`) were
    rendered from: « submitted_by » blanked. The signed PDFs already stored stay as they are,
    valid; one still « en cours » is rendered again without it. How many were changed."""
    table, changed = ReportDocument.__table__, 0
    for document in db.session.scalars(select(ReportDocument).where(
            ReportDocument.issued_by_id == user.id).order_by(ReportDocument.id)):
        data = json.loads(document.rendered_from)
        if not data.get("submitted_by"):
            continue
        data["submitted_by"] = ""
        pending = document.status == ReportDocumentStatus.ISSUING
        # A job rendering the old data finds the row changed and stores nothing (_claim).
        db.session.execute(update(table).where(table.c.id == document.id).values(
            rendered_from=_dumps(data),
            render_claimed_until=None if pending else table.c.render_claimed_until))
        db.session.expire(document, ["rendered_from", "render_claimed_until"])
        if pending:
            jobs.after_commit(RENDER_JOB, document.id, user.id)
        changed += 1
    return changed


def supersede_for_merge(keep: Organisation, remove: Organisation, *, actor) -> int:
    """Before a merge moves `remove`'s documents to `keep`: each valid one of a period that
    `keep` also has a valid document for is superseded by it (one valid per organisation and
    period); the others move as they are. How many were superseded."""
    kept = {document.period: document for document in db.session.scalars(
        select(ReportDocument).where(ReportDocument.organisation_id == keep.id,
                                     ReportDocument.status == ReportDocumentStatus.VALID))}
    superseded = 0
    for document in db.session.scalars(select(ReportDocument).where(
            ReportDocument.organisation_id == remove.id,
            ReportDocument.status == ReportDocumentStatus.VALID,
            ReportDocument.period.in_(list(kept))).order_by(ReportDocument.id)):
        document.status = ReportDocumentStatus.SUPERSEDED
        document.superseded_by_id = kept[document.period].id
        db.session.flush()
        audit.record("report_document.supersede", "report_document", document.id,
                     actor=actor, before={"status": "valid"}, reason="merge",
                     after={"status": "superseded",
                            "superseded_by": kept[document.period].number})
        superseded += 1
    return superseded


def public_facts(document: ReportDocument) -> dict:
    """What the verification page shows: the organisation as printed, the period, the form."""
    data = json.loads(document.rendered_from)
    submitted_on = data.get("submitted_on")
    return {"organisation": data.get("organisation", {}), "period": document.period,
            "mode": data.get("mode", "form"), "sections": len(data.get("sections") or []),
            "submitted_on": date.fromisoformat(submitted_on) if submitted_on else None}
