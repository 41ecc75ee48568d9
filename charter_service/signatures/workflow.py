"""The signature state machine: one function per transition, each audited, each one transaction.

Functions flush only; the caller commits. Every transition names the lock version the actor saw,
so that two moderators deciding at once cannot both win.
"""

import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from .. import signals
from ..audit import services as audit
from ..db_types import utcnow
from ..domain import DomainError
from ..extensions import db
from .models import Signature, SignatureStatus
from .revocation import RevocationLabel

S = SignatureStatus


class Transition(enum.StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_CHANGES = "request_changes"
    RESUBMIT = "resubmit"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    WITHDRAW = "withdraw"


# transition → (states it may start from, state it leads to, reason required)
RULES: dict[Transition, tuple[frozenset[SignatureStatus], SignatureStatus, bool]] = {
    Transition.APPROVE: (frozenset({S.PENDING}), S.APPROVED, False),
    Transition.REJECT: (frozenset({S.PENDING}), S.REJECTED, True),
    Transition.REQUEST_CHANGES: (frozenset({S.PENDING}), S.CHANGES_REQUESTED, True),
    Transition.RESUBMIT: (frozenset({S.CHANGES_REQUESTED}), S.PENDING, False),
    Transition.SUSPEND: (frozenset({S.APPROVED}), S.SUSPENDED, True),
    Transition.REINSTATE: (frozenset({S.SUSPENDED}), S.APPROVED, False),
    Transition.WITHDRAW: (
        frozenset({S.PENDING, S.CHANGES_REQUESTED, S.APPROVED, S.SUSPENDED}), S.WITHDRAWN, False
    ),
}


class Actor(enum.StrEnum):
    """Who takes a transition: the organisation's owner in the member's space, or staff."""

    OWNER = "owner"
    MODERATOR = "moderator"


ACTORS: dict[Transition, Actor] = {
    Transition.APPROVE: Actor.MODERATOR, Transition.REJECT: Actor.MODERATOR,
    Transition.REQUEST_CHANGES: Actor.MODERATOR, Transition.RESUBMIT: Actor.OWNER,
    Transition.SUSPEND: Actor.MODERATOR, Transition.REINSTATE: Actor.MODERATOR,
    Transition.WITHDRAW: Actor.OWNER,
}


def allowed_transitions(signature: Signature, actor: Actor | None = None) -> list[Transition]:
    """The transitions the signature's state allows (those `actor` takes, if given), in the
    order of RULES: what pages offer as buttons."""
    return [transition for transition, (sources, _target, _reason) in RULES.items()
            if signature.status in sources and (actor is None or ACTORS[transition] == actor)]


REJECTION_REASONS = {
    "identifiant": _l("Identifiant légal introuvable ou ne correspondant pas à l’organisation"),
    "habilitation": _l("Le signataire ne semble pas habilité à engager l’organisation"),
    "doublon": _l("L’organisation a déjà signé la charte (doublon)"),
    "eligibilite": _l("L’organisation ne relève pas du champ de la charte"),
    "incomplet": _l("Informations insuffisantes pour vérifier la signature"),
    "autre": _l("Autre motif"),
}


STALE_MESSAGE = _l("Cette signature a été modifiée entre-temps par quelqu’un d’autre. "
                   "Rechargez la page pour voir son état actuel.")


class WorkflowError(DomainError):
    """A transition that cannot happen; its message is shown to the user as is."""


class InvalidTransition(WorkflowError):
    pass


class StaleDecision(WorkflowError):
    pass


class ReasonRequired(WorkflowError):
    pass


def allowed(signature: Signature, transition: Transition) -> bool:
    return signature.status in RULES[transition][0]


def apply(signature: Signature, transition: Transition, *, actor, seen_version: int | None = None,
          reason: str = "", reason_code: str = "",
          public_label: RevocationLabel | None = None) -> Signature:
    """Move the signature along one transition, record the audit entry and signal it, in the
    caller's transaction.

    `reason` is private (the organisation's e-mail, its members, the moderators); a suspension
    or withdrawal publishes `public_label` only, by default the transition's first wording.
    """
    sources, target, reason_required = RULES[transition]
    if seen_version is not None and seen_version != signature.lock_version:
        raise StaleDecision(STALE_MESSAGE)
    if signature.status not in sources:
        raise InvalidTransition(_l("Cette action n’est pas possible pour une signature dans "
                                   "cet état."))
    reason = (reason or "").strip()
    if reason_required and not (reason or reason_code):
        raise ReasonRequired(_l("Un motif est obligatoire pour cette décision."))
    before = {"status": signature.status.value}
    signature.status = target
    if transition != Transition.RESUBMIT:
        signature.decided_at = utcnow()
        signature.decided_by = actor
        signature.reason = reason
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise StaleDecision(STALE_MESSAGE) from exc
    audit.record(
        f"signature.{transition.value}", "signature", signature.id, actor=actor,
        before=before, after={"status": target.value}, reason=reason_code,
        personal={"message": reason} if reason else None,
    )
    # The attestation, the organisation's e-mail, the moderators' alert, the register.
    signals.signature_transitioned.send(signature, transition=transition, actor=actor,
                                        message=reason, public_label=public_label)
    return signature
