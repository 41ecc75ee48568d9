from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, LargeBinary, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship, validates

from ..accounts.models import User
from ..db_types import UTCDateTime, str_enum, utcnow
from ..enums import LabelledEnum
from ..extensions import db
from .names import bigrams, normalised_name


class OrganisationKind(LabelledEnum):
    COLLECTIVITE = "collectivite"
    ENTREPRISE = "entreprise"
    ASSOCIATION = "association"
    FONDATION = "fondation"
    ACADEMIQUE = "academique"
    AUTRE = "autre"
    __labels__ = {
        "collectivite": _l("Collectivité territoriale"),
        "entreprise": _l("Entreprise"),
        "association": _l("Association"),
        "fondation": _l("Fondation"),
        "academique": _l("Acteur académique ou de recherche"),
        "autre": _l("Autre"),
    }


class MemberRole(LabelledEnum):
    OWNER = "owner"
    MEMBER = "member"
    __labels__ = {"owner": _l("Responsable"), "member": _l("Membre")}


class Organisation(db.Model):
    __tablename__ = "organisations"
    __table_args__ = (
        Index("ix_organisations_departement_code_name_key", "departement_code", "name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # normalised_name(name), kept by `_index_name` with the bigrams below (names.py).
    name_key: Mapped[str] = mapped_column(Text, server_default="")
    slug: Mapped[str] = mapped_column(String(220), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(str_enum(OrganisationKind, "organisation_kind"))
    # SIREN is kept for every organisation identified by SIREN or SIRET: it is the legal identity.
    siren: Mapped[str | None] = mapped_column(String(9), unique=True)
    siret: Mapped[str | None] = mapped_column(String(14), index=True)
    rna: Mapped[str | None] = mapped_column(String(10), unique=True)
    address: Mapped[str] = mapped_column(String(250), default="")
    postcode: Mapped[str] = mapped_column(String(5), default="")
    commune: Mapped[str] = mapped_column(String(120), default="")
    departement_code: Mapped[str] = mapped_column(String(3), index=True)
    region_code: Mapped[str] = mapped_column(String(2), index=True)
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    logo_mime: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )
    name_grams: Mapped[list["OrganisationNameGram"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    @validates("name", "departement_code")
    def _index_name(self, field: str, value):
        """Every write of the name or the département, in any code path, re-keys the name."""
        name = value if field == "name" else self.name
        departement = value if field == "departement_code" else self.departement_code
        key = normalised_name(name or "")
        self.name_key = key
        current = {row.gram: row for row in self.name_grams}
        self.name_grams = [current.get(gram) or OrganisationNameGram(gram=gram)
                           for gram in bigrams(key)]
        for row in self.name_grams:
            row.departement_code = departement
            row.name_length = len(key)
        return value

    @property
    def legal_identifier(self) -> str:
        return self.siret or self.siren or self.rna or ""

    def role_of(self, user: User) -> MemberRole | None:
        for membership in self.memberships:
            if membership.user_id == user.id:
                return membership.role
        return None

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class OrganisationNameGram(db.Model):
    """One bigram of an organisation's name key: the duplicate check's index (names.py)."""

    __tablename__ = "organisation_name_grams"
    __table_args__ = (
        Index("ix_organisation_name_grams_lookup",
              "departement_code", "gram", "name_length", "organisation_id"),
    )

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    gram: Mapped[str] = mapped_column(String(8), primary_key=True)
    departement_code: Mapped[str] = mapped_column(String(3))
    name_length: Mapped[int] = mapped_column(SmallInteger)


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[MemberRole] = mapped_column(str_enum(MemberRole, "member_role"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")


class Invitation(db.Model):
    """An e-mailed offer to join an organisation; the link carries a signed token of its id."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[MemberRole] = mapped_column(str_enum(MemberRole, "invitation_role"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
