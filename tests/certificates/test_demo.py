from sqlalchemy import select

from charter_service.certificates.models import Certificate, CertificateStatus
from charter_service.extensions import db
from charter_service.signatures.models import Signature, SignatureStatus
from charter_service.signatures.revocation import RevocationLabel


def test_the_demo_issues_attestations_for_approved_and_suspended_signatures(app):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    for signature in db.session.scalars(select(Signature)):
        statuses = [c.status for c in db.session.scalars(
            select(Certificate).where(Certificate.signature_id == signature.id))]
        expected = {SignatureStatus.APPROVED: [CertificateStatus.VALID],
                    SignatureStatus.SUSPENDED: [CertificateStatus.REVOKED]}
        assert statuses == expected.get(signature.status, []), signature.status
    revoked = db.session.scalars(select(Certificate).where(
        Certificate.status == CertificateStatus.REVOKED)).all()
    # The moderator's words stay private; the public wording is the neutral default.
    assert all(c.revocation_message == c.signature.reason for c in revoked)
    assert all(c.revocation_label == RevocationLabel.SUSPENDED for c in revoked)
    # Numbers follow the dates within each year.
    issued = db.session.scalars(select(Certificate).order_by(Certificate.issued_at)).all()
    for year in {c.year for c in issued}:
        serials = [c.serial for c in issued if c.year == year]
        assert serials == list(range(1, len(serials) + 1))
