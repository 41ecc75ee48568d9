"""Organisations: creation, edition, logo. Each function takes the acting user and only flushes."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..certificates.services import reissue_for_identity_change
from ..charters.services import current_version
from ..domain import DomainError
from ..extensions import db
from ..signatures.models import LIVE_STATUSES, Signature
from . import geo
from .identifiers import slugify
from .logos import STORED_MIME
from .models import MemberRole, Membership, Organisation, OrganisationKind


@dataclass(frozen=True)
class OrganisationData:
    name: str
    kind: OrganisationKind
    siren: str | None
    siret: str | None
    rna: str | None
    address: str
    postcode: str
    commune: str
    departement_code: str
    website: str
    description: str


class DuplicateIdentifier(DomainError):
    """Another organisation already holds this SIREN, RNA (or, in a race, this slug)."""

    FIELDS = {"siren": "identifier", "rna": "rna", "slug": "name"}

    def __init__(self, column: str) -> None:
        super().__init__(self._message(column), self.FIELDS[column])
        self.column = column

    @staticmethod
    def _message(column: str) -> str:
        if column == "slug":
            return _("Une organisation au nom très proche vient d'être créée au même moment ; "
                     "envoyez le formulaire à nouveau.")
        return _("Une organisation avec ce numéro %(label)s est déjà inscrite. Demandez à ses "
                 "responsables de vous inviter, ou écrivez à %(email)s.",
                 label="SIREN" if column == "siren" else "RNA",
                 email=current_app.config["CONTACT_EMAIL"])


def create_organisation(data: OrganisationData, creator: User,
                        logo_png: bytes | None = None) -> Organisation:
    _refuse_duplicate(data, exclude_id=None)
    organisation = Organisation(slug=unique_slug(data.name))
    _apply(organisation, data)
    if logo_png:
        set_logo(organisation, logo_png, creator)
    organisation.memberships.append(Membership(user=creator, role=MemberRole.OWNER))
    db.session.add(organisation)
    _flush_or_duplicate()
    return organisation


def update_organisation(organisation: Organisation, data: OrganisationData, editor: User,
                        logo_png: bytes | None = None) -> None:
    _refuse_duplicate(data, exclude_id=organisation.id)
    _apply(organisation, data)
    if logo_png:
        set_logo(organisation, logo_png, editor)
    _flush_or_duplicate()
    # An attestation never lies: a changed name or identifier supersedes it with a new one.
    reissue_for_identity_change(organisation, actor=editor)


def set_logo(organisation: Organisation, logo_png: bytes, editor: User) -> None:
    organisation.logo = logo_png
    organisation.logo_mime = STORED_MIME


def remove_logo(organisation: Organisation, editor: User) -> None:
    organisation.logo = None
    organisation.logo_mime = None
    db.session.flush()


def unique_slug(name: str) -> str:
    base = slugify(name)
    taken = set(db.session.scalars(
        select(Organisation.slug).where(
            or_(Organisation.slug == base, Organisation.slug.like(f"{base}-%")))))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _apply(organisation: Organisation, data: OrganisationData) -> None:
    organisation.name = data.name
    organisation.kind = data.kind
    organisation.siren = data.siren
    organisation.siret = data.siret
    organisation.rna = data.rna
    organisation.address = data.address
    organisation.postcode = data.postcode
    organisation.commune = data.commune
    organisation.departement_code = data.departement_code
    organisation.region_code = geo.region_of(data.departement_code)
    organisation.website = data.website
    organisation.description = data.description


def _refuse_duplicate(data: OrganisationData, exclude_id: int | None) -> None:
    for column, value in (("siren", data.siren), ("rna", data.rna)):
        if value and holder_of(column, value, exclude_id) is not None:
            raise DuplicateIdentifier(column)


def holder_of(column: str, value: str, exclude_id: int | None = None) -> int | None:
    """Id of the organisation registered with this SIREN or RNA, other than exclude_id."""
    query = select(Organisation.id).where(getattr(Organisation, column) == value)
    if exclude_id is not None:
        query = query.where(Organisation.id != exclude_id)
    return db.session.scalar(query.limit(1))


def _flush_or_duplicate() -> None:
    """The unique constraints have the last word when two requests race past the check."""
    try:
        db.session.flush()
    except IntegrityError as exc:
        message = str(exc.orig)
        for column in ("siren", "rna", "slug"):
            if f"uq_organisations_{column}" in message or f"organisations.{column}" in message:
                raise DuplicateIdentifier(column) from exc
        raise


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
