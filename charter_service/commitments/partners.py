"""Joint commitments: invite signatories as partners, who confirm or decline; outside partners."""

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from .. import signals
from ..accounts.models import User
from ..db_types import utcnow
from ..extensions import db
from ..links import external_url
from ..organisations.models import Organisation
from ..signatures.models import Signature
from .mails import mail_owners
from .models import Commitment, CommitmentPartner, PartnerStatus
from .services import RECORDING_STATUSES, CommitmentError, is_signatory

SEARCH_LIMIT = 20
MAX_ID = 2**31 - 1  # larger ids cannot exist: the database would refuse the comparison
OUTSIDE_NAME_MAX = 200
# What the invited organisation may do, from which states of its partnership.
PARTNER_ACTIONS = {
    "confirm": frozenset({PartnerStatus.INVITED}),
    "decline": frozenset({PartnerStatus.INVITED}),
    "leave": frozenset({PartnerStatus.CONFIRMED}),
    "confirm_updates": frozenset({PartnerStatus.CONFIRMED}),
}


def search_signatories(query: str, exclude: set[int]) -> list[Organisation]:
    """Signatories (pending or approved) whose name contains the query, accents ignored."""
    text = " ".join((query or "").split())[:100]
    if len(text) < 2:
        return []
    conditions = [Organisation.name.ilike("%" + _escape_like(text) + "%", escape="\\")]
    folded = _fold(text)
    if folded:
        conditions.append(Organisation.slug.contains(folded, autoescape=True))
    signatories = select(Signature.organisation_id).where(
        Signature.status.in_(RECORDING_STATUSES))
    return list(db.session.scalars(
        select(Organisation).where(Organisation.id.in_(signatories), or_(*conditions),
                                   Organisation.id.not_in(exclude or {0}))
        .order_by(Organisation.name, Organisation.id).limit(SEARCH_LIMIT)))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fold(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def invite_partner(commitment: Commitment, partner_id: int | None, user: User) -> CommitmentPartner:
    valid_id = isinstance(partner_id, int) and 0 < partner_id <= MAX_ID
    partner = db.session.get(Organisation, partner_id) if valid_id else None
    if partner is None or not is_signatory(partner.id):
        raise CommitmentError(_l("Seules les organisations signataires de la charte peuvent "
                                 "être invitées comme partenaires. Une organisation qui n’a pas "
                                 "signé peut être nommée comme partenaire extérieur."),
                              "organisation_id")
    if partner.id == commitment.organisation_id:
        raise CommitmentError(_l("Votre organisation porte déjà cet engagement."),
                              "organisation_id")
    if any(p.organisation_id == partner.id for p in commitment.partners):
        raise CommitmentError(_l("%(name)s figure déjà parmi les partenaires de cet "
                                 "engagement.", name=partner.name), "organisation_id")
    row = CommitmentPartner(organisation=partner, status=PartnerStatus.INVITED,
                            invited_by_id=user.id)
    commitment.partners.append(row)
    db.session.flush()
    signals.commitment_changed.send(commitment, actor=user)
    _mail_invitation(commitment, partner)
    return row


def _mail_invitation(commitment: Commitment, partner: Organisation) -> None:
    mail_owners(partner, "commitment_invitation", inviter=commitment.organisation.name,
                title=commitment.title,
                link=external_url("commitments.index", organisation_id=partner.id))


def add_outside_partner(commitment: Commitment, name: str, user: User) -> CommitmentPartner:
    name = " ".join((name or "").split())
    if not name:
        raise CommitmentError(_l("Indiquez le nom du partenaire extérieur."), "outside_name")
    if len(name) > OUTSIDE_NAME_MAX:
        raise CommitmentError(_l("%(n)s caractères au plus.", n=OUTSIDE_NAME_MAX), "outside_name")
    if any(p.display_name.casefold() == name.casefold() for p in commitment.partners):
        raise CommitmentError(_l("Ce partenaire figure déjà dans la liste."), "outside_name")
    row = CommitmentPartner(outside_name=name, status=None, invited_by_id=user.id)
    commitment.partners.append(row)
    db.session.flush()
    signals.commitment_changed.send(commitment, actor=user)
    return row


def remove_partner(partner: CommitmentPartner, user: User) -> None:
    commitment = partner.commitment
    db.session.delete(partner)
    db.session.flush()
    signals.commitment_changed.send(commitment, actor=user)


def partner_actions(partner: CommitmentPartner) -> list[str]:
    """What the partnership's state allows: what its page offers as buttons."""
    return [action for action, states in PARTNER_ACTIONS.items() if partner.status in states]


def decide(partner: CommitmentPartner, accept: bool, user: User) -> None:
    """The invited organisation's answer; a confirmed partner may still withdraw (decline)."""
    answers = {"confirm"} if accept else {"decline", "leave"}
    if not answers & set(partner_actions(partner)):
        raise CommitmentError(_l("Cette invitation a déjà reçu une réponse."))
    partner.status = PartnerStatus.CONFIRMED if accept else PartnerStatus.DECLINED
    partner.decided_at = utcnow()
    partner.decided_by_id = user.id
    db.session.flush()
    signals.commitment_changed.send(partner.commitment, actor=user)


def partnership_of(organisation: Organisation, commitment_id: int,
                   statuses=(PartnerStatus.INVITED, PartnerStatus.CONFIRMED)
                   ) -> CommitmentPartner | None:
    """This organisation's partnership in someone else's commitment: a forged id finds nothing."""
    return db.session.scalar(
        select(CommitmentPartner).join(Commitment)
        .where(CommitmentPartner.commitment_id == commitment_id,
               CommitmentPartner.organisation_id == organisation.id,
               CommitmentPartner.status.in_(statuses), Commitment.hidden_at.is_(None)))


def partnerships_of(organisation: Organisation, status: PartnerStatus) -> list[CommitmentPartner]:
    return list(db.session.scalars(
        select(CommitmentPartner).join(Commitment)
        .where(CommitmentPartner.organisation_id == organisation.id,
               CommitmentPartner.status == status, Commitment.hidden_at.is_(None))
        .options(joinedload(CommitmentPartner.commitment).joinedload(Commitment.organisation))
        .order_by(CommitmentPartner.invited_at.desc(), CommitmentPartner.id.desc())))
