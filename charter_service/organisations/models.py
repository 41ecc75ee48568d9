from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..accounts.models import User
from ..db_types import UTCDateTime, str_enum, utcnow
from ..enums import LabelledEnum
from ..extensions import db


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

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(220), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(str_enum(OrganisationKind, "organisation_kind"))
    # SIREN is kept for every organisation identified by SIREN or SIRET: it is the legal identity.
    siren: Mapped[str | None] = mapped_column(String(9), unique=True)
    siret: Mapped[str | None] = mapped_column(String(14))
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
