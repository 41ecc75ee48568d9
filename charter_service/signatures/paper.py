"""A signature received outside the site (a signed letter, a council deliberation, a signing
event), recorded by a moderator with its scanned proof.

It enters the moderation queue as pending, like one made online, and is decided through the
same workflow and audit. The organisation's future owners are invited to take over its account.
Functions flush only; the caller commits.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import signals
from ..accounts.models import User
from ..audit import services as audit
from ..charters.models import CharterVersion, VersionStatus
from ..dates import french_date, local_date
from ..db_types import PARIS, utcnow
from ..domain import DomainError
from ..extensions import db
from ..organisations import members
from ..organisations.models import MemberRole, Organisation
from .models import Identification, PaperChannel, Signature, SignatureStatus
from .services import AlreadySigned, add, live_signature

NOT_PUBLISHED = _l("Cette version de la charte n’est pas celle qui est publiée : une signature "
                   "ne peut être enregistrée que pour la version en vigueur.")
IN_THE_FUTURE = _l("La date de signature ne peut pas être dans le futur.")
NO_OWNER = _l("Indiquez l’adresse e-mail d’au moins une personne qui prendra en main le "
              "compte de l’organisation : elle n’a encore aucun responsable.")


@dataclass(frozen=True)
class PaperSignature:
    """What the moderator read on the paper, and to whom the account is to be handed."""

    channel: PaperChannel
    signed_on: date
    signatory_name: str
    signatory_function: str
    signatory_email: str  # "" when the paper gives none
    proof_filename: str
    proof_pdf: bytes
    owner_emails: tuple[str, ...]


def record(organisation: Organisation, version: CharterVersion, paper: PaperSignature,
           moderator: User) -> Signature:
    """A pending signature identified as « paper », audited with who recorded it; its future
    owners are invited. DomainError (naming its form field) for what cannot be recorded."""
    check_version(version)
    check_date(version, paper.signed_on)
    refuse_live(organisation, version)
    if not paper.owner_emails and not any(
            m.role == MemberRole.OWNER for m in organisation.memberships):
        raise DomainError(NO_OWNER, "owner_emails")
    signature = Signature(
        organisation=organisation, charter_version=version, status=SignatureStatus.PENDING,
        signatory_name=paper.signatory_name, signatory_function=paper.signatory_function,
        signatory_email=paper.signatory_email, authority_attested=True,
        principles_accepted=True, version_sha256=version.sha256(),
        signed_at=_signed_at(version, paper.signed_on), submitted_by=moderator,
        identification=Identification.PAPER, paper_channel=paper.channel,
        deliberation_filename=paper.proof_filename, deliberation_pdf=paper.proof_pdf)
    try:
        add(signature)
    except AlreadySigned as exc:  # recorded or signed meanwhile, by someone else
        exc.field = "organisation"
        raise
    audit.record("signature.record_paper", "signature", signature.id, actor=moderator,
                 before={}, after={"status": signature.status.value,
                                   "charter_version": version.number,
                                   "identification": signature.identification.value,
                                   "channel": paper.channel.value,
                                   "version_sha256": signature.version_sha256},
                 personal={"message": recorded_by(signature)})
    signals.signature_submitted.send(signature, actor=moderator)
    invite_owners(signature, paper.owner_emails, moderator)
    return signature


def check_version(version: CharterVersion | None) -> None:
    if version is None or version.status != VersionStatus.PUBLISHED:
        raise DomainError(NOT_PUBLISHED, "version")


def check_date(version: CharterVersion, signed_on: date) -> None:
    if signed_on > local_date(utcnow()):
        raise DomainError(IN_THE_FUTURE, "signed_on")
    if signed_on < local_date(version.published_at):
        raise DomainError(_("La version %(number)s de la charte a été publiée le %(date)s : "
                            "une signature de cette version ne peut pas être antérieure.",
                            number=version.number, date=french_date(version.published_at)),
                          "signed_on")


def refuse_live(organisation: Organisation, version: CharterVersion) -> None:
    """Name the signature already there, so that the moderator can open it."""
    existing = live_signature(organisation, version)
    if existing is not None:
        raise DomainError(_(
            "« %(organisation)s » a déjà une signature de la version %(number)s : celle de "
            "%(name)s du %(date)s (%(status)s, n° %(id)s). Une seule signature en cours ou en "
            "vigueur est possible par version.", organisation=organisation.name,
            number=version.number, name=existing.signatory_name,
            date=french_date(existing.signed_at), status=existing.status.label,
            id=existing.id), "organisation")


def _signed_at(version: CharterVersion, signed_on: date) -> datetime:
    """Noon of that day in Paris, kept after the publication and before now (same day)."""
    noon = datetime.combine(signed_on, time(12), PARIS)
    return min(max(noon, version.published_at), utcnow())


def recorded_by(signature: Signature) -> str:
    """« Signée par X, fonction, le … (signature reçue par …) ; enregistrée par Y », in French,
    as the audit trail keeps it."""
    with force_locale("fr"):
        recorder = signature.submitted_by
        return str(_l("Signée par %(name)s, %(function)s, le %(date)s (%(how)s) ; enregistrée "
                      "par %(recorder)s", name=signature.signatory_name,
                      function=signature.signatory_function,
                      date=french_date(signature.signed_at),
                      how=signature.paper_channel.received,
                      recorder=recorder.full_name if recorder else "—"))


def invite_owners(signature: Signature, emails: tuple[str, ...], moderator: User) -> None:
    """Each future owner is invited, with an e-mail that tells where the signature came from;
    people already members are not."""
    organisation = signature.organisation
    known = {m.user.email.lower() for m in organisation.memberships}
    for email in dict.fromkeys(e.strip().lower() for e in emails):
        if email in known:
            continue
        members.invite(organisation, email, MemberRole.OWNER, moderator,
                       template="paper_signature_invitation",
                       channel_label=signature.paper_channel.label,
                       signed_on=french_date(signature.signed_at),
                       version_number=signature.charter_version.number,
                       signatory_name=signature.signatory_name)
    db.session.flush()
