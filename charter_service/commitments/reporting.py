"""Reporting: an approved signatory owes a report every `REPORTING_CADENCE_MONTHS[kind]` months
(12 for a company, 24 for a public or non-profit body by default; the UN Global Compact's yearly
Communication on Progress is the model), and its reporting status follows from the due date.

The clock runs from the later of the first approval of the organisation's current approved
signature and the day its latest visible progress update was filed (the filing date, not the
date the update claims, so that a late report cannot be backdated).

The status is a function of the due date and today only (`status_ranges`): the register stores
the due date (`register_entries.report_due_on`) and filters on these ranges in SQL; this module is
the one place that says where each status starts and ends.
"""

import calendar
import functools
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.exc import IntegrityError

from ..audit.models import AuditEntry
from ..charters.models import CharterVersion
from ..enums import LabelledEnum
from ..extensions import db
from ..links import external_url
from ..organisations.models import Organisation, OrganisationKind
from ..signatures.models import Signature, SignatureStatus
from .annual.models import AnnualReport, AnnualReportStatus
from .mails import mail_owners
from .models import Commitment, ProgressUpdate, ReminderKind, ReminderSent

# (kind, days before the due date from which it is sent), the nearest first; negative: after.
REMINDERS = ((ReminderKind.AFTER_30, -30), (ReminderKind.DAYS_7, 7), (ReminderKind.DAYS_30, 30))
BATCH = 500


class ReportStatus(LabelledEnum):
    """The values are the URL's and the API's codes."""

    UP_TO_DATE = "a-jour"
    DUE = "attendu"
    LATE = "en-retard"
    NON_COMMUNICATING = "non-communicant"
    __labels__ = {
        "a-jour": _l("à jour"),
        "attendu": _l("bilan attendu"),
        "en-retard": _l("en retard"),
        "non-communicant": _l("non communicant"),
    }


class ReportingStatus(NamedTuple):
    due_on: date
    status: ReportStatus
    # The day the status began, for « en retard » and « non communicant » (else None).
    since: date | None

    @property
    def late(self) -> bool:
        return self.status in (ReportStatus.LATE, ReportStatus.NON_COMMUNICATING)


def add_months(day: date, months: int) -> date:
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _local_date(moment: datetime) -> date:
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Paris"))
    return moment.astimezone(zone).date()


def cadence_months(kind: OrganisationKind | str) -> int:
    cadences = current_app.config["REPORTING_CADENCE_MONTHS"]
    return int(cadences.get(OrganisationKind(kind).value, 12))


def non_communicating_months() -> int:
    return int(current_app.config["REPORTING_NON_COMMUNICATING_MONTHS"])


def due_window_days() -> int:
    return int(current_app.config["REPORTING_DUE_WINDOW_DAYS"])


def due_date(kind: OrganisationKind | str, approved_on: date, last_report_on: date | None) -> date:
    """The one rule for the due date, from the first approval day and the filing day of the
    latest report."""
    return add_months(max(approved_on, last_report_on or approved_on), cadence_months(kind))


def _last_due_non_communicating(today: date, months: int) -> date:
    """The latest due date that makes a signatory « non communicant » today: the largest D
    with add_months(D, N) <= today (add_months clamps to the month's end, so it is not simply
    add_months(today, -N): due on 29 February 2024, non-communicating from 28 February 2025)."""
    last = add_months(today, -months)
    while add_months(last + timedelta(days=1), months) <= today:
        last += timedelta(days=1)
    return last


def status_ranges(today: date) -> Mapping[ReportStatus, tuple[date | None, date | None]]:
    """{status: (first, last) due date giving it today, inclusive; None: unbounded}."""
    return _ranges(today, due_window_days(), non_communicating_months())


@functools.lru_cache(maxsize=64)
def _ranges(today: date, window: int, months: int) -> Mapping:
    """Kept per day and settings: a register page asks for the status of each of its rows."""
    last_non_communicating = _last_due_non_communicating(today, months)
    return MappingProxyType({
        ReportStatus.UP_TO_DATE: (today + timedelta(days=window + 1), None),
        ReportStatus.DUE: (today, today + timedelta(days=window)),
        ReportStatus.LATE: (last_non_communicating + timedelta(days=1),
                            today - timedelta(days=1)),
        ReportStatus.NON_COMMUNICATING: (None, last_non_communicating),
    })


def _in_range(due_on: date, first: date | None, last: date | None) -> bool:
    return (first is None or due_on >= first) and (last is None or due_on <= last)


def status_of(due_on: date, today: date) -> ReportingStatus:
    status = next(status for status, (first, last) in status_ranges(today).items()
                  if _in_range(due_on, first, last))
    since = None
    if status == ReportStatus.LATE:
        since = due_on + timedelta(days=1)
    elif status == ReportStatus.NON_COMMUNICATING:
        since = add_months(due_on, non_communicating_months())
    return ReportingStatus(due_on, status, since)


def status_condition(column, status: ReportStatus, today: date):
    """SQL: the due date `column` gives `status` today."""
    first, last = status_ranges(today)[status]
    parts = []
    if first is not None:
        parts.append(column >= first)
    if last is not None:
        parts.append(column <= last)
    return and_(*parts)


def status_case(column, today: date):
    """SQL: the status code of the due date `column` today."""
    return case(*((status_condition(column, status, today), literal(status.value))
                  for status in ReportStatus if status != ReportStatus.UP_TO_DATE),
                else_=literal(ReportStatus.UP_TO_DATE.value))


def reporting_status(organisation: Organisation, today: date) -> ReportingStatus | None:
    """None unless the organisation has an approved signature."""
    return reporting_statuses([organisation.id], today).get(organisation.id)


def reporting_statuses(organisation_ids: list[int], today: date) -> dict[int, ReportingStatus]:
    approvals = approval_dates(organisation_ids)
    reports = last_report_dates(list(approvals))
    kinds = dict(db.session.execute(select(Organisation.id, Organisation.kind)
                                    .where(Organisation.id.in_(list(approvals)))).all()) \
        if approvals else {}
    return {organisation_id: status_of(
                due_date(kinds[organisation_id], approved_on, reports.get(organisation_id)),
                today)
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
                     AnnualReport.status == AnnualReportStatus.SUBMITTED)
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
    """The reminder whose window holds today: 30 days before the due date to 8 days before,
    7 days before to the due day, 30 days after it until the status turns « non communicant »
    (the moderators take over). A run missed is made up the next day, within the window."""
    days_left = (status.due_on - today).days
    if days_left <= -30:
        return (ReminderKind.AFTER_30 if status.status == ReportStatus.LATE else None)
    for kind, window in REMINDERS:
        if 0 <= days_left <= window:
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
    mail_owners(organisation, "reminder_late" if kind == ReminderKind.AFTER_30
                else "reminder_due", due_on=status.due_on,
                days_left=(status.due_on - today).days,
                days_late=(today - status.due_on).days,
                non_communicating_on=add_months(status.due_on, non_communicating_months()),
                non_communicating_months=non_communicating_months(),
                link=external_url("commitments.index", organisation_id=organisation_id))
    db.session.commit()
    return True


def reporting_rules() -> dict:
    """The rules above, as the pages that say what signing commits to quote them."""
    groups: dict[int, list[str]] = {}
    for kind in OrganisationKind:
        groups.setdefault(cadence_months(kind), []).append(str(kind.label).lower())
    return {"cadence_groups": [(months, ", ".join(kinds))
                               for months, kinds in sorted(groups.items())],
            "non_communicating_months": non_communicating_months(),
            "due_window_days": due_window_days()}
