"""Is this PDF one of our attestations (or « rapports annuels d’alliance »), unaltered, and is
it still valid?

Two independent proofs: pyHanko validates the PAdES signature against our certificate chain,
and the file's SHA-256 must equal the one stored when it was issued.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..enums import LabelledEnum
from ..extensions import db
from . import signing
from .models import Certificate, CertificateStatus, ReportDocument, ReportDocumentStatus

# As written in the signature's /Reason and the document's /Title: "-" may be escaped \055.
_NUMBER_BYTES = re.compile(rb"CFA(?:-|\\055)(\d{4})(?:-|\\055)(\d{6})")
_REPORT_NUMBER_BYTES = re.compile(rb"RAA(?:-|\\055)(\d{4})(?:-|\\055)(\d{6})")
PDF_MAGIC = b"%PDF-"


class Verdict(LabelledEnum):
    AUTHENTIC_VALID = "authentic_valid"
    AUTHENTIC_REVOKED = "authentic_revoked"
    AUTHENTIC_SUPERSEDED = "authentic_superseded"
    ALTERED = "altered"
    UNSIGNED_COPY = "unsigned_copy"
    UNKNOWN = "unknown"
    REPORT_AUTHENTIC_VALID = "report_authentic_valid"
    REPORT_AUTHENTIC_SUPERSEDED = "report_authentic_superseded"
    REPORT_ALTERED = "report_altered"
    REPORT_UNSIGNED_COPY = "report_unsigned_copy"
    __labels__ = {
        "authentic_valid": _l("Attestation authentique et valide."),
        "authentic_revoked": _l("Attestation authentique, mais révoquée."),
        "authentic_superseded": _l("Attestation authentique, mais remplacée par une "
                                   "attestation plus récente."),
        "altered": _l("Document modifié : ce fichier n’est pas l’attestation émise par la "
                      "Fondation des Territoires."),
        "unsigned_copy": _l("Copie non signée : ce fichier ne prouve rien par lui-même. Voici "
                            "le statut actuel de l’attestation dont il porte le numéro."),
        "unknown": _l("Document inconnu : ce fichier ne correspond à aucune attestation "
                      "émise par la Fondation des Territoires."),
        "report_authentic_valid": _l("Rapport annuel d’alliance authentique et valide."),
        "report_authentic_superseded": _l("Rapport annuel d’alliance authentique, mais remplacé "
                                          "par un rapport plus récent de la même période."),
        "report_altered": _l("Document modifié\u202f: ce fichier n’est pas le rapport annuel "
                             "d’alliance émis par la Fondation des Territoires."),
        "report_unsigned_copy": _l("Copie non signée\u202f: ce fichier ne prouve rien par "
                                   "lui-même. Voici le statut actuel du rapport annuel "
                                   "d’alliance dont il porte le numéro."),
    }

_BY_STATUS = {
    CertificateStatus.VALID: Verdict.AUTHENTIC_VALID,
    CertificateStatus.REVOKED: Verdict.AUTHENTIC_REVOKED,
    CertificateStatus.SUPERSEDED: Verdict.AUTHENTIC_SUPERSEDED,
}
_REPORT_BY_STATUS = {
    ReportDocumentStatus.VALID: Verdict.REPORT_AUTHENTIC_VALID,
    ReportDocumentStatus.SUPERSEDED: Verdict.REPORT_AUTHENTIC_SUPERSEDED,
}


@dataclass(frozen=True)
class SignatureCheck:
    intact: bool
    trusted: bool
    covers_whole_file: bool
    signer: str = ""
    timestamp: datetime | None = None

    @property
    def authentic(self) -> bool:
        return self.intact and self.trusted and self.covers_whole_file


@dataclass(frozen=True)
class VerificationResult:
    verdict: Verdict
    sha256: str
    certificate: Certificate | None = None
    signature: SignatureCheck | None = None
    report: ReportDocument | None = None

    @property
    def label(self) -> str:
        return str(self.verdict.label)


def looks_like_pdf(data: bytes) -> bool:
    return PDF_MAGIC in data[:1024]


def check_signature(data: bytes, *, ours: bool = False) -> SignatureCheck | None:
    """pyHanko's verdict on the document's signature; None if it carries none we can read.

    For a file byte for byte as we stored it (`ours`), the certificate is checked at the
    signing time the signature states, which our records vouch for: an attestation stays
    verifiable after the signing certificate expires. Any other file is checked as of now.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    identity = signing.current_identity()
    try:
        signatures = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
        if not signatures:
            return None
        moment = signatures[-1].self_reported_timestamp if ours else None
        context = ValidationContext(trust_roots=list(identity.trust_roots), moment=moment,
                                    allow_fetching=False)
        status = signing.outside_event_loop(validate_pdf_signature, signatures[-1], context)
    except Exception:  # noqa: BLE001 - any parse or crypto failure means "not authentic"
        current_app.logger.info("Unreadable signature in an uploaded PDF", exc_info=True)
        return SignatureCheck(intact=False, trusted=False, covers_whole_file=False)
    signer = status.signing_cert.subject.native.get("common_name", "") if status.signing_cert \
        else ""
    timestamp = status.timestamp_validity.timestamp if status.timestamp_validity else None
    return SignatureCheck(
        intact=status.intact and status.valid, trusted=status.trusted,
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=signer, timestamp=timestamp)


def _title_numbers(data: bytes, prefix: str = "CFA") -> set[str]:
    """The number in the document's title, where the bytes hide it (an unsigned copy's
    compressed objects)."""
    from pypdf import PdfReader

    try:
        title = (PdfReader(BytesIO(data), strict=False).metadata or {}).get("/Title") or ""
    except Exception:  # noqa: BLE001 - an unreadable file carries no number
        return set()
    return {f"{prefix}-{year}-{serial}" for year, serial in
            re.findall(prefix + r"-(\d{4})-(\d{6})", str(title), flags=re.ASCII)}


def _claimed_certificate(data: bytes) -> Certificate | None:
    """The attestation a damaged file or a copy pretends to be, from the number it carries."""
    numbers = {f"CFA-{year.decode()}-{serial.decode()}"
               for year, serial in _NUMBER_BYTES.findall(data)} or _title_numbers(data)
    if not numbers:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.number.in_(numbers))
                             .order_by(Certificate.id).limit(1))


def _claimed_report(data: bytes) -> ReportDocument | None:
    """The report document a damaged file or a copy pretends to be, from its number."""
    numbers = {f"RAA-{year.decode()}-{serial.decode()}"
               for year, serial in _REPORT_NUMBER_BYTES.findall(data)} \
        or _title_numbers(data, "RAA")
    if not numbers:
        return None
    return db.session.scalar(select(ReportDocument).where(ReportDocument.number.in_(numbers))
                             .order_by(ReportDocument.id).limit(1))


def verify_pdf(data: bytes) -> VerificationResult:
    """An attestation or a report document: the same two proofs for both."""
    sha256 = hashlib.sha256(data).hexdigest()
    stored = db.session.scalar(select(Certificate).where(Certificate.sha256 == sha256))
    report = None if stored is not None else db.session.scalar(
        select(ReportDocument).where(ReportDocument.sha256 == sha256))
    check = check_signature(data, ours=stored is not None or report is not None)
    if stored is not None and check is not None and check.authentic:
        return VerificationResult(_BY_STATUS[stored.status], sha256, stored, check)
    if report is not None and check is not None and check.authentic:
        return VerificationResult(_REPORT_BY_STATUS[report.status], sha256, signature=check,
                                  report=report)
    claimed = stored or (None if report is not None else _claimed_certificate(data))
    if claimed is not None:
        # No signature at all: a copy (the public one, a print scanned), not a forgery caught.
        verdict = Verdict.UNSIGNED_COPY if check is None and stored is None else Verdict.ALTERED
        return VerificationResult(verdict, sha256, claimed, check)
    claimed_report = report or _claimed_report(data)
    if claimed_report is not None:
        verdict = Verdict.REPORT_UNSIGNED_COPY if check is None and report is None \
            else Verdict.REPORT_ALTERED
        return VerificationResult(verdict, sha256, signature=check, report=claimed_report)
    return VerificationResult(Verdict.UNKNOWN, sha256, None, check)
