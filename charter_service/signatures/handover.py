"""Hand-over of an approved signature to a successor named by the organisation (a new mayor
after an election, a new director).

An owner names the successor; the successor receives a link of the same kind as the
representative's (representative.py: signed, bound to their address and to a nonce kept on
the signature, single-use, expiring) and confirms on a page that acts only on a button, or
declines. On confirmation the signature stays approved with its dates; its signatory becomes
the successor, the attestation is superseded by one naming them (signals.signature_handed_over)
and the former representative's name is kept only in the audit log's erasable part. One
hand-over waits at a time; every step names the lock version its page showed. A moderator may
contest a hand-over: the signature is suspended through the workflow. Functions flush only.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import signals
from ..accounts.models import User
from ..audit import services as audit
from ..audit.models import AuditEntry
from ..db_types import utcnow
from ..domain import DomainError
from ..extensions import db
from ..links import external_url
from ..mailing.services import queue
from ..typography import of
from . import workflow
from .models import Identification, Signature, SignatureStatus
from .representative import (
    LinkError,
    check_link,
    flush_checked,
    link_days,
    make_link,
    new_nonce,
    read_link,
)
from .revocation import RevocationLabel

PURPOSE = "signatures.handover"
S = SignatureStatus
# Actions after which the hand-over waits; the latest one's actor is who asked for it.
ASKED = ("signature.handover_request", "signature.handover_changed",
         "signature.handover_resent")
HISTORY = ASKED + ("signature.handover_cancel", "signature.handover_decline",
                   "signature.handover")

NOT_APPROVED = _l("Seule une signature approuvée peut changer de représentant légal : rien "
                  "n’a été modifié.")
NONE_WAITING = _l("Aucune passation n’attend de confirmation pour cette signature : rien n’a "
                  "été modifié.")
SAME_PERSON = _l("Cette adresse est celle du représentant actuel : indiquez celle de la "
                 "personne qui lui succède.")
STALE = _l("Cette signature a été modifiée entre-temps (par le successeur ou un autre membre) "
           ": rien n’a été enregistré. Rechargez la page.")
USED = _l("Ce lien a déjà servi, ou la passation a été annulée : il ne peut plus être "
          "utilisé.")
CHANGED = _l("La passation a été modifiée pendant que vous la lisiez (un nouveau lien a été "
             "envoyé, le successeur a changé ou la passation a été annulée) : rien n’a été "
             "enregistré. Utilisez le dernier lien reçu par e-mail, s’il y en a un.")
NOT_CONTESTABLE = _l("Cette signature n’a connu aucune passation : il n’y a rien à contester.")


def ask(signature: Signature, data: dict, user: User, seen_version: int) -> None:
    """The owner names a successor; the successor is sent the link."""
    if signature.status != S.APPROVED:
        raise DomainError(NOT_APPROVED)
    if signature.successor_nonce is not None:
        raise DomainError(_l("Une passation attend déjà la confirmation %(of_name)s : "
                             "renvoyez-lui le lien, changez de successeur ou annulez-la.",
                             of_name=of(signature.successor_name)))
    _check_lock(signature, seen_version)
    _name_successor(signature, data)
    flush_checked(STALE)
    audit.record("signature.handover_request", "signature", signature.id, actor=user,
                 before={}, after={"status": signature.status.value},
                 personal={"successor": _successor(signature)})
    _send_link(signature, user)


def change(signature: Signature, data: dict, user: User, seen_version: int) -> None:
    """Another successor (or the same one corrected); only the new link works."""
    _check_waiting(signature, seen_version)
    before = _successor(signature)
    _name_successor(signature, data)
    flush_checked(STALE)
    audit.record("signature.handover_changed", "signature", signature.id, actor=user,
                 before={}, after={"status": signature.status.value},
                 personal={"before": before, "after": _successor(signature)})
    _send_link(signature, user)


def resend(signature: Signature, user: User, seen_version: int) -> None:
    """A new link to the same successor; the previous one stops working."""
    _check_waiting(signature, seen_version)
    signature.successor_nonce, signature.successor_sent_at = new_nonce(), utcnow()
    flush_checked(STALE)
    audit.record("signature.handover_resent", "signature", signature.id, actor=user,
                 before={}, after={"status": signature.status.value})
    _send_link(signature, user)


def cancel(signature: Signature, user: User | None, seen_version: int) -> None:
    """The owner (or a moderator contesting it) gives the hand-over up; its link stops."""
    _check_waiting(signature, seen_version, approved=False)
    successor = _successor(signature)
    clear_successor(signature)
    flush_checked(STALE)
    audit.record("signature.handover_cancel", "signature", signature.id, actor=user,
                 before={}, after={"status": signature.status.value},
                 personal={"successor": successor})


def signature_for_link(token: str, viewer: User | None) -> Signature:
    """The signature a successor's link stands for, if `viewer` (None when nobody is signed
    in) may still confirm or decline it; LinkError otherwise."""
    signature, payload = read_link(PURPOSE, token)
    if signature.successor_nonce is None:
        raise LinkError(USED, renewable=False)
    check_link(payload, signature.successor_nonce, signature.successor_email, viewer)
    if signature.status != S.APPROVED:
        raise LinkError(_l("La signature %(of_organisation)s n’est plus approuvée (elle "
                           "est « %(status)s ») : la passation ne peut pas être confirmée et "
                           "rien n’a été modifié.", of_organisation=of(signature.organisation),
                           status=signature.status.label), status=409, renewable=False)
    return signature


def confirm(signature: Signature, seen_version: int) -> None:
    """The successor attests their authority: they become the signatory, the signature stays
    approved with its dates, the attestation is issued again in their name."""
    _check_waiting(signature, seen_version, stale=CHANGED)
    former, successor = _representative(signature), _successor(signature)
    before = {"status": signature.status.value, "identification": signature.identification.value}
    signature.signatory_name = successor["name"]
    signature.signatory_function = successor["function"]
    signature.signatory_email = successor["email"]
    signature.identification = Identification.EMAIL
    signature.paper_channel = None  # a signature received on paper: its successor signs online
    signature.representative_since = utcnow()
    clear_successor(signature)
    flush_checked(CHANGED)
    audit.record("signature.handover", "signature", signature.id, actor=None, before=before,
                 after={"status": signature.status.value,
                        "identification": signature.identification.value},
                 personal={"former": former, "successor": successor})
    signals.signature_handed_over.send(signature, actor=None)


def decline(signature: Signature, seen_version: int, reason: str = "") -> None:
    """The successor will not take over; whoever asked is told, with their words if any."""
    _check_waiting(signature, seen_version, stale=CHANGED, approved=False)
    successor, requester = _successor(signature), requested_by(signature)
    reason = (reason or "").strip()
    clear_successor(signature)
    flush_checked(CHANGED)
    audit.record("signature.handover_decline", "signature", signature.id, actor=None,
                 before={}, after={"status": signature.status.value},
                 personal={"successor": successor, "message": reason})
    if requester is not None:
        queue(requester.email, "handover_declined", locale=requester.locale,
              organisation=signature.organisation, successor=successor, message=reason,
              space_url=external_url("organisations.space"))


def contest(signature: Signature, moderator: User, reason: str, seen_version: int) -> None:
    """A moderator objects to a hand-over (confirmed, or still waiting): the waiting one is
    cancelled and the signature suspended, with a private reason and neutral public wording."""
    if signature.representative_since is None and signature.successor_nonce is None:
        raise DomainError(NOT_CONTESTABLE)
    if signature.lock_version != seen_version:
        raise workflow.StaleDecision(workflow.STALE_MESSAGE)
    if not (reason or "").strip():
        raise workflow.ReasonRequired(_l("Un motif est obligatoire pour cette décision."))
    if signature.successor_nonce is not None and signature.status == S.APPROVED:
        cancel(signature, moderator, seen_version)
    workflow.apply(signature, workflow.Transition.SUSPEND, actor=moderator, reason=reason,
                   reason_code="passation", public_label=RevocationLabel.SUSPENDED_FOR_REVIEW)


def requested_by(signature: Signature) -> User | None:
    """Who asked for the waiting hand-over (the actor of its latest request, change or
    resend)."""
    actor_id = db.session.scalar(select(AuditEntry.actor_id).where(
        AuditEntry.object_type == "signature", AuditEntry.object_id == str(signature.id),
        AuditEntry.action.in_(ASKED)).order_by(AuditEntry.seq.desc()).limit(1))
    return db.session.get(User, actor_id) if actor_id is not None else None


def history(signature: Signature) -> list[AuditEntry]:
    """The signature's hand-over entries, oldest first, for the moderation page."""
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "signature", AuditEntry.object_id == str(signature.id),
        AuditEntry.action.in_(HISTORY)).order_by(AuditEntry.seq)))


def _check_lock(signature: Signature, seen_version: int, stale=None) -> None:
    if seen_version != signature.lock_version:
        raise DomainError(stale or STALE)


def _check_waiting(signature: Signature, seen_version: int, *, stale=None,
                   approved: bool = True) -> None:
    if signature.successor_nonce is None:
        raise DomainError(NONE_WAITING)
    if approved and signature.status != S.APPROVED:
        raise DomainError(NOT_APPROVED)
    _check_lock(signature, seen_version, stale)


def _name_successor(signature: Signature, data: dict) -> None:
    if data["signatory_email"].lower() == signature.signatory_email.lower():
        raise DomainError(SAME_PERSON, "signatory_email")
    signature.successor_name = data["signatory_name"]
    signature.successor_function = data["signatory_function"]
    signature.successor_email = data["signatory_email"]
    signature.successor_nonce, signature.successor_sent_at = new_nonce(), utcnow()


def clear_successor(signature: Signature) -> None:
    """No hand-over waits any more; its link stops working."""
    signature.successor_name = signature.successor_function = None
    signature.successor_email = signature.successor_nonce = None
    signature.successor_sent_at = None


def _representative(signature: Signature) -> dict:
    return {"name": signature.signatory_name, "function": signature.signatory_function,
            "email": signature.signatory_email}


def _successor(signature: Signature) -> dict:
    return {"name": signature.successor_name, "function": signature.successor_function,
            "email": signature.successor_email}


def _send_link(signature: Signature, user: User) -> None:
    queue(signature.successor_email, "handover_link", locale="fr", signature=signature,
          organisation=signature.organisation, version=signature.charter_version,
          requester_name=user.full_name,
          link=make_link(PURPOSE, "handover.page", signature, signature.successor_nonce,
                         signature.successor_email),
          days=link_days())
