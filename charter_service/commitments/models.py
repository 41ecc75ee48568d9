"""Commitments under the charter's principles, their partners, progress and annual reminders."""

import enum
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..charters.models import CharterVersion, Principle
from ..db_types import AMOUNT, UTCDateTime, str_enum, utcnow
from ..enums import LabelledEnum
from ..extensions import db
from ..organisations.models import Organisation
from .means import CommitmentDeliverable, CommitmentResource, CommitmentSdgTarget, ResourceKind
from .sdgs import target_order

# Indicator targets and values: up to 12 integer digits and 4 decimals (db_types.AMOUNT).
AMOUNT_LIMIT = Decimal(10) ** 12
AMOUNT_DECIMALS = 4


class Category(LabelledEnum):
    PRATIQUES_RESPONSABLES = "pratiques_responsables"
    COOPERATION_ECONOMIQUE = "cooperation_economique"
    INNOVATION_SOCIETALE = "innovation_societale"
    MECENAT = "mecenat"
    __labels__ = {
        "pratiques_responsables": _l("Pratiques responsables"),
        "cooperation_economique": _l("Coopération économique"),
        "innovation_societale": _l("Innovation sociétale"),
        "mecenat": _l("Mécénat"),
    }


class Domain(LabelledEnum):
    ECONOMIQUE = "economique"
    SOCIAL = "social"
    ENVIRONNEMENTAL = "environnemental"
    SOCIETAL = "societal"
    __labels__ = {"economique": _l("Économique"), "social": _l("Social"),
                  "environnemental": _l("Environnemental"), "societal": _l("Sociétal")}


class Scale(LabelledEnum):
    LOCAL = "local"
    DEPARTEMENTAL = "departemental"
    REGIONAL = "regional"
    NATIONAL = "national"
    INTERNATIONAL = "international"
    __labels__ = {"local": _l("Locale"), "departemental": _l("Départementale"),
                  "regional": _l("Régionale"), "national": _l("Nationale"),
                  "international": _l("Internationale")}


class CommitmentStatus(LabelledEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    ABANDONED = "abandoned"
    __labels__ = {"planned": _l("Prévu"), "in_progress": _l("En cours"),
                  "achieved": _l("Réalisé"), "abandoned": _l("Abandonné")}


class Visibility(LabelledEnum):
    PUBLIC = "public"
    PRIVATE = "private"
    __labels__ = {
        "public": _l("Public : visible sur la page publique de l’organisation"),
        "private": _l("Privé : visible seulement par les membres de l’organisation"),
    }


class PartnerStatus(LabelledEnum):
    INVITED = "invited"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    __labels__ = {"invited": _l("invitation en attente"),
                  "confirmed": _l("partenariat confirmé"),
                  "declined": _l("invitation déclinée")}


class ReminderKind(enum.StrEnum):
    DAYS_30 = "30"
    DAYS_7 = "7"
    AFTER_30 = "after_30"  # 30 days after the due date, no report filed


commitment_principles = Table(
    "commitment_principles", db.metadata,
    Column("commitment_id", ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True),
    Column("principle_id", ForeignKey("principles.id"), primary_key=True, index=True),
)


class _Hideable:
    """Moderators hide an item with a reason; a hidden item leaves every public view."""

    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Commitment(_Hideable, db.Model):
    __tablename__ = "commitments"
    __table_args__ = (
        CheckConstraint("end_on IS NULL OR end_on >= start_on", name="ends_after_start"),
        CheckConstraint("target_on IS NULL OR target_on >= start_on", name="target_after_start"),
        CheckConstraint("hidden_at IS NULL OR hidden_reason <> ''", name="hidden_with_reason"),
        Index("ix_commitments_public", "visibility", "hidden_at", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    charter_version_id: Mapped[int] = mapped_column(ForeignKey("charter_versions.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[Category] = mapped_column(str_enum(Category, "commitment_category"))
    scale: Mapped[Scale] = mapped_column(str_enum(Scale, "commitment_scale"))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    # When the deliverables are due (may differ from end_on, the end of the whole commitment).
    target_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[CommitmentStatus] = mapped_column(
        str_enum(CommitmentStatus, "commitment_status"), default=CommitmentStatus.PLANNED)
    visibility: Mapped[Visibility] = mapped_column(
        str_enum(Visibility, "commitment_visibility"), default=Visibility.PUBLIC)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
    charter_version: Mapped[CharterVersion] = relationship()
    principles: Mapped[list[Principle]] = relationship(
        secondary=commitment_principles, order_by=Principle.position)
    sdg_links: Mapped[list["CommitmentSdg"]] = relationship(
        cascade="all, delete-orphan", order_by="CommitmentSdg.sdg")
    domain_links: Mapped[list["CommitmentDomain"]] = relationship(cascade="all, delete-orphan")
    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan",
        order_by="Indicator.position, Indicator.id")
    partners: Mapped[list["CommitmentPartner"]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan", order_by="CommitmentPartner.id")
    updates: Mapped[list["ProgressUpdate"]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan",
        order_by="ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()")
    resources: Mapped[list["CommitmentResource"]] = relationship(
        cascade="all, delete-orphan",
        order_by="CommitmentResource.position, CommitmentResource.id")
    deliverables: Mapped[list["CommitmentDeliverable"]] = relationship(
        cascade="all, delete-orphan",
        order_by="CommitmentDeliverable.position, CommitmentDeliverable.id")

    @property
    def sdgs(self) -> list[int]:
        return [link.sdg for link in self.sdg_links]

    @property
    def sdg_targets(self) -> list[str]:
        """The codes of the chosen SDG targets (« 1.1 », « 17.19 »), in the official order."""
        return sorted((t.target for link in self.sdg_links for t in link.targets),
                      key=target_order)

    def resource_totals(self) -> list[tuple["ResourceKind", Decimal]]:
        """(kind, total) of every kind the commitment mobilises, in the kinds' order."""
        totals: dict[ResourceKind, Decimal] = {}
        for resource in self.resources:
            totals[resource.kind] = totals.get(resource.kind, Decimal(0)) + resource.amount
        return [(kind, totals[kind]) for kind in ResourceKind if kind in totals]

    @property
    def domains(self) -> list[Domain]:
        return sorted((link.domain for link in self.domain_links), key=list(Domain).index)

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC and not self.is_hidden

    @property
    def public_partners(self) -> list["CommitmentPartner"]:
        """Outside partners and the signatories who confirmed."""
        return [p for p in self.partners if p.status in (None, PartnerStatus.CONFIRMED)]

    def visible_updates(self, include_hidden: bool = False) -> list["ProgressUpdate"]:
        return [u for u in self.updates if include_hidden or not u.is_hidden]

    def latest_values(self, include_hidden: bool = False) -> dict[int, "IndicatorValue"]:
        """{indicator id: its most recent reported value}."""
        latest: dict[int, IndicatorValue] = {}
        for update in self.visible_updates(include_hidden):  # newest first
            for value in update.values:
                latest.setdefault(value.indicator_id, value)
        return latest


class CommitmentSdg(db.Model):
    __tablename__ = "commitment_sdgs"
    __table_args__ = (CheckConstraint("sdg BETWEEN 1 AND 17", name="sdg_range"),)

    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True)
    sdg: Mapped[int] = mapped_column(SmallInteger, primary_key=True, index=True)

    targets: Mapped[list["CommitmentSdgTarget"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True)


class CommitmentDomain(db.Model):
    __tablename__ = "commitment_domains"

    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True)
    domain: Mapped[Domain] = mapped_column(str_enum(Domain, "commitment_domain"),
                                           primary_key=True)


class Indicator(db.Model):
    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(40), default="")
    target: Mapped[Decimal | None] = mapped_column(AMOUNT)
    position: Mapped[int] = mapped_column(default=0)

    commitment: Mapped[Commitment] = relationship(back_populates="indicators")
    values: Mapped[list["IndicatorValue"]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", passive_deletes=True)


class CommitmentPartner(db.Model):
    """A signatory invited as partner (who confirms or declines), or an outside partner named
    as text (nobody to confirm: no status)."""

    __tablename__ = "commitment_partners"
    __table_args__ = (
        UniqueConstraint("commitment_id", "organisation_id"),
        CheckConstraint(
            "(organisation_id IS NOT NULL AND outside_name IS NULL AND status IS NOT NULL)"
            " OR (organisation_id IS NULL AND outside_name IS NOT NULL AND status IS NULL)",
            name="signatory_or_outside"),
        CheckConstraint("status IS NULL OR status = 'invited' OR decided_at IS NOT NULL",
                        name="decided_unless_invited"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    outside_name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[PartnerStatus | None] = mapped_column(
        str_enum(PartnerStatus, "partner_status"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    commitment: Mapped[Commitment] = relationship(back_populates="partners")
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def display_name(self) -> str:
        return self.organisation.name if self.organisation else (self.outside_name or "")

    @property
    def status_label(self) -> str:
        """An outside partner has no status: nobody is there to confirm."""
        return self.status.label if self.status else _l("partenaire extérieur (non signataire)")


class ProgressUpdate(_Hideable, db.Model):
    __tablename__ = "progress_updates"
    __table_args__ = (
        CheckConstraint("hidden_at IS NULL OR hidden_reason <> ''", name="hidden_with_reason"),
        CheckConstraint("evidence_url = '' OR evidence_url LIKE 'http://%' "
                        "OR evidence_url LIKE 'https://%'", name="evidence_url_http"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    reported_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    commitment: Mapped[Commitment] = relationship(back_populates="updates")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    values: Mapped[list["IndicatorValue"]] = relationship(
        back_populates="update", cascade="all, delete-orphan")
    confirmations: Mapped[list["UpdateConfirmation"]] = relationship(
        back_populates="update", cascade="all, delete-orphan")


class IndicatorValue(db.Model):
    __tablename__ = "indicator_values"
    __table_args__ = (UniqueConstraint("update_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("progress_updates.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    value: Mapped[Decimal] = mapped_column(AMOUNT)

    update: Mapped[ProgressUpdate] = relationship(back_populates="values")
    indicator: Mapped[Indicator] = relationship(back_populates="values")


class UpdateConfirmation(db.Model):
    """A partner organisation vouches for a progress update of a joint commitment."""

    __tablename__ = "update_confirmations"
    __table_args__ = (UniqueConstraint("update_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("progress_updates.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))

    update: Mapped[ProgressUpdate] = relationship(back_populates="confirmations")
    organisation: Mapped[Organisation] = relationship()


class ReminderSent(db.Model):
    """The unique key makes a reminder impossible to send twice, even by two runs at once."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("organisation_id", "due_on", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    due_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[ReminderKind] = mapped_column(str_enum(ReminderKind, "reminder_kind"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
