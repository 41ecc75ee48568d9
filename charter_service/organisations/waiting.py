"""What waits for a person in organisations: an invitation to join one, sent to their address."""

from flask import url_for
from flask_babel import gettext as _

from .. import waiting
from .members import invitation_token, invitations_for


@waiting.provider
def invitations_to_join(user) -> list[waiting.WaitingItem]:
    return [waiting.WaitingItem(
        kind="organisation_invitation", urgency=waiting.Urgency.TO_DO,
        since=invitation.created_at,
        title=_("%(inviter)s vous invite à rejoindre %(name)s comme %(role)s.",
                inviter=invitation.invited_by.full_name if invitation.invited_by
                else _("Un responsable"),
                name=invitation.organisation.name, role=str(invitation.role.label).lower()),
        action=_("Acceptez l’invitation pour voir l’organisation et agir en son nom."),
        label=_("Voir l’invitation"),
        url=url_for("organisations.accept_invitation", token=invitation_token(invitation)))
        for invitation in invitations_for(user)]
