"""What waits for a member in commitments: a partnership to confirm (owners, who speak for the
organisation) and the annual report when it falls due or is late (every member may file it)."""

from datetime import datetime, time

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import waiting
from ..dates import written_date
from ..db_types import PARIS
from ..extensions import db
from ..organisations.models import MemberRole, Membership, Organisation
from ..typography import of
from .models import Commitment, CommitmentPartner, PartnerStatus
from .progress import local_today
from .reporting import ReportingStatus, ReportStatus, reporting_statuses


@waiting.provider
def partner_invitations(user) -> list[waiting.WaitingItem]:
    owned = select(Membership.organisation_id).where(Membership.user_id == user.id,
                                                     Membership.role == MemberRole.OWNER)
    rows = db.session.scalars(
        select(CommitmentPartner).join(Commitment)
        .where(CommitmentPartner.organisation_id.in_(owned),
               CommitmentPartner.status == PartnerStatus.INVITED, Commitment.hidden_at.is_(None))
        .options(joinedload(CommitmentPartner.organisation),
                 joinedload(CommitmentPartner.commitment).joinedload(Commitment.organisation))
        .order_by(CommitmentPartner.id))
    return [waiting.WaitingItem(
        kind="partner_invitation", urgency=waiting.Urgency.TO_DO, since=row.invited_at,
        title=_("« %(inviter)s » invite « %(name)s » à s’associer à son engagement "
                "« %(title)s ».", inviter=row.commitment.organisation.name,
                name=row.organisation.name, title=row.commitment.title),
        action=_("Lisez l’engagement, puis confirmez le partenariat ou déclinez-le."),
        label=_("Lire l’engagement et répondre"),
        url=url_for("commitments.detail", organisation_id=row.organisation_id,
                    commitment_id=row.commitment_id))
        for row in rows]


@waiting.provider
def reports_due(user) -> list[waiting.WaitingItem]:
    organisations = {organisation.id: organisation for organisation in db.session.scalars(
        select(Organisation).join(Membership).where(Membership.user_id == user.id))}
    today = local_today()
    statuses = reporting_statuses(list(organisations), today)
    return [_report_item(organisations[organisation_id], status)
            for organisation_id, status in sorted(statuses.items())
            if status.status != ReportStatus.UP_TO_DATE]


def _report_item(organisation: Organisation, status: ReportingStatus) -> waiting.WaitingItem:
    due = written_date(status.due_on)
    if status.status == ReportStatus.NON_COMMUNICATING:
        title = _("Le bilan annuel %(of_name)s était attendu le %(date)s : le registre "
                  "public la signale comme non communicante depuis le %(since)s.",
                  of_name=of(organisation), date=due, since=written_date(status.since))
    elif status.late:
        title = _("Le bilan annuel %(of_name)s était attendu le %(date)s\u202f: le registre "
                  "public le signale comme en retard.", of_name=of(organisation), date=due)
    else:
        title = _("Le bilan annuel %(of_name)s est attendu au plus tard le %(date)s.",
                  of_name=of(organisation), date=due)
    return waiting.WaitingItem(
        kind="report_due", since=datetime.combine(status.due_on, time(), PARIS),
        urgency=waiting.Urgency.LATE if status.late else waiting.Urgency.TO_DO,
        status=str(status.status.label),
        title=title,
        action=_("Rédigez le bilan annuel, pré-rempli avec ses engagements, ou déposez un "
                 "rapport existant."),
        label=_("Rédiger le bilan annuel"),
        url=url_for("commitments.annual_current", organisation_id=organisation.id))
