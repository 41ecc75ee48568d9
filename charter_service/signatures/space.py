"""The member's space: each of the user's organisations with its signatures, and whether it may
sign the current version now."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..charters.services import current_version
from ..extensions import db
from ..organisations.models import MemberRole, Membership, Organisation
from .models import LIVE_STATUSES, Signature


@dataclass
class SpaceEntry:
    organisation: Organisation
    role: MemberRole
    signature: Signature | None
    can_sign: bool


def space_entries(user: User) -> list[SpaceEntry]:
    """The user's organisations, each with its latest signature and whether it can sign now."""
    memberships = db.session.scalars(
        select(Membership).join(Membership.organisation)
        .where(Membership.user_id == user.id)
        .options(joinedload(Membership.organisation))
        .order_by(Organisation.name, Organisation.id)).all()
    ids = [m.organisation_id for m in memberships]
    latest: dict[int, Signature] = {}
    for signature in _signatures_of(ids):
        latest.setdefault(signature.organisation_id, signature)
    version = current_version()
    live = _live_on_version(ids, version)
    return [SpaceEntry(
        organisation=m.organisation, role=m.role, signature=latest.get(m.organisation_id),
        can_sign=_can_sign(m.organisation_id, m.role, version, live))
        for m in memberships]


def can_sign(organisation: Organisation, role: MemberRole | None) -> bool:
    """Whether this member may open the signing form now (owner, no live signature)."""
    version = current_version()
    return _can_sign(organisation.id, role, version, _live_on_version([organisation.id], version))


def _can_sign(organisation_id: int, role, version, live: set[int]) -> bool:
    return version is not None and role == MemberRole.OWNER and organisation_id not in live


def _live_on_version(organisation_ids: list[int], version) -> set[int]:
    if version is None or not organisation_ids:
        return set()
    return set(db.session.scalars(select(Signature.organisation_id).where(
        Signature.organisation_id.in_(organisation_ids),
        Signature.charter_version_id == version.id, Signature.status.in_(LIVE_STATUSES))))


def signature_history(organisation: Organisation) -> list[Signature]:
    return _signatures_of([organisation.id])


def _signatures_of(organisation_ids: list[int]) -> list[Signature]:
    if not organisation_ids:
        return []
    return list(db.session.scalars(
        select(Signature).where(Signature.organisation_id.in_(organisation_ids))
        .options(joinedload(Signature.charter_version))
        .order_by(Signature.signed_at.desc(), Signature.id.desc())))
