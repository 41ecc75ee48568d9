"""The register's read model: one row per organisation with an approved signature; and the
background jobs that export it as PDF (export_jobs.py).

Kept in step with organisations, signatures, certificates and commitments by `sync.py`, in the
same transaction as the change; `generation` counts the changes, so cached pages know when to go.
"""

import enum
from datetime import date, datetime, timedelta

from sqlalchemy import BigInteger, Date, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ...commitments.models import Category
from ...db_types import UTCDateTime, str_enum, utcnow
from ...extensions import db
from ...organisations.models import OrganisationKind


class RegisterEntry(db.Model):
    __tablename__ = "register_entries"
    __table_args__ = (
        # Sorts and keyset pagination read these indexes only (see queries.py).
        Index("ix_register_entries_sort_name", "sort_name", "organisation_id"),
        Index("ix_register_entries_signed_on", "signed_on", "organisation_id"),
        Index("ix_register_entries_kind_name", "kind", "sort_name", "organisation_id"),
        Index("ix_register_entries_region_name", "region_code", "sort_name", "organisation_id"),
        Index("ix_register_entries_departement_name", "departement_code", "sort_name",
              "organisation_id"),
        Index("ix_register_entries_kind_date", "kind", "signed_on", "organisation_id"),
        Index("ix_register_entries_region_date", "region_code", "signed_on", "organisation_id"),
        Index("ix_register_entries_departement_date", "departement_code", "signed_on",
              "organisation_id"),
        # Narrow: counts per filter value read this index alone.
        # The reporting status is a range of due dates (commitments.reporting.status_ranges).
        Index("ix_register_entries_report_due_on", "report_due_on", "organisation_id"),
        Index("ix_register_entries_facets", "kind", "region_code", "departement_code",
              "signed_on", "sdg_mask", "category_mask", "report_due_on"),
    )

    organisation_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    # Name folded to lower-case ASCII, for an accent- and case-insensitive order.
    sort_name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(220), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(
        str_enum(OrganisationKind, "register_kind"))
    siren: Mapped[str | None] = mapped_column(String(9))
    commune: Mapped[str] = mapped_column(String(120))
    departement_code: Mapped[str] = mapped_column(String(3))
    region_code: Mapped[str] = mapped_column(String(2))
    charter_version: Mapped[int]
    signature_id: Mapped[int]
    # The approval date (the moderator's decision), in Europe/Paris.
    signed_on: Mapped[date] = mapped_column(Date)
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    certificate_number: Mapped[str | None] = mapped_column(String(20))
    # The filing day (Europe/Paris) of its latest visible progress update, if any: with
    # `signed_on` and the kind, what the due date is computed from.
    last_report_on: Mapped[date | None] = mapped_column(Date)
    # When the next report is due (commitments.reporting.due_date): the reporting status is a
    # range of it relative to today, so the register filters and counts it in SQL.
    report_due_on: Mapped[date] = mapped_column(Date)
    public_commitments: Mapped[int]
    # Bit n set: a public commitment under SDG n (1-17); bit i: under the i-th Category.
    sdg_mask: Mapped[int] = mapped_column(default=0)
    category_mask: Mapped[int] = mapped_column(default=0)
    # Folded name and commune, words separated by spaces: what the full-text index reads.
    search_text: Mapped[str] = mapped_column(String(400))


class RegisterState(db.Model):
    """A single row: `generation` bumped by every change to the register, `pages_generation` by
    every domain signal (the whole public pages' key); read by the caches."""

    __tablename__ = "register_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)
    pages_generation: Mapped[int] = mapped_column(BigInteger, server_default="0")
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# A PDF export job neither done nor failed after this long died with its worker.
STALE_AFTER = timedelta(minutes=30)


class ExportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ExportJob(db.Model):
    __tablename__ = "export_jobs"
    __table_args__ = (
        Index("ix_export_jobs_lookup", "format", "generation", "status"),
        Index("ix_export_jobs_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unguessable: whoever holds the link may read the progress and the file (public data).
    token: Mapped[str] = mapped_column(String(43), unique=True)
    format: Mapped[str] = mapped_column(String(8))
    # The selection's URL arguments as canonical JSON (sorted keys): the reuse key.
    query_args: Mapped[str] = mapped_column(Text)
    generation: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[ExportStatus] = mapped_column(
        str_enum(ExportStatus, "export_status"), default=ExportStatus.QUEUED)
    rows_done: Mapped[int] = mapped_column(default=0)
    rows_total: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    filename: Mapped[str] = mapped_column(String(100))
    result: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    @property
    def stale(self) -> bool:
        return (self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
                and utcnow() - self.created_at > STALE_AFTER)

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.status == ExportStatus.DONE else 0
        return min(100, self.rows_done * 100 // self.rows_total)


CATEGORY_BITS = {category: 1 << index for index, category in enumerate(Category)}


def sdg_bit(sdg: int) -> int:
    """The bit of SDG `sdg` (1-17) in RegisterEntry.sdg_mask."""
    return 1 << sdg


def category_bit(category: Category) -> int:
    """The bit of a partnership category in RegisterEntry.category_mask."""
    return CATEGORY_BITS[category]
