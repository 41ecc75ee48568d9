"""Organisations: creation, edition, logo. Each function takes the acting user and only flushes."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from .. import signals
from ..accounts.models import User
from ..domain import DomainError
from ..extensions import db
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
            return _("Une organisation au nom très proche vient d’être créée au même moment ; "
                     "envoyez le formulaire à nouveau.")
        return _("Une organisation avec ce numéro %(label)s est déjà inscrite. Demandez à ses "
                 "responsables de vous inviter, ou écrivez à %(email)s.",
                 label="SIREN" if column == "siren" else "RNA",
                 email=current_app.config["CONTACT_EMAIL"])


def create_organisation(data: OrganisationData, creator: User,
                        logo_png: bytes | None = None, owner: bool = True) -> Organisation:
    """`owner`: the creator becomes its owner (not a moderator creating it for others)."""
    _refuse_duplicate(data, exclude_id=None)
    organisation = Organisation(slug=unique_slug(data.name))
    _apply(organisation, data)
    if logo_png:
        set_logo(organisation, logo_png, creator)
    if owner:
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
    # Attestations are re-issued if what they print changed; the register follows.
    signals.organisation_changed.send(organisation, actor=editor)


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
