"""A signature prepared by a member and signed by the organisation's legal representative.

The representative has no account: an e-mailed link, signed and bound to their address and to
the signature's current nonce, lets them read the charter version, attest and sign, or
decline. A new link (resent, or a new representative) replaces the nonce, so an older link
stops working; signing or declining clears it, so a link works once. Every change also names
the lock version its page showed: the preparer and the representative acting at once cannot
both win. Functions flush only; the caller commits.
"""

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from .. import signals
from ..accounts import tokens
from ..accounts.models import User
from ..audit import services as audit
from ..charters.models import CharterVersion
from ..dates import french_date
from ..db_types import utcnow
from ..domain import DomainError
from ..extensions import db
from ..links import external_url
from ..mailing.services import queue
from ..organisations.models import Organisation
from .models import Identification, Signature, SignatureStatus
from .services import AlreadySigned, add, live_signature, send_receipt

PURPOSE = "signatures.representative"
S = SignatureStatus

MEMBER_EMAIL = _l("Cette adresse est celle d’un membre de l’organisation sur le site : cette "
                  "personne peut se connecter et signer elle-même, comme titulaire du compte, "
                  "depuis « Signer la charte ».")
USED = _l("Ce lien a déjà servi : la signature a été confirmée ou déclinée. Il ne peut pas "
          "être utilisé une seconde fois.")
REPLACED = _l("Ce lien a été remplacé par un lien plus récent (renvoyé, ou adressé à une autre "
              "personne) : utilisez le dernier e-mail reçu.")
CHANGED = _l("La demande a été modifiée pendant que vous la lisiez (un nouveau lien a été "
             "envoyé ou le représentant a changé) : rien n’a été enregistré. Utilisez le "
             "dernier lien reçu par e-mail.")
NOT_AWAITING = _l("Cette signature n’attend plus son représentant : rien n’a été modifié.")


class LinkError(DomainError):
    """The representative's link cannot be used; the message says why and what to do.
    `status`: 400 for a link that never was valid, 410 for one that no longer is."""

    status = 410

    def __init__(self, message, expired: bool = False, status: int | None = None,
                 renewable: bool = True) -> None:
        super().__init__(message)
        self.expired = expired
        self.status = status or self.status
        self.renewable = renewable  # whether asking for a new link helps


class ForwardedLink(LinkError):
    """Someone signed in with another address opened the link."""

    status = 403


def refuse_member_email(organisation: Organisation, email: str) -> None:
    members = {m.user.email.lower() for m in organisation.memberships}
    if email.lower() in members:
        raise DomainError(MEMBER_EMAIL, "signatory_email")


def prepare(organisation: Organisation, version: CharterVersion, data: dict,
            user: User) -> Signature:
    """A signature awaiting its representative, who is sent the link."""
    if live_signature(organisation, version) is not None:
        raise AlreadySigned(organisation)
    refuse_member_email(organisation, data["signatory_email"])
    signature = Signature(
        organisation=organisation, charter_version=version, status=S.AWAITING_REPRESENTATIVE,
        signatory_name=data["signatory_name"], signatory_function=data["signatory_function"],
        signatory_email=data["signatory_email"], authority_attested=False,
        principles_accepted=False, version_sha256=version.sha256(), signed_at=utcnow(),
        submitted_by=user, identification=Identification.EMAIL)
    _new_link(signature)
    add(signature)
    audit.record("signature.prepare", "signature", signature.id, actor=user, before={},
                 after={"status": signature.status.value, "charter_version": version.number,
                        "identification": signature.identification.value},
                 personal=_representative(signature))
    _send_link(signature)
    return signature


def resend(signature: Signature, user: User, seen_version: int) -> None:
    """A new link to the same representative; the previous one stops working."""
    _check_waiting(signature, seen_version)
    _new_link(signature)
    flush_checked()
    audit.record("signature.representative_resent", "signature", signature.id, actor=user,
                 before={}, after={"status": signature.status.value})
    _send_link(signature)


def change_representative(signature: Signature, data: dict, user: User,
                          seen_version: int) -> None:
    """Another representative (or the same one corrected); only the new link works."""
    _check_waiting(signature, seen_version)
    refuse_member_email(signature.organisation, data["signatory_email"])
    before = _representative(signature)
    for name in ("signatory_name", "signatory_function", "signatory_email"):
        setattr(signature, name, data[name])
    _new_link(signature)
    flush_checked()
    audit.record("signature.representative_changed", "signature", signature.id, actor=user,
                 before={}, after={"status": signature.status.value},
                 personal={"before": before, "after": _representative(signature)})
    _send_link(signature)


def signature_for_link(token: str, viewer: User | None) -> Signature:
    """The signature a link stands for, if it can still be confirmed or declined by `viewer`
    (None when nobody is signed in); LinkError otherwise."""
    signature, payload = read_link(PURPOSE, token)
    if signature.status != S.AWAITING_REPRESENTATIVE:
        raise LinkError(USED, renewable=False)
    check_link(payload, signature.link_nonce, signature.signatory_email, viewer)
    return signature


def read_link(purpose: str, token: str) -> tuple[Signature, dict]:
    """The signature a signed link of `purpose` names, and its payload; LinkError if the link
    is tampered with, expired or names no signature. Shared with the hand-over's link."""
    try:
        payload = tokens.read(purpose, token, current_app.config["REPRESENTATIVE_LINK_MAX_AGE"],
                              key="sid")
    except tokens.InvalidToken as exc:
        raise LinkError(exc.message, expired=exc.expired,
                        status=410 if exc.expired else 400) from None
    signature = db.session.get(Signature, payload["sid"])
    if signature is None:
        raise LinkError(tokens.INVALID, status=400)
    return signature, payload


def check_link(payload: dict, nonce: str | None, email: str, viewer: User | None) -> None:
    """The link names the current nonce and address, and whoever is signed in is its
    addressee; LinkError (REPLACED) or ForwardedLink otherwise."""
    if payload.get("nonce") != nonce or payload.get("email") != email.lower():
        raise LinkError(REPLACED)
    if viewer is not None and viewer.email.lower() != email.lower():
        raise ForwardedLink(_l(
            "Ce lien est destiné à %(email)s, et vous êtes connecté·e avec une autre adresse "
            "(%(viewer)s). Seule la personne destinataire peut signer ou décliner : rien n’a "
            "été modifié. Si c’est vous, déconnectez-vous puis ouvrez à nouveau le lien.",
            email=email, viewer=viewer.email))


def make_link(purpose: str, endpoint: str, signature: Signature, nonce: str,
              email: str) -> str:
    """The external address of a link bound to `email` and to the signature's `nonce`."""
    return external_url(endpoint, token=_token(purpose, signature, nonce, email))


def _token(purpose: str, signature: Signature, nonce: str, email: str) -> str:
    return tokens.make(purpose, {"sid": signature.id, "nonce": nonce, "email": email.lower()})


def link_days() -> int:
    return max(1, current_app.config["REPRESENTATIVE_LINK_MAX_AGE"] // 86400)


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def confirm(signature: Signature, seen_version: int) -> None:
    """The representative attests and signs: the signature enters moderation."""
    _check_waiting(signature, seen_version, CHANGED)
    signature.status = S.PENDING
    signature.authority_attested = signature.principles_accepted = True
    signature.signed_at = utcnow()
    signature.link_nonce = None
    flush_checked(CHANGED)
    audit.record("signature.confirm", "signature", signature.id, actor=None,
                 before={"status": S.AWAITING_REPRESENTATIVE.value},
                 after={"status": signature.status.value,
                        "identification": signature.identification.value,
                        "version_sha256": signature.version_sha256},
                 personal={"message": signed_by(signature)})
    signals.signature_submitted.send(signature, actor=None)
    send_receipt(signature, "fr")


def decline(signature: Signature, seen_version: int, reason: str = "") -> None:
    """The representative will not sign; the preparer is told, with their words if any."""
    _check_waiting(signature, seen_version, CHANGED)
    signature.status = S.DECLINED
    signature.decided_at = utcnow()
    signature.reason = (reason or "").strip()
    signature.link_nonce = None
    flush_checked(CHANGED)
    audit.record("signature.decline", "signature", signature.id, actor=None,
                 before={"status": S.AWAITING_REPRESENTATIVE.value},
                 after={"status": signature.status.value},
                 personal=_representative(signature) | {"message": signature.reason})
    preparer = signature.submitted_by
    if preparer is not None:
        queue(preparer.email, "signature_declined", locale=preparer.locale,
              signature=signature, organisation=signature.organisation,
              space_url=external_url("organisations.space"))


def _check_waiting(signature: Signature, seen_version: int, stale=None) -> None:
    if signature.status != S.AWAITING_REPRESENTATIVE:
        raise DomainError(NOT_AWAITING)
    if seen_version != signature.lock_version:
        raise DomainError(stale or _l("Cette signature a été modifiée entre-temps (par le "
                                      "représentant ou un autre membre) : rien n’a été "
                                      "enregistré. Rechargez la page."))


def flush_checked(stale=None) -> None:
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise DomainError(stale or CHANGED) from exc


def _new_link(signature: Signature) -> None:
    signature.link_nonce = new_nonce()
    signature.link_sent_at = utcnow()


def signed_by(signature: Signature) -> str:
    """« Signée par X, fonction, le … (confirmé par e-mail) ; préparée par Y », in French, as
    the audit trail keeps it."""
    with force_locale("fr"):
        preparer = signature.submitted_by
        return str(_l("Signée par %(name)s, %(function)s, le %(date)s (%(how)s) ; préparée par "
                      "%(preparer)s", name=signature.signatory_name,
                      function=signature.signatory_function,
                      date=french_date(signature.signed_at), how=signature.identification.label,
                      preparer=preparer.full_name if preparer else "—"))


def _representative(signature: Signature) -> dict:
    return {"name": signature.signatory_name, "function": signature.signatory_function,
            "email": signature.signatory_email}


def link_token(signature: Signature) -> str:
    """The token of the representative's page for the link now valid (same nonce)."""
    return _token(PURPOSE, signature, signature.link_nonce, signature.signatory_email)


def link_expired(signature: Signature) -> bool:
    max_age = timedelta(seconds=current_app.config["REPRESENTATIVE_LINK_MAX_AGE"])
    return signature.link_sent_at is None or signature.link_sent_at + max_age < utcnow()


def _send_link(signature: Signature) -> None:
    version = signature.charter_version
    preparer = signature.submitted_by
    queue(signature.signatory_email, "representative_link", locale="fr",
          signature=signature, organisation=signature.organisation, version=version,
          preparer_name=preparer.full_name if preparer else "",
          link=make_link(PURPOSE, "representative.page", signature, signature.link_nonce,
                         signature.signatory_email),
          days=link_days())
