"""Escalation of a missing report, a moderator's decision: the list of non-communicating
signatories (/moderation/bilans-manquants), the suspension « pour défaut de bilan » through the
signature workflow, and its lifting by the next report.

The cause is recorded in its own table, `report_suspensions`, one row per signature suspended
for a missing report, kept while that suspension lasts (any later transition of the signature
removes it). A column on `signatures` would have needed a rebuild of that table on SQLite,
whose foreign keys the attestations hang on, and every transition to clear it; here the
workflow stays unaware of causes, and the suspension is lifted only when its row is there: a
moderator's other suspension never is.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from .. import signals
from ..accounts.models import User
from ..commitments.models import ReminderKind, ReminderSent
from ..commitments.reporting import (
    BATCH,
    ReportingStatus,
    ReportStatus,
    last_report_dates,
    reporting_statuses,
)
from ..dates import written_date
from ..db_types import UTCDateTime, utcnow
from ..domain import DomainError
from ..extensions import db
from ..organisations.models import Organisation
from ..signatures.models import Signature, SignatureStatus
from ..signatures.revocation import RevocationLabel
from ..signatures.workflow import Transition, apply

# The audit entry's reason code of a suspension for missing report.
REASON_CODE = "missing_report"


class ReportSuspension(db.Model):
    """A signature suspended for a missing report, while that suspension lasts."""

    __tablename__ = "report_suspensions"

    signature_id: Mapped[int] = mapped_column(
        ForeignKey("signatures.id", ondelete="CASCADE"), primary_key=True)
    # The due date that was missed.
    due_on: Mapped[date] = mapped_column(Date)
    suspended_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    suspended_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))


class MissingReportError(DomainError):
    pass


@dataclass(frozen=True)
class MissingReport:
    organisation: Organisation
    signature: Signature
    status: ReportingStatus
    last_report_on: date | None
    reminders: list[ReminderKind]


def non_communicating(today: date) -> list[MissingReport]:
    """Approved signatories « non communicant » today, the longest silent first."""
    found: dict[int, ReportingStatus] = {}
    after = 0
    while True:
        batch = list(db.session.scalars(
            select(Signature.organisation_id).where(Signature.status == SignatureStatus.APPROVED,
                                                    Signature.organisation_id > after)
            .group_by(Signature.organisation_id).order_by(Signature.organisation_id)
            .limit(BATCH)))
        if not batch:
            break
        after = batch[-1]
        found |= {organisation_id: status for organisation_id, status
                  in reporting_statuses(batch, today).items()
                  if status.status == ReportStatus.NON_COMMUNICATING}
    if not found:
        return []
    organisations = {o.id: o for o in db.session.scalars(
        select(Organisation).where(Organisation.id.in_(list(found))))}
    signatures = {}
    for signature in db.session.scalars(
            select(Signature).where(Signature.organisation_id.in_(list(found)),
                                    Signature.status == SignatureStatus.APPROVED)
            .order_by(Signature.id)):
        signatures[signature.organisation_id] = signature  # the latest approved
    reports = last_report_dates(list(found))
    reminders: dict[tuple[int, date], list[ReminderKind]] = {}
    for row in db.session.scalars(select(ReminderSent).where(
            ReminderSent.organisation_id.in_(list(found))).order_by(ReminderSent.sent_at)):
        reminders.setdefault((row.organisation_id, row.due_on), []).append(row.kind)
    return sorted((MissingReport(organisations[i], signatures[i], status, reports.get(i),
                                 reminders.get((i, status.due_on), []))
                   for i, status in found.items()),
                  key=lambda row: (row.status.due_on, row.organisation.name))


def suspend_for_missing_report(signature: Signature, moderator: User, today: date, *,
                               seen_version: int | None) -> ReportSuspension:
    """The moderator's decision, through the workflow (its neutral public wording, its audit
    entry, the attestation revoked, the e-mail), with its cause recorded; flushes only."""
    status = reporting_statuses([signature.organisation_id], today).get(signature.organisation_id)
    if status is None or status.status != ReportStatus.NON_COMMUNICATING:
        raise MissingReportError(_l("Cette organisation n’est plus non communicante : "
                                    "sa signature n’a pas été suspendue."))
    apply(signature, Transition.SUSPEND, actor=moderator, seen_version=seen_version,
          reason=_("Aucun bilan n’a été publié depuis l’échéance du %(date)s : la signature "
                   "est suspendue pour défaut de bilan. Elle sera rétablie dès que votre "
                   "organisation publiera un avancement sur l’un de ses engagements.",
                   date=written_date(status.due_on)),
          reason_code=REASON_CODE, public_label=RevocationLabel.SUSPENDED)
    suspension = ReportSuspension(signature_id=signature.id, due_on=status.due_on,
                                  suspended_by_id=moderator.id)
    db.session.add(suspension)
    db.session.flush()
    return suspension


def suspended_for_missing_report() -> list[tuple[ReportSuspension, Signature]]:
    return list(db.session.execute(
        select(ReportSuspension, Signature).join(Signature,
                                                 Signature.id == ReportSuspension.signature_id)
        .order_by(ReportSuspension.suspended_at)))


@signals.report_filed.connect
def _lift_on_report(organisation: Organisation, *, actor=None, **_kwargs) -> None:
    """The next report lifts a suspension for missing report, and only that one: one
    reinstatement through the workflow (its audit entry, the attestation issued again) in the
    transaction that filed the report; the actor is the member who filed it, or the system."""
    rows = db.session.execute(
        select(ReportSuspension, Signature)
        .join(Signature, Signature.id == ReportSuspension.signature_id)
        .where(Signature.organisation_id == organisation.id)).all()
    for suspension, signature in rows:
        db.session.delete(suspension)
        db.session.flush()
        if signature.status == SignatureStatus.SUSPENDED:
            apply(signature, Transition.REINSTATE, actor=actor,
                  reason=_("Un bilan a été publié : la suspension pour défaut de bilan est "
                           "levée."))


@signals.signature_transitioned.connect
def _forget_ended_suspension(signature: Signature, *, transition, **_kwargs) -> None:
    """A suspension for missing report ends with any other transition (a moderator's
    reinstatement, a withdrawal): its cause goes with it."""
    if transition != Transition.SUSPEND:
        db.session.execute(delete(ReportSuspension).where(
            ReportSuspension.signature_id == signature.id))
