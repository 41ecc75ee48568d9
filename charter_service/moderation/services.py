"""Read side of moderation: the queue, a signature's history, the journal; and preferences."""

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from ..accounts.models import ModerationAlerts, User
from ..audit.models import AuditEntry
from ..extensions import db
from ..organisations.models import Membership, Organisation
from ..signatures.models import Signature, SignatureStatus
from .warnings import Concern, warnings_for

PAGE_SIZE = 50
QUEUE_STATUSES = (SignatureStatus.PENDING, SignatureStatus.CHANGES_REQUESTED)


@dataclass(frozen=True)
class QueueFilters:
    kind: str | None = None
    region: str | None = None
    status: str | None = None

    def conditions(self, with_status: bool = True) -> list:
        conditions = [Signature.status.in_(QUEUE_STATUSES)]
        if self.kind:
            conditions.append(Organisation.kind == self.kind)
        if self.region:
            conditions.append(Organisation.region_code == self.region)
        if with_status and self.status:
            conditions.append(Signature.status == self.status)
        return conditions


@dataclass
class QueuePage:
    signatures: list[Signature]
    concerns: dict[int, list[Concern]]
    counts: dict[SignatureStatus, int]
    next_after: int | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def queue_page(filters: QueueFilters, after: int | None = None) -> QueuePage:
    """Oldest first, keyset-paginated on (signed_at, id) after the signature `after`."""
    query = (select(Signature).join(Signature.organisation)
             .options(contains_eager(Signature.organisation),
                      joinedload(Signature.charter_version))
             .where(*filters.conditions())
             .order_by(Signature.signed_at, Signature.id).limit(PAGE_SIZE + 1))
    cursor = db.session.get(Signature, after) if after else None
    if cursor is not None:
        query = query.where(or_(Signature.signed_at > cursor.signed_at,
                                and_(Signature.signed_at == cursor.signed_at,
                                     Signature.id > cursor.id)))
    signatures = list(db.session.scalars(query).unique())
    next_after = signatures[PAGE_SIZE - 1].id if len(signatures) > PAGE_SIZE else None
    signatures = signatures[:PAGE_SIZE]
    return QueuePage(signatures, warnings_for(signatures), queue_counts(filters), next_after)


def queue_counts(filters: QueueFilters) -> dict[SignatureStatus, int]:
    """Per status, within the kind and région filters (whatever status is shown)."""
    rows = db.session.execute(
        select(Signature.status, func.count()).join(Signature.organisation)
        .where(*filters.conditions(with_status=False)).group_by(Signature.status)
    ).all()
    counts = dict.fromkeys(QUEUE_STATUSES, 0)
    counts.update({status: count for status, count in rows})
    return counts


def signature_for_moderation(signature_id: int) -> Signature | None:
    return db.session.scalar(
        select(Signature).where(Signature.id == signature_id)
        .options(joinedload(Signature.organisation).selectinload(Organisation.memberships)
                 .joinedload(Membership.user),
                 joinedload(Signature.charter_version), joinedload(Signature.submitted_by))
    )


def other_signatures(signature: Signature) -> list[Signature]:
    return list(db.session.scalars(
        select(Signature).options(joinedload(Signature.charter_version))
        .where(Signature.organisation_id == signature.organisation_id,
               Signature.id != signature.id)
        .order_by(Signature.signed_at.desc())))


def signature_history(signature: Signature) -> list[AuditEntry]:
    return list(db.session.scalars(
        select(AuditEntry).options(selectinload(AuditEntry.actor))
        .where(AuditEntry.object_type == "signature",
               AuditEntry.object_id == str(signature.id))
        .order_by(AuditEntry.seq)))


@dataclass(frozen=True)
class JournalFilters:
    action: str | None = None
    object_type: str | None = None
    since: date | None = None
    until: date | None = None


@dataclass
class JournalPage:
    entries: list[AuditEntry]
    next_before: int | None


def _local_midnight(day: date) -> datetime:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=zone)


def journal_page(filters: JournalFilters, before: int | None = None) -> JournalPage:
    """Newest first, keyset-paginated on seq: entries with a seq below `before`."""
    query = select(AuditEntry).options(selectinload(AuditEntry.actor))
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.object_type:
        query = query.where(AuditEntry.object_type == filters.object_type)
    if filters.since:
        query = query.where(AuditEntry.created_at >= _local_midnight(filters.since))
    if filters.until:
        query = query.where(
            AuditEntry.created_at < _local_midnight(filters.until + timedelta(days=1)))
    if before:
        query = query.where(AuditEntry.seq < before)
    entries = list(db.session.scalars(query.order_by(AuditEntry.seq.desc())
                                      .limit(PAGE_SIZE + 1)))
    next_before = entries[PAGE_SIZE - 1].seq if len(entries) > PAGE_SIZE else None
    return JournalPage(entries[:PAGE_SIZE], next_before)


def journal_choices() -> tuple[list[str], list[str]]:
    """The actions and object types present in the journal, for the filters."""
    actions = db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    types = db.session.scalars(
        select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type))
    return list(actions), list(types)


def personal_text(entry: AuditEntry) -> str | None:
    """The free text of an entry, unless erased; None when there is none."""
    if entry.personal is None:
        return None
    try:
        data = json.loads(entry.personal)
    except ValueError:
        return entry.personal
    if isinstance(data, dict):
        if set(data) == {"message"}:
            return str(data["message"])
        return " · ".join(f"{key} : {value}" for key, value in data.items())
    return str(data)


def set_alert_preference(user: User, preference: ModerationAlerts) -> None:
    user.moderation_alerts = preference
    db.session.flush()
