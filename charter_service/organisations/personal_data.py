"""An account's memberships in its personal data; its erasure refused while it is the last
owner of an organisation, else its memberships and the invitations sent to it removed."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import aliased

from .. import signals
from ..domain import DomainError
from ..extensions import db
from .models import Invitation, MemberRole, Membership, Organisation


@signals.personal_data_requested.connect
def _memberships(user) -> tuple[str, list[dict]]:
    rows = db.session.execute(
        select(Membership, Organisation).join(Organisation)
        .where(Membership.user_id == user.id).order_by(Membership.id)).all()
    return "memberships", [
        {"organisation": {"id": organisation.id, "name": organisation.name,
                          "slug": organisation.slug},
         "role": membership.role.value, "since": membership.created_at.isoformat()}
        for membership, organisation in rows]


def _last_owned(user) -> Organisation | None:
    """An organisation of which `user` is the only owner (its row locked, on PostgreSQL)."""
    owner = aliased(Membership)
    others = (select(func.count(owner.id)).where(
        owner.organisation_id == Organisation.id, owner.role == MemberRole.OWNER,
        owner.user_id != user.id).correlate(Organisation).scalar_subquery())
    return db.session.scalar(
        select(Organisation).join(Membership)
        .where(Membership.user_id == user.id, Membership.role == MemberRole.OWNER, others == 0)
        .order_by(Organisation.id).limit(1).with_for_update(of=Organisation))


@signals.account_erasing.connect
def _leave_organisations(user, *, email: str, **_) -> None:
    organisation = _last_owned(user)
    if organisation is not None:
        raise DomainError(_l(
            "Ce compte est le dernier responsable de l’organisation « %(name)s » : un autre "
            "responsable doit d’abord être désigné (page « Membres »), ou l’organisation "
            "fermée à la demande de l’équipe de modération.", name=organisation.name))
    db.session.execute(delete(Membership).where(Membership.user_id == user.id),
                       execution_options={"synchronize_session": "fetch"})
    db.session.execute(delete(Invitation).where(func.lower(Invitation.email) == email.lower(),
                                                Invitation.accepted_at.is_(None)),
                       execution_options={"synchronize_session": "fetch"})
