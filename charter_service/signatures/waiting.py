"""What waits for a person in signatures: changes the moderators asked for, a signature to sign
as the organisation's named representative, a representative who has not signed yet."""

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import waiting
from ..dates import written_date
from ..extensions import db
from ..organisations.models import MemberRole, Membership
from ..typography import of
from . import representative
from .models import Signature, SignatureStatus

S = SignatureStatus


def _owned_signatures(user, status: SignatureStatus) -> list[Signature]:
    owned = select(Membership.organisation_id).where(Membership.user_id == user.id,
                                                     Membership.role == MemberRole.OWNER)
    return list(db.session.scalars(
        select(Signature).where(Signature.organisation_id.in_(owned), Signature.status == status)
        .options(joinedload(Signature.organisation), joinedload(Signature.charter_version))
        .order_by(Signature.id)))


@waiting.provider
def changes_requested(user) -> list[waiting.WaitingItem]:
    return [waiting.WaitingItem(
        kind="changes_requested", urgency=waiting.Urgency.TO_DO, since=signature.decided_at,
        title=_("L’équipe de modération demande des modifications avant d’approuver la "
                "signature de la charte au nom %(of_name)s.",
                of_name=of(signature.organisation)),
        detail=signature.reason,
        action=_("Corrigez ce qui est demandé, puis soumettez à nouveau : la signature "
                 "repassera en modération."),
        label=_("Corriger et soumettre à nouveau"),
        url=url_for("signatures.resubmit", organisation_id=signature.organisation_id,
                    signature_id=signature.id))
        for signature in _owned_signatures(user, S.CHANGES_REQUESTED)]


@waiting.provider
def awaiting_representative(user) -> list[waiting.WaitingItem]:
    """For the owners: the representative they named has not signed yet."""
    return [waiting.WaitingItem(
        kind="awaiting_representative", urgency=waiting.Urgency.FOLLOW_UP,
        since=signature.link_sent_at,
        title=_("La signature au nom %(of_name)s attend %(person)s (%(function)s).",
                of_name=of(signature.organisation), person=signature.signatory_name,
                function=signature.signatory_function),
        action=_("Un lien lui a été envoyé le %(date)s. Sans nouvelles, renvoyez-le ou "
                 "changez de représentant depuis la fiche ci-dessous.",
                 date=written_date(signature.link_sent_at)),
        label=_("Renvoyer le lien"), method="post",
        fields=(("lock_version", str(signature.lock_version)),),
        url=url_for("signatures.resend_link", organisation_id=signature.organisation_id,
                    signature_id=signature.id))
        for signature in _owned_signatures(user, S.AWAITING_REPRESENTATIVE)]


@waiting.provider
def to_sign_as_representative(user) -> list[waiting.WaitingItem]:
    """A signature prepared with this person's address as the representative's. Their
    confirmed account proves the address as the e-mailed link does: the page opens here."""
    signatures = db.session.scalars(
        select(Signature).where(Signature.status == S.AWAITING_REPRESENTATIVE,
                                func.lower(Signature.signatory_email) == user.email.lower())
        .options(joinedload(Signature.organisation), joinedload(Signature.charter_version),
                 joinedload(Signature.submitted_by))
        .order_by(Signature.id))
    return [_to_sign(signature) for signature in signatures]


def _to_sign(signature: Signature) -> waiting.WaitingItem:
    preparer = signature.submitted_by.full_name if signature.submitted_by else _("un membre")
    expired = representative.link_expired(signature)
    return waiting.WaitingItem(
        kind="representative_signature", urgency=waiting.Urgency.TO_DO,
        since=signature.link_sent_at or signature.signed_at,
        title=_("%(preparer)s vous demande de signer la charte au nom %(of_name)s, comme "
                "%(function)s.", preparer=preparer, of_name=of(signature.organisation),
                function=signature.signatory_function),
        action=_("Le lien de signature a expiré : demandez à %(preparer)s de vous en envoyer "
                 "un nouveau.", preparer=preparer) if expired else
        _("Lisez la version %(number)s de la charte, puis signez ou déclinez.",
          number=signature.charter_version.number),
        label=_("Lire la charte et signer"),
        url=None if expired else url_for("representative.page",
                                         token=representative.link_token(signature)))
