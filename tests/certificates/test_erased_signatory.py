"""The signatory erases their account: the attestation already issued stays as it was, signed
and valid; the public pages and any later re-issue show the function only."""

import pytest

from charter_service.accounts import personal_data
from charter_service.certificates import keys, services
from charter_service.certificates.models import CertificateStatus
from charter_service.extensions import db
from charter_service.organisations.models import MemberRole, Membership

from .conftest import pdf_text, validate


@pytest.fixture
def signatory(make, organisation):
    """Dominique Durand, who signed for the organisation (the factory's signatory)."""
    user = make.user("dominique.durand@example.org", full_name="Dominique Durand")
    db.session.add(Membership(user=user, organisation=organisation, role=MemberRole.MEMBER))
    db.session.commit()
    return user


@pytest.mark.real_pdf
def test_the_issued_attestation_stays_valid_and_a_reissue_prints_the_function_only(
        client, signatory, certificate, organisation, owner, signing_dir):
    issued = certificate.pdf
    personal_data.erase(signatory, actor=signatory)
    db.session.commit()
    db.session.expire_all()
    assert certificate.status == CertificateStatus.VALID and certificate.pdf == issued
    assert "Dominique Durand" in pdf_text(issued)
    assert validate(issued, signing_dir / keys.CA_FILE).bottom_line
    verdict = client.get(f"/verifier/{certificate.number}").get_data(as_text=True)
    assert "Ateliers du Rhône" in verdict and "Dominique" not in verdict

    organisation.name = "Ateliers réunis du Rhône"
    [reissued] = services.reissue_for_identity_change(organisation, actor=owner)
    db.session.commit()
    text = pdf_text(reissued.pdf)
    assert "Présidente" in text and "Dominique" not in text
    assert validate(reissued.pdf, signing_dir / keys.CA_FILE).bottom_line
    (signing_dir.parent / "reissued-after-erasure.pdf").write_bytes(reissued.pdf)
