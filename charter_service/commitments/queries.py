"""What the public sees: public, non-hidden commitments of organisations with an approved
signature. The page, the API and the counts all go through `publicly_visible()`."""

from dataclasses import dataclass, field

from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from ..charters.models import CharterVersion, Principle
from ..extensions import db
from ..organisations.models import Organisation
from ..signatures.models import Signature, gives_public_page
from .models import (
    Category,
    Commitment,
    CommitmentPartner,
    CommitmentSdg,
    PartnerStatus,
    ProgressUpdate,
    UpdateConfirmation,
    Visibility,
    commitment_principles,
)


def approved_organisation_ids():
    return select(Signature.organisation_id).where(gives_public_page())


def publicly_visible():
    return and_(Commitment.visibility == Visibility.PUBLIC, Commitment.hidden_at.is_(None),
                Commitment.organisation_id.in_(approved_organisation_ids()))


def public_commitment_counts(version: CharterVersion) -> dict[int, int]:
    """{principle id: number of public commitments under it} for one charter version."""
    rows = db.session.execute(
        select(commitment_principles.c.principle_id,
               func.count(func.distinct(commitment_principles.c.commitment_id)))
        .join(Commitment, Commitment.id == commitment_principles.c.commitment_id)
        .join(Principle, Principle.id == commitment_principles.c.principle_id)
        .where(Principle.version_id == version.id, publicly_visible())
        .group_by(commitment_principles.c.principle_id))
    return dict(rows.all())


def public_commitment_counts_by_organisation(organisation_ids: list[int]) -> dict[int, int]:
    """{organisation id: number of public commitments}, e.g. for the register's rows."""
    if not organisation_ids:
        return {}
    rows = db.session.execute(
        select(Commitment.organisation_id, func.count(Commitment.id))
        .where(Commitment.organisation_id.in_(organisation_ids), publicly_visible())
        .group_by(Commitment.organisation_id))
    return dict(rows.all())


def organisations_with_public_commitments(sdg: int | None = None,
                                          category: Category | None = None):
    """A subquery of organisation ids, for the register's `odd` and `categorie` filters."""
    query = select(Commitment.organisation_id).where(publicly_visible())
    if sdg is not None:
        query = query.where(Commitment.id.in_(
            select(CommitmentSdg.commitment_id).where(CommitmentSdg.sdg == sdg)))
    if category is not None:
        query = query.where(Commitment.category == category)
    return query


def approved_signature(organisation: Organisation) -> Signature | None:
    return db.session.scalar(
        select(Signature).where(Signature.organisation_id == organisation.id, gives_public_page())
        .order_by(Signature.signed_at.desc(), Signature.id.desc()).limit(1))


def _with_details(query):
    return query.options(
        selectinload(Commitment.principles),
        selectinload(Commitment.sdg_links).selectinload(CommitmentSdg.targets),
        selectinload(Commitment.resources), selectinload(Commitment.deliverables),
        selectinload(Commitment.domain_links), selectinload(Commitment.indicators),
        selectinload(Commitment.organisation), selectinload(Commitment.charter_version),
        selectinload(Commitment.partners).selectinload(CommitmentPartner.organisation),
        selectinload(Commitment.updates).selectinload(ProgressUpdate.values),
        selectinload(Commitment.updates).selectinload(ProgressUpdate.confirmations)
        .selectinload(UpdateConfirmation.organisation),
    )


@dataclass
class PrincipleGroup:
    principle: Principle
    commitments: list[Commitment] = field(default_factory=list)
    also: list[Commitment] = field(default_factory=list)


def public_page_groups(organisation: Organisation) -> list[PrincipleGroup]:
    """The organisation's public commitments and those it confirmed as partner, by principle:
    each commitment in full under its first principle, as a link under the others."""
    partnered = select(CommitmentPartner.commitment_id).where(
        CommitmentPartner.organisation_id == organisation.id,
        CommitmentPartner.status == PartnerStatus.CONFIRMED)
    commitments = db.session.scalars(_with_details(
        select(Commitment).where(publicly_visible(),
                                 (Commitment.organisation_id == organisation.id)
                                 | Commitment.id.in_(partnered))
        .order_by(Commitment.start_on.desc(), Commitment.id.desc()))).all()
    groups: dict[int, PrincipleGroup] = {}
    for commitment in commitments:
        for index, principle in enumerate(commitment.principles):
            group = groups.setdefault(principle.id, PrincipleGroup(principle))
            (group.also if index else group.commitments).append(commitment)
    return sorted(groups.values(),
                  key=lambda g: (g.principle.version_id, g.principle.position))


def approved_among(organisation_ids: set[int]) -> set[int]:
    """Which of these organisations have a public page (an approved signature)."""
    if not organisation_ids:
        return set()
    return set(db.session.scalars(approved_organisation_ids().where(
        Signature.organisation_id.in_(organisation_ids))))


@dataclass(frozen=True)
class CommitmentFilters:
    principle: str | None = None
    category: Category | None = None
    sdg: int | None = None
    region: str | None = None
    organisation: str | None = None


def public_commitments(filters: CommitmentFilters, page: int, per_page: int
                       ) -> tuple[list[Commitment], bool]:
    """One page of public commitments, newest first, and whether another page follows."""
    query = select(Commitment).where(publicly_visible())
    if filters.principle:
        query = query.where(Commitment.id.in_(
            select(commitment_principles.c.commitment_id).join(Principle)
            .where(Principle.code == filters.principle)))
    if filters.category:
        query = query.where(Commitment.category == filters.category)
    if filters.sdg:
        query = query.where(Commitment.id.in_(
            select(CommitmentSdg.commitment_id).where(CommitmentSdg.sdg == filters.sdg)))
    if filters.region:
        query = query.where(Commitment.organisation_id.in_(
            select(Organisation.id).where(Organisation.region_code == filters.region)))
    if filters.organisation:
        query = query.where(Commitment.organisation_id.in_(
            select(Organisation.id).where(Organisation.slug == filters.organisation)))
    rows = db.session.scalars(_with_details(
        query.order_by(Commitment.id.desc()).offset((page - 1) * per_page)
        .limit(per_page + 1))).all()
    return list(rows[:per_page]), len(rows) > per_page
