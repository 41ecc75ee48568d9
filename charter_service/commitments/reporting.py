"""Annual reporting: an approved signatory owes a progress update in every 12 months after its
approval (the UN Global Compact's yearly Communication on Progress is the model).

The clock runs from the later of the first approval of the organisation's current approved
signature and the day its latest visible progress update was filed (the filing date, not the
date the update claims, so that a late report cannot be backdated)."""

import calendar
from datetime import date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import case, func, or_, select
from sqlalchemy.exc import IntegrityError

from ..audit.models import AuditEntry
from ..charters.models import CharterVersion
from ..extensions import db
from ..links import external_url
from ..organisations.models import Organisation
from ..signatures.models import Signature, SignatureStatus
from .annual.models import AnnualReport, ReportStatus
from .mails import mail_owners
from .models import Commitment, ProgressUpdate, ReminderKind, ReminderSent

PERIOD_MONTHS = 12
LATE_AFTER_DAYS = 90
# (kind, days before the due date from which it is sent), the nearest first.
REMINDERS = ((ReminderKind.DAYS_7, 7), (ReminderKind.DAYS_30, 30))
BATCH = 500


class ReportingStatus(NamedTuple):
    due_on: date
    days_late: int
    late: bool


def add_months(day: date, months: int) -> date:
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _local_date(moment: datetime) -> date:
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Paris"))
    return moment.astimezone(zone).date()


def reporting_status(organisation: Organisation, today: date) -> ReportingStatus | None:
    """None unless the organisation has an approved signature."""
    return reporting_statuses([organisation.id], today).get(organisation.id)


def status_from(approved_on: date, last_report_on: date | None, today: date) -> ReportingStatus:
    """The one rule, from the first approval day and the filing day of the latest report."""
    due_on = add_months(max(approved_on, last_report_on or approved_on), PERIOD_MONTHS)
    days_late = max(0, (today - due_on).days)
    return ReportingStatus(due_on, days_late, days_late > LATE_AFTER_DAYS)


def reporting_statuses(organisation_ids: list[int], today: date) -> dict[int, ReportingStatus]:
    approvals = approval_dates(organisation_ids)
    reports = last_report_dates(list(approvals))
    return {organisation_id: status_from(approved_on, reports.get(organisation_id), today)
            for organisation_id, approved_on in approvals.items()}


def approval_dates(organisation_ids: list[int]) -> dict[int, date]:
    """{organisation: first approval day of its current (latest version) approved signature}."""
    if not organisation_ids:
        return {}
    rows = db.session.execute(
        select(Signature.id, Signature.organisation_id, Signature.decided_at)
        .join(CharterVersion, CharterVersion.id == Signature.charter_version_id)
        .where(Signature.organisation_id.in_(organisation_ids),
               Signature.status == SignatureStatus.APPROVED)
        .order_by(Signature.organisation_id, CharterVersion.number.desc(), Signature.id.desc()))
    current = {}
    for row in rows:
        current.setdefault(row.organisation_id, row)
    # A suspension and reinstatement moves decided_at: the audit log keeps the first approval.
    first = dict(db.session.execute(
        select(AuditEntry.object_id, func.min(AuditEntry.created_at))
        .where(AuditEntry.action == "signature.approve", AuditEntry.object_type == "signature",
               AuditEntry.object_id.in_([str(row.id) for row in current.values()]))
        .group_by(AuditEntry.object_id)).all())
    return {organisation_id: _local_date(first.get(str(row.id)) or row.decided_at)
            for organisation_id, row in current.items()}


def last_report(organisation_id):
    """When the organisation last filed a report: its latest visible progress update (hidden
    updates and updates of hidden commitments do not count) or submitted annual report (an
    uploaded one creates no update). `organisation_id` may be a column, as in the register's
    read model (register/readmodel/sync.py)."""
    update = (select(func.max(ProgressUpdate.created_at))
              .join(Commitment, Commitment.id == ProgressUpdate.commitment_id)
              .where(Commitment.organisation_id == organisation_id,
                     Commitment.hidden_at.is_(None), ProgressUpdate.hidden_at.is_(None))
              .scalar_subquery())
    report = (select(func.max(AnnualReport.submitted_at))
              .where(AnnualReport.organisation_id == organisation_id,
                     AnnualReport.status == ReportStatus.SUBMITTED)
              .scalar_subquery())
    return case((update.is_(None), report), (or_(report.is_(None), update >= report), update),
                else_=report)


def last_report_dates(organisation_ids: list[int]) -> dict[int, date]:
    if not organisation_ids:
        return {}
    rows = db.session.execute(select(Organisation.id, last_report(Organisation.id))
                              .where(Organisation.id.in_(organisation_ids)))
    return {organisation_id: _local_date(filed) for organisation_id, filed in rows if filed}


def reminder_due(status: ReportingStatus, today: date) -> ReminderKind | None:
    days_left = (status.due_on - today).days
    if days_left < 0:
        return None
    for kind, window in REMINDERS:
        if days_left <= window:
            return kind
    return None


def send_reminders(today: date) -> int:
    """Queue the reminders due today, each committed with its ReminderSent row; returns how
    many organisations were reminded. Safe to run twice, even at the same time."""
    sent, after = 0, 0
    while True:
        batch = list(db.session.scalars(
            select(Signature.organisation_id).where(Signature.status == SignatureStatus.APPROVED,
                                                    Signature.organisation_id > after)
            .group_by(Signature.organisation_id).order_by(Signature.organisation_id)
            .limit(BATCH)))
        if not batch:
            return sent
        after = batch[-1]
        for organisation_id, status in reporting_statuses(batch, today).items():
            kind = reminder_due(status, today)
            if kind is not None and _remind(organisation_id, status, kind, today):
                sent += 1


def _remind(organisation_id: int, status: ReportingStatus, kind: ReminderKind,
            today: date) -> bool:
    db.session.add(ReminderSent(organisation_id=organisation_id, due_on=status.due_on,
                                kind=kind))
    try:
        db.session.flush()
    except IntegrityError:  # already sent, by an earlier or a concurrent run
        db.session.rollback()
        return False
    organisation = db.session.get(Organisation, organisation_id)
    mail_owners(organisation, "reminder_due", due_on=status.due_on,
                days_left=(status.due_on - today).days,
                link=external_url("commitments.index", organisation_id=organisation_id))
    db.session.commit()
    return True


def reporting_rules() -> dict:
    """The rules above, as the pages that say what signing commits to quote them."""
    return {"period_months": PERIOD_MONTHS, "late_after_days": LATE_AFTER_DAYS}
