"""Keeps `register_entries` in step with its sources, inside the transaction that changes them.

The services signal what they changed (charter_service.signals; see subscribers.py); the
organisations concerned get their register row recomputed at once, and the register's generation
goes up when a row really changed, so cached pages and exports know they are stale.
"""

import time
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Connection, String, cast, delete, event, func, insert, select, update
from sqlalchemy.orm import Session

from ... import row_locks
from ...audit.models import AuditEntry
from ...certificates.models import Certificate, CertificateStatus
from ...charters.models import CharterVersion
from ...commitments.models import Category, Commitment, CommitmentSdg, Visibility
from ...commitments.reporting import due_date, last_report
from ...db_types import PARIS, utcnow
from ...extensions import db
from ...organisations.models import Organisation
from ...signatures.models import Signature, SignatureStatus
from .cache import forget_generation
from .models import RegisterEntry, RegisterState, category_bit, sdg_bit
from .text import fold

BATCH = 2000


def _source_rows(connection: Connection, organisation_ids: list[int] | None):
    """Organisations with an approved signature (the latest approved, if several)."""
    latest = (select(Signature.organisation_id, func.max(Signature.id).label("signature_id"))
              .where(Signature.status == SignatureStatus.APPROVED)
              .group_by(Signature.organisation_id))
    if organisation_ids is not None:
        latest = latest.where(Signature.organisation_id.in_(organisation_ids))
    latest = latest.subquery()
    certificate = (select(Certificate.number).where(
        Certificate.signature_id == latest.c.signature_id,
        Certificate.status == CertificateStatus.VALID).limit(1).scalar_subquery())
    commitments = (select(func.count(Commitment.id)).where(
        Commitment.organisation_id == Organisation.id,
        Commitment.visibility == Visibility.PUBLIC, Commitment.hidden_at.is_(None))
        .scalar_subquery())
    # A suspension then reinstatement moves decided_at: the audit log keeps the first approval.
    first_approval = (select(func.min(AuditEntry.created_at)).where(
        AuditEntry.action == "signature.approve", AuditEntry.object_type == "signature",
        AuditEntry.object_id == cast(Signature.id, String)).scalar_subquery())
    query = (select(Organisation.id, Organisation.name, Organisation.slug, Organisation.kind,
                    Organisation.siren, Organisation.commune, Organisation.departement_code,
                    Organisation.region_code, CharterVersion.number, Signature.id,
                    func.coalesce(first_approval, Signature.decided_at), certificate,
                    commitments, last_report(Organisation.id))
             .join(latest, latest.c.organisation_id == Organisation.id)
             .join(Signature, Signature.id == latest.c.signature_id)
             .join(CharterVersion, CharterVersion.id == Signature.charter_version_id)
             .order_by(Organisation.id))
    return connection.execute(query)


def _masks(connection: Connection, organisation_ids: list[int] | None) -> dict[int, list[int]]:
    """{organisation: [sdg mask, category mask]} of its public, visible commitments."""
    public = (Commitment.visibility == Visibility.PUBLIC, Commitment.hidden_at.is_(None))
    masks: dict[int, list[int]] = {}
    by_sdg = (select(Commitment.organisation_id, CommitmentSdg.sdg).distinct()
              .join(CommitmentSdg, CommitmentSdg.commitment_id == Commitment.id).where(*public))
    by_category = select(Commitment.organisation_id, Commitment.category).distinct().where(
        *public)
    if organisation_ids is not None:
        by_sdg = by_sdg.where(Commitment.organisation_id.in_(organisation_ids))
        by_category = by_category.where(Commitment.organisation_id.in_(organisation_ids))
    for organisation_id, sdg in connection.execute(by_sdg):
        masks.setdefault(organisation_id, [0, 0])[0] |= sdg_bit(sdg)
    for organisation_id, category in connection.execute(by_category):
        masks.setdefault(organisation_id, [0, 0])[1] |= category_bit(Category(category))
    return masks


def _entry(row, masks: dict[int, list[int]]) -> dict:
    (organisation_id, name, slug, kind, siren, commune, departement, region, version,
     signature_id, decided_at, certificate_number, public_commitments, last_report) = row
    approved_at = _aware(decided_at or utcnow())
    signed_on = approved_at.astimezone(PARIS).date()
    last_report_on = _aware(last_report).astimezone(PARIS).date() if last_report else None
    return {
        "organisation_id": organisation_id, "name": name, "sort_name": fold(name)[:200],
        "slug": slug, "kind": kind, "siren": siren, "commune": commune or "",
        "departement_code": departement, "region_code": region, "charter_version": version,
        "signature_id": signature_id, "signed_on": signed_on,
        "approved_at": approved_at, "certificate_number": certificate_number,
        "public_commitments": public_commitments or 0,
        "last_report_on": last_report_on,
        "report_due_on": due_date(kind, signed_on, last_report_on),
        "sdg_mask": masks.get(organisation_id, (0, 0))[0],
        "category_mask": masks.get(organisation_id, (0, 0))[1],
        "search_text": f"{fold(name)} {fold(commune or '')}".strip()[:400],
    }


def _aware(moment):
    """Aggregates (coalesce, max) lose the column type on some dialects: naive means UTC."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def bump_generation(connection: Connection) -> None:
    changed = connection.execute(update(RegisterState).where(RegisterState.id == 1).values(
        generation=RegisterState.generation + 1, changed_at=utcnow()))
    if not changed.rowcount:
        _start_state(connection)


def bump_pages_generation(connection: Connection) -> None:
    changed = connection.execute(update(RegisterState).where(RegisterState.id == 1).values(
        pages_generation=RegisterState.pages_generation + 1))
    if not changed.rowcount:
        _start_state(connection)


def _start_state(connection: Connection) -> None:
    """Start from the clock, so a register emptied and filled again never hands out a
    generation that caches may still hold (the pages' generation starts at 0 beside it)."""
    connection.execute(insert(RegisterState).values(
        id=1, generation=time.time_ns() // 1000, changed_at=utcnow()))


def _stored(connection: Connection, organisation_ids: list[int]) -> dict[int, dict]:
    table = RegisterEntry.__table__
    rows = connection.execute(select(table).where(table.c.organisation_id.in_(organisation_ids)))
    return {row.organisation_id: dict(row._mapping) for row in rows}


def refresh(connection: Connection, organisation_ids: Iterable[int]) -> bool:
    """Recompute the rows of these organisations (removing those no longer approved).

    Only rows whose content differs from the stored one are written, and the generation goes
    up only then: an edit the register does not show leaves cached pages alone.
    """
    def wanted(chunk):
        masks = _masks(connection, chunk)
        return {row[0]: _entry(row, masks) for row in _source_rows(connection, chunk)}

    def write(stale, fresh):
        if stale:
            connection.execute(delete(RegisterEntry).where(
                RegisterEntry.organisation_id.in_(stale)))
        if fresh:
            connection.execute(insert(RegisterEntry), fresh)

    changed = row_locks.refresh_rows(
        connection, Organisation.id, organisation_ids, wanted=wanted,
        stored=lambda chunk: _stored(connection, chunk), write=write, batch=BATCH)
    if changed:
        bump_generation(connection)
    return changed


def rebuild(connection: Connection | None = None) -> int:
    """Recompute the whole register from the source tables; returns the number of rows."""
    connection = connection or db.session.connection()
    connection.execute(delete(RegisterEntry))
    batch: list[dict] = []
    total = 0
    masks = _masks(connection, None)
    for row in _source_rows(connection, None):
        batch.append(_entry(row, masks))
        if len(batch) == BATCH:
            connection.execute(insert(RegisterEntry), batch)
            total += len(batch)
            batch = []
    if batch:
        connection.execute(insert(RegisterEntry), batch)
        total += len(batch)
    bump_generation(connection)
    return total


def follow(session: Session, organisation_ids: Iterable[int]) -> None:
    """Bring these organisations' rows in step, in the session's transaction (the register's
    subscribers call it for each domain signal); caches forget the generation after commit.
    The public pages cached whole show more than the rows (texts, progress reports,
    attestations): every signal moves their generation, once per transaction."""
    session.flush()
    if refresh(session.connection(), organisation_ids):
        session.info["register_changed"] = True
    if not session.info.get("pages_changed"):
        bump_pages_generation(session.connection())
        session.info["pages_changed"] = session.info["register_changed"] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop("pages_changed", None)
    if session.info.pop("register_changed", False):
        forget_generation()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop("pages_changed", None)
    session.info.pop("register_changed", None)



