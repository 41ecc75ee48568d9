"""What the public may know of an organisation that was ever a signatory: its current standing
(signatory, suspended, no longer a signatory), the signatures it had approved and their
attestations. One organisation that never had a signature approved has no public standing."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, exists, or_, select

from ..certificates.models import Certificate, CertificateStatus
from ..certificates.services import certificates_of, public_facts, public_revocation
from ..dates import local_date
from ..extensions import db
from ..organisations.models import Organisation
from ..signatures.models import Signature, SignatureStatus

S = SignatureStatus


@dataclass(frozen=True)
class PastSignature:
    """One signature the organisation had approved, as its public page lists it."""

    signature: Signature
    approved_on: date | None
    certificate: Certificate | None  # its latest attestation, once out of « en cours »


@dataclass(frozen=True)
class Standing:
    current: PastSignature  # the signature the page is about: approved, else the latest
    history: list[PastSignature]

    @property
    def status(self) -> SignatureStatus:
        return self.current.signature.status

    @property
    def is_signatory(self) -> bool:
        return self.status == S.APPROVED

    @property
    def since(self) -> datetime | None:
        """When a former signatory stopped being one (suspension or withdrawal)."""
        return None if self.is_signatory else self.current.signature.decided_at

    @property
    def certificate(self) -> Certificate | None:
        return self.current.certificate

    @property
    def notice(self) -> str | None:
        """The neutral public wording of the suspension or withdrawal, never anyone's words."""
        certificate = self.certificate
        return None if self.is_signatory or certificate is None else public_revocation(
            certificate)


def ever_approved():
    """Signatures that were public once: approved, suspended (from approved), or withdrawn
    after an approval (approval issued an attestation; a pending withdrawal never had one)."""
    had_certificate = exists().where(Certificate.signature_id == Signature.id)
    return or_(Signature.status.in_((S.APPROVED, S.SUSPENDED)),
               and_(Signature.status == S.WITHDRAWN, had_certificate))


def standing(organisation: Organisation) -> Standing | None:
    signatures = db.session.scalars(
        select(Signature).where(Signature.organisation_id == organisation.id, ever_approved())
        .order_by(Signature.signed_at.desc(), Signature.id.desc())).all()
    if not signatures:
        return None
    history = [_past(signature) for signature in signatures]
    approved = [past for past in history if past.signature.status == S.APPROVED]
    return Standing(current=(approved or history)[0], history=history)


def _past(signature: Signature) -> PastSignature:
    """Its number is public once the attestation is stored (or revoked), as in the register."""
    certificates = certificates_of(signature)
    shown = next((c for c in certificates if c.status != CertificateStatus.ISSUING), None)
    approved_on = local_date(public_facts(certificates[0])["approved_at"]) \
        if certificates else None
    return PastSignature(signature, approved_on, shown)
