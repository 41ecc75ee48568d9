"""Keeps `directory_entries` in step with its sources, inside the transaction that changes them
(subscribers.py calls `follow_*` for each domain signal). Only rows whose content differs are
written; the cached pages follow the public pages' generation, which every signal moves."""

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import Connection, delete, insert, or_, select, union

from .. import row_locks
from ..charters.models import CharterVersion, Principle
from ..commitments.means import (
    CommitmentDeliverable,
    CommitmentResource,
    CommitmentSdgTarget,
    ResourceKind,
)
from ..commitments.models import (
    Commitment,
    CommitmentDomain,
    CommitmentPartner,
    CommitmentSdg,
    Domain,
    PartnerStatus,
    ProgressUpdate,
    commitment_principles,
)
from ..commitments.queries import publicly_visible
from ..commitments.sdgs import target_order
from ..extensions import db
from ..organisations.models import Organisation
from ..register.readmodel.models import sdg_bit
from ..register.readmodel.text import fold
from .models import DirectoryEntry, DirectoryPrinciple, domain_bit

BATCH = 2000
SEARCH_LIMIT = 4000


def _grouped(connection: Connection, statement) -> dict[int, list]:
    """{commitment id: [the rest of each row]}, in the statement's order."""
    grouped: dict[int, list] = {}
    for commitment_id, *rest in connection.execute(statement):
        grouped.setdefault(commitment_id, []).append(rest[0] if len(rest) == 1 else rest)
    return grouped


def _details(connection: Connection, ids: list[int]) -> dict[str, dict[int, list]]:
    """Principles, SDGs, domains, public partners and visible progress of these commitments."""
    principles = (select(commitment_principles.c.commitment_id, Principle.code)
                  .join(Principle, Principle.id == commitment_principles.c.principle_id)
                  .where(commitment_principles.c.commitment_id.in_(ids))
                  .order_by(Principle.version_id, Principle.position))
    partners = (select(CommitmentPartner.commitment_id, Organisation.name,
                       CommitmentPartner.outside_name)
                .outerjoin(Organisation, Organisation.id == CommitmentPartner.organisation_id)
                .where(CommitmentPartner.commitment_id.in_(ids),
                       or_(CommitmentPartner.status.is_(None),
                           CommitmentPartner.status == PartnerStatus.CONFIRMED))
                .order_by(CommitmentPartner.status.is_(None), CommitmentPartner.id))
    progress = (select(ProgressUpdate.commitment_id, ProgressUpdate.reported_on,
                       ProgressUpdate.text)
                .where(ProgressUpdate.commitment_id.in_(ids), ProgressUpdate.hidden_at.is_(None))
                .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()))
    return {
        "principles": _grouped(connection, principles),
        "sdgs": _grouped(connection, select(CommitmentSdg.commitment_id, CommitmentSdg.sdg)
                         .where(CommitmentSdg.commitment_id.in_(ids))),
        "domains": _grouped(connection, select(CommitmentDomain.commitment_id,
                                               CommitmentDomain.domain)
                            .where(CommitmentDomain.commitment_id.in_(ids))),
        "partners": _grouped(connection, partners),
        "progress": _grouped(connection, progress),
        "resources": _grouped(connection, select(
            CommitmentResource.commitment_id, CommitmentResource.kind, CommitmentResource.amount)
            .where(CommitmentResource.commitment_id.in_(ids))),
        "deliverables": _grouped(connection, select(
            CommitmentDeliverable.commitment_id, CommitmentDeliverable.text)
            .where(CommitmentDeliverable.commitment_id.in_(ids))
            .order_by(CommitmentDeliverable.position, CommitmentDeliverable.id)),
        "targets": _grouped(connection, select(
            CommitmentSdgTarget.commitment_id, CommitmentSdgTarget.target)
            .where(CommitmentSdgTarget.commitment_id.in_(ids))),
    }


RESOURCE_COLUMNS = {ResourceKind.BUDGET: "budget_eur", ResourceKind.IN_KIND: "in_kind_eur",
                    ResourceKind.SKILLS_DAYS: "skills_days",
                    ResourceKind.VOLUNTEERS: "volunteers"}


def _resource_totals(lines: list) -> dict[str, Decimal | None]:
    totals: dict[str, Decimal | None] = dict.fromkeys(RESOURCE_COLUMNS.values())
    for kind, amount in lines:
        column = RESOURCE_COLUMNS[ResourceKind(kind)]
        totals[column] = (totals[column] or Decimal(0)) + amount
    return totals


def _source_rows(connection: Connection, ids: list[int]):
    return connection.execute(
        select(Commitment.id, Commitment.organisation_id, Organisation.name, Organisation.slug,
               Organisation.kind, Organisation.departement_code, Organisation.region_code,
               Commitment.title, Commitment.description, Commitment.category,
               Commitment.scale, Commitment.status, Commitment.start_on, Commitment.end_on,
               CharterVersion.number, Commitment.target_on)
        .join(Organisation, Organisation.id == Commitment.organisation_id)
        .join(CharterVersion, CharterVersion.id == Commitment.charter_version_id)
        .where(Commitment.id.in_(ids), publicly_visible()).order_by(Commitment.id))


def _entry(row, details: dict[str, dict[int, list]]) -> tuple[dict, list[str]]:
    (commitment_id, organisation_id, name, slug, kind, departement, region, title, description,
     category, scale, status, start_on, end_on, version, target_on) = row
    codes = list(dict.fromkeys(details["principles"].get(commitment_id, [])))
    partners = details["partners"].get(commitment_id, [])
    names = [signatory or outside or "" for signatory, outside in partners]
    progress = (details["progress"].get(commitment_id) or [(None, "")])[0]
    entry = {
        "commitment_id": commitment_id, "organisation_id": organisation_id,
        "charter_version": version,
        "organisation_name": name, "organisation_slug": slug, "kind": kind,
        "departement_code": departement, "region_code": region, "title": title,
        "description": description or "", "category": category, "scale": scale,
        "status": status, "start_on": start_on, "end_on": end_on,
        "principles": " ".join(codes)[:200],
        "sdg_mask": sum(sdg_bit(n) for n in set(details["sdgs"].get(commitment_id, []))),
        "domain_mask": sum(domain_bit(Domain(d))
                           for d in set(details["domains"].get(commitment_id, []))),
        "joint": any(signatory for signatory, _ in partners), "partners": " ; ".join(names),
        "progress_on": progress[0], "progress_text": progress[1] or "",
        **_resource_totals(details["resources"].get(commitment_id, [])),
        "deliverables": " ; ".join(details["deliverables"].get(commitment_id, [])),
        "target_on": target_on,
        "sdg_targets": " ".join(sorted(details["targets"].get(commitment_id, []),
                                       key=target_order)),
        "search_text": " ".join(fold(part) for part in (title, name, *names, description or "")
                                if part)[:SEARCH_LIMIT],
    }
    return entry, codes


def _stored(connection: Connection, ids: list[int]) -> dict[int, dict]:
    table = DirectoryEntry.__table__
    rows = connection.execute(select(table).where(table.c.commitment_id.in_(ids)))
    return {row.commitment_id: dict(row._mapping) for row in rows}


def _write(connection: Connection, stale: list[int], fresh: list[tuple[dict, list[str]]]):
    if stale:
        connection.execute(delete(DirectoryPrinciple).where(
            DirectoryPrinciple.commitment_id.in_(stale)))
        connection.execute(delete(DirectoryEntry).where(DirectoryEntry.commitment_id.in_(stale)))
    if fresh:
        connection.execute(insert(DirectoryEntry), [entry for entry, _ in fresh])
        codes = [{"code": code, "commitment_id": entry["commitment_id"]}
                 for entry, entry_codes in fresh for code in entry_codes]
        if codes:
            connection.execute(insert(DirectoryPrinciple), codes)


def refresh(connection: Connection, commitment_ids: Iterable[int]) -> bool:
    """Recompute these commitments' rows (removing those no longer public); True if any
    changed. A row whose principles alone changed differs in `principles` too."""
    def wanted(chunk):
        details = _details(connection, chunk)
        return {row[0]: _entry(row, details) for row in _source_rows(connection, chunk)}

    return row_locks.refresh_rows(
        connection, Commitment.id, commitment_ids, wanted=wanted,
        stored=lambda chunk: _stored(connection, chunk),
        write=lambda stale, fresh: _write(connection, stale, fresh),
        comparable=lambda entry_and_codes: entry_and_codes[0], batch=BATCH)


def commitments_of(connection: Connection, organisation_ids: list[int]) -> list[int]:
    """Commitments these organisations hold or are partners of, and those the directory still
    shows under them."""
    return list(connection.scalars(union(
        select(Commitment.id).where(Commitment.organisation_id.in_(organisation_ids)),
        select(CommitmentPartner.commitment_id).where(
            CommitmentPartner.organisation_id.in_(organisation_ids)),
        select(DirectoryEntry.commitment_id).where(
            DirectoryEntry.organisation_id.in_(organisation_ids)))))


def rebuild(connection: Connection | None = None) -> int:
    """Recompute the whole directory from the source tables; returns the number of rows."""
    connection = connection or db.session.connection()
    connection.execute(delete(DirectoryPrinciple))
    connection.execute(delete(DirectoryEntry))
    ids = list(connection.scalars(select(Commitment.id).where(publicly_visible())
                                  .order_by(Commitment.id)))
    refresh(connection, ids)
    return len(ids)


def follow_commitments(commitment_ids: Iterable[int]) -> None:
    db.session.flush()
    refresh(db.session.connection(), commitment_ids)


def follow_organisations(organisation_ids: Iterable[int]) -> None:
    db.session.flush()
    connection = db.session.connection()
    refresh(connection, commitments_of(connection, [i for i in organisation_ids if i]))
