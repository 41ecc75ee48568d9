"""Signing the charter on behalf of an organisation."""

from flask_babel import LazyString
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import signals
from ..accounts.models import User
from ..audit import services as audit
from ..charters.models import CharterVersion
from ..db_types import utcnow
from ..domain import DomainError
from ..extensions import db
from ..links import external_url
from ..mailing.services import queue
from ..organisations.models import Organisation
from .models import LIVE_STATUSES, Signature, SignatureStatus

LIVE_INDEX = "uq_signatures_one_live"
# SQLite names the columns of the violated index instead of the index itself.
LIVE_INDEX_SQLITE = "signatures.organisation_id, signatures.charter_version_id"


class AlreadySigned(DomainError):
    """The organisation already has a live signature for this version."""

    category = "info"

    def __init__(self, organisation: Organisation) -> None:
        # Worded when shown: after a refused flush, the name can be read only once rolled back.
        super().__init__(LazyString(lambda: _(
            "La charte est déjà signée pour « %(organisation)s » : une signature est en cours "
            "ou en vigueur pour cette version.", organisation=organisation.name)))


def live_signature(organisation: Organisation, version: CharterVersion) -> Signature | None:
    return db.session.scalar(
        select(Signature).where(Signature.organisation_id == organisation.id,
                                Signature.charter_version_id == version.id,
                                Signature.status.in_(LIVE_STATUSES))
    )


def sign(organisation: Organisation, version: CharterVersion, data: dict,
         user: User) -> Signature:
    """Record a pending signature and queue its receipt; the caller commits, or rolls back on
    AlreadySigned."""
    if live_signature(organisation, version) is not None:
        raise AlreadySigned(organisation)
    signature = Signature(
        organisation=organisation, charter_version=version, status=SignatureStatus.PENDING,
        signatory_name=data["signatory_name"], signatory_function=data["signatory_function"],
        signatory_email=data["signatory_email"],
        # The database refuses a signature without both (CHECK constraints).
        authority_attested=data["authority_attested"],
        principles_accepted=data["principles_accepted"],
        version_sha256=version.sha256(), signed_at=utcnow(),
        submitted_by=user, deliberation_filename=data.get("deliberation_filename"),
        deliberation_pdf=data.get("deliberation_pdf"),
    )
    add(signature)
    audit.record("signature.submit", "signature", signature.id, actor=user, before={},
                 after={"status": signature.status.value,
                        "charter_version": version.number,
                        "version_sha256": signature.version_sha256})
    signals.signature_submitted.send(signature, actor=user,
                                     first_commitment=data.get("first_commitment"))
    send_receipt(signature, user.locale)
    return signature


def add(signature: Signature) -> None:
    """Add and flush a new live signature; AlreadySigned if another one won the race."""
    db.session.add(signature)
    try:
        db.session.flush()
    except IntegrityError as exc:
        if LIVE_INDEX in str(exc.orig) or LIVE_INDEX_SQLITE in str(exc.orig):
            raise AlreadySigned(signature.organisation) from exc
        raise


def send_receipt(signature: Signature, locale: str) -> None:
    """The acknowledgement: what was received, and what happens next."""
    version = signature.charter_version
    queue(signature.signatory_email, "signature_received", locale=locale,
          organisation_name=signature.organisation.name, version_number=version.number,
          version_title=version.title, signatory_name=signature.signatory_name,
          signed_at=signature.signed_at, space_url=external_url("organisations.space"))
