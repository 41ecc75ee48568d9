"""Members of an organisation: invitations by e-mail, roles, removal; never without an owner."""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from ..accounts.models import User
from ..db_types import utcnow
from ..domain import DomainError
from ..extensions import db
from ..links import external_url
from ..mailing import services as mailing
from ..typography import of
from .models import Invitation, MemberRole, Membership, Organisation

INVITATION_SALT = "invitation"


class MembershipRefused(DomainError):
    """A refused member action; the message is shown as is."""

    def __init__(self, message: str, status: int = 400, field: str | None = None) -> None:
        super().__init__(message, field)
        self.status = status


def members_of(organisation: Organisation) -> list[Membership]:
    return list(db.session.scalars(
        select(Membership).join(Membership.user)
        .where(Membership.organisation_id == organisation.id)
        .order_by(Membership.role != MemberRole.OWNER, func.lower(User.full_name), User.id)))


def pending_invitations(organisation: Organisation) -> list[Invitation]:
    """Invitations neither accepted nor expired, newest first."""
    return list(db.session.scalars(
        select(Invitation)
        .where(Invitation.organisation_id == organisation.id, Invitation.accepted_at.is_(None),
               Invitation.created_at >= _oldest_valid())
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())))


def invite(organisation: Organisation, email: str, role: MemberRole, inviter: User,
           template: str = "organisation_invitation", **context) -> Invitation:
    """`template` and `context`: another e-mail, for an invitation with a story to tell."""
    email = email.strip()
    if _member_by_email(organisation, email) is not None:
        raise MembershipRefused(_("%(email)s est déjà membre de cette organisation.",
                                  email=email), field="email")
    invitation = Invitation(organisation=organisation, email=email, role=role, invited_by=inviter)
    db.session.add(invitation)
    db.session.flush()
    link = external_url("organisations.accept_invitation", token=invitation_token(invitation))
    invitee = _user_by_email(email)
    mailing.queue(
        email, template, locale=(invitee or inviter).locale,
        organisation_name=organisation.name, inviter_name=inviter.full_name,
        role_label=role.label, link=link,
        days=current_app.config["INVITATION_MAX_AGE"] // 86400, **context)
    return invitation


def invitation_from_token(token: str) -> Invitation:
    try:
        invitation_id = _serializer().loads(
            token, max_age=current_app.config["INVITATION_MAX_AGE"])
    except SignatureExpired as exc:
        raise _expired() from exc
    except BadSignature as exc:
        raise MembershipRefused(_("Ce lien d’invitation n’est pas valide. Vérifiez que vous avez "
                                  "copié l’adresse complète reçue par e-mail.")) from exc
    invitation = db.session.get(Invitation, invitation_id) if isinstance(
        invitation_id, int) else None
    if invitation is None:
        raise MembershipRefused(_("Cette invitation n’existe plus."), 404)
    if invitation.created_at < _oldest_valid():  # a link re-issued by the space: same expiry
        raise _expired()
    return invitation


def _expired() -> MembershipRefused:
    return MembershipRefused(_("Ce lien d’invitation a expiré. Demandez aux responsables de "
                               "l’organisation de vous inviter à nouveau."), 410)


def invitation_token(invitation: Invitation) -> str:
    """The accept link's token; the invitation expires with its creation, whatever the link."""
    return _serializer().dumps(invitation.id)


def invitations_for(user: User) -> list[Invitation]:
    """The open invitations sent to the user's address, to organisations they are not in."""
    member_of = select(Membership.organisation_id).where(Membership.user_id == user.id)
    return list(db.session.scalars(
        select(Invitation).join(Invitation.organisation)
        .where(func.lower(Invitation.email) == user.email.lower(),
               Invitation.accepted_at.is_(None), Invitation.created_at >= _oldest_valid(),
               Invitation.organisation_id.not_in(member_of))
        .options(contains_eager(Invitation.organisation), joinedload(Invitation.invited_by))
        .order_by(Invitation.created_at, Invitation.id)))


def _oldest_valid():
    return utcnow() - timedelta(seconds=current_app.config["INVITATION_MAX_AGE"])


def check_invitation(invitation: Invitation, user: User) -> None:
    if invitation.accepted_at is not None:
        raise MembershipRefused(_("Cette invitation a déjà été utilisée. Si vous n’êtes pas "
                                  "membre de l’organisation, demandez une nouvelle invitation."),
                                410)
    if user.email.lower() != invitation.email.lower():
        raise MembershipRefused(_(
            "Cette invitation a été envoyée à une autre adresse e-mail que celle de votre "
            "compte (%(email)s). Déconnectez-vous, puis connectez-vous avec le compte de "
            "l’adresse qui a reçu l’invitation.", email=user.email), 403)
    if _member_by_email(invitation.organisation, user.email) is not None:
        raise MembershipRefused(_("Vous êtes déjà membre %(of_name)s.",
                                  of_name=of(invitation.organisation)), 200)


def accept_invitation(invitation: Invitation, user: User) -> Membership:
    check_invitation(invitation, user)
    used = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=utcnow(), accepted_by_id=user.id)
        .execution_options(synchronize_session=False))
    if used.rowcount != 1:
        raise MembershipRefused(_("Cette invitation a déjà été utilisée."), 410)
    membership = Membership(user=user, organisation_id=invitation.organisation_id,
                            role=invitation.role)
    db.session.add(membership)
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise MembershipRefused(_("Vous êtes déjà membre de cette organisation."), 200) from exc
    return membership


def change_role(membership: Membership, role: MemberRole, actor: User) -> None:
    if membership.role == MemberRole.OWNER and role != MemberRole.OWNER:
        _keep_an_owner(membership)
    membership.role = role
    db.session.flush()


def remove_member(membership: Membership, actor: User) -> None:
    if membership.role == MemberRole.OWNER:
        _keep_an_owner(membership)
    db.session.delete(membership)
    db.session.flush()


def _keep_an_owner(leaving: Membership) -> None:
    # Lock the organisation row (PostgreSQL) so two owners cannot demote each other at once.
    db.session.execute(select(Organisation.id)
                       .where(Organisation.id == leaving.organisation_id).with_for_update())
    other_owners = db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.organisation_id == leaving.organisation_id,
            Membership.role == MemberRole.OWNER, Membership.id != leaving.id))
    if not other_owners:
        raise MembershipRefused(_(
            "%(name)s est le dernier responsable de l’organisation : désignez d’abord un autre "
            "responsable.", name=leaving.user.full_name), 409)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT)


def _user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))


def _member_by_email(organisation: Organisation, email: str) -> Membership | None:
    return db.session.scalar(
        select(Membership).join(Membership.user)
        .where(Membership.organisation_id == organisation.id,
               func.lower(User.email) == email.lower()))
