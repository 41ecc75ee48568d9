"""The directory's read model: one row per public commitment (DirectoryEntry), with what its
page, filters and exports show, and its principles' codes (DirectoryPrinciple).

Kept in step with commitments, organisations and signatures by `sync.py`, in the transaction
of the change; the public pages' generation (register/readmodel/cache.py) keys its caches.
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..commitments.models import Category, CommitmentStatus, Domain, Scale
from ..db_types import AMOUNT, str_enum
from ..extensions import db
from ..organisations.models import OrganisationKind


class DirectoryEntry(db.Model):
    __tablename__ = "directory_entries"
    __table_args__ = (
        # The order (newest start first) and keyset pages read this index.
        Index("ix_directory_entries_start", "start_on", "commitment_id"),
        Index("ix_directory_entries_organisation", "organisation_id"),
        # Narrow: counts per filter value read this index alone.
        Index("ix_directory_entries_facets", "category", "scale", "status", "kind",
              "region_code", "departement_code", "joint", "sdg_mask", "domain_mask"),
    )

    commitment_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    organisation_id: Mapped[int]
    # The number of the charter version it was made under (its principles are that version's).
    charter_version: Mapped[int]
    organisation_name: Mapped[str] = mapped_column(String(200))
    organisation_slug: Mapped[str] = mapped_column(String(220))
    kind: Mapped[OrganisationKind] = mapped_column(str_enum(OrganisationKind, "directory_kind"))
    departement_code: Mapped[str] = mapped_column(String(3))
    region_code: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[Category] = mapped_column(str_enum(Category, "directory_category"))
    scale: Mapped[Scale] = mapped_column(str_enum(Scale, "directory_scale"))
    status: Mapped[CommitmentStatus] = mapped_column(
        str_enum(CommitmentStatus, "directory_status"))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    # Principle codes of the commitment, space-separated, in the charter's order (« P1 P4 »).
    principles: Mapped[str] = mapped_column(String(200))
    # Bit n: SDG n (1-17); bit i: the i-th Domain.
    sdg_mask: Mapped[int] = mapped_column(default=0)
    domain_mask: Mapped[int] = mapped_column(default=0)
    # With at least one other signatory as confirmed partner.
    joint: Mapped[bool] = mapped_column(Boolean, default=False)
    # The public partners' names (confirmed signatories, then outside partners), « ; » between.
    partners: Mapped[str] = mapped_column(Text, default="")
    # The latest visible progress update: its date and its text.
    progress_on: Mapped[date | None] = mapped_column(Date)
    progress_text: Mapped[str] = mapped_column(Text, default="")
    # What it mobilises, the total of each kind (None: nothing of that kind), what it will
    # produce (« ; » between), by when, and its SDG targets' codes in the official order.
    budget_eur: Mapped[Decimal | None] = mapped_column(AMOUNT)
    in_kind_eur: Mapped[Decimal | None] = mapped_column(AMOUNT)
    skills_days: Mapped[Decimal | None] = mapped_column(AMOUNT)
    volunteers: Mapped[Decimal | None] = mapped_column(AMOUNT)
    deliverables: Mapped[str] = mapped_column(Text, default="", server_default="")
    target_on: Mapped[date | None] = mapped_column(Date)
    sdg_targets: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Folded title, description, organisation and partners: what the full-text index reads.
    search_text: Mapped[str] = mapped_column(Text)


class DirectoryPrinciple(db.Model):
    """(principle code, commitment): the principle filter and its counts read this alone."""

    __tablename__ = "directory_principles"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("directory_entries.commitment_id", ondelete="CASCADE"), primary_key=True)


DOMAIN_BITS = {domain: 1 << index for index, domain in enumerate(Domain)}


def domain_bit(domain: Domain) -> int:
    return DOMAIN_BITS[domain]
