"""What a moderator or an organisation writes about a suspension or a withdrawal stays private:
every public surface shows a neutral wording chosen from a list, the organisation's e-mail and
the audit log keep the words."""

import json
import re
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from charter_service.audit.models import AuditEntry
from charter_service.certificates.models import Certificate
from charter_service.dates import french_date
from charter_service.db_types import utcnow
from charter_service.extensions import db
from charter_service.signatures.models import Signature, SignatureStatus
from charter_service.signatures.revocation import RevocationLabel

ALLEGATION = "Soupçon de détournement de fonds publics par la trésorière"
ORGANISATION_TEXT = "Notre conseil a changé d’avis après la plainte de M. Dupont"


@pytest.fixture
def app_config(signing_config, smtp_app_config):
    return signing_config | smtp_app_config


@pytest.fixture
def others(approve, make, owner):
    """Another signatory, so that the register and its exports are not empty."""
    return approve(make.organisation(owner=owner, name="Forges de Loire", siren="552100554"))


def _suspend(client, signature, **fields):
    data = {"suspendre-lock_version": str(signature.lock_version)}
    data.update({f"suspendre-{name}": value for name, value in fields.items()})
    return client.post(f"/moderation/signatures/{signature.id}/suspendre", data=data)


def _public_pages(client, certificate) -> dict[str, str]:
    """Every public surface that could speak of this attestation or its organisation."""
    slug = certificate.signature.organisation.slug
    urls = [f"/verifier/{certificate.number}", f"/api/v1/certificates/{certificate.number}",
            "/api/v1/signatories", f"/api/v1/signatories/{slug}", "/registre/changements.atom",
            "/transparence", f"/organisations/{slug}", "/registre", "/registre.csv",
            "/registre.json", "/"]
    pages = {url: client.get(url).get_data(as_text=True) for url in urls}
    upload = client.post("/verifier", data={"document": (BytesIO(certificate.pdf), "a.pdf")},
                         content_type="multipart/form-data")
    pages["/verifier (upload)"] = upload.get_data(as_text=True)
    pdf = client.get("/registre.pdf")
    assert pdf.mimetype == "application/pdf"
    pages["/registre.pdf"] = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf.data)).pages)
    return pages


def _decoded(page: str) -> str:
    """JSON's \\u escapes and HTML's entities undone, so that no encoding hides a leak."""
    page = re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), page)
    return page.replace("&#39;", "'").replace("&#x27;", "'").replace("&amp;", "&")


@pytest.mark.real_pdf
def test_a_suspension_publishes_the_chosen_wording_and_mails_the_private_message(
        client, login, moderator, certificate, others, smtp_server):
    login(moderator)
    response = _suspend(client, certificate.signature, wording="suspended_for_review",
                        message=ALLEGATION)
    assert response.status_code == 302
    db.session.expire_all()
    assert certificate.revocation_label == RevocationLabel.SUSPENDED_FOR_REVIEW
    wording = (f"Signature suspendue le {french_date(utcnow())}, le temps d’une vérification "
               "par la Fondation des Territoires.")

    with client.session_transaction() as session:
        session.clear()
    pages = _public_pages(client, certificate)
    for url, page in pages.items():
        assert ALLEGATION not in _decoded(page), url
    assert wording in _decoded(pages[f"/verifier/{certificate.number}"])
    assert wording in _decoded(pages["/verifier (upload)"])
    api = json.loads(pages[f"/api/v1/certificates/{certificate.number}"])
    assert api["revocation_label"] == "suspended_for_review"
    assert api["revocation_reason"] == wording

    # The organisation reads the moderator's words, and the audit log keeps them.
    mails = smtp_server.wait_for(2)
    suspended = [m for m in mails if "suspendue" in str(m["Subject"])]
    assert suspended and all(ALLEGATION in m.get_content() for m in suspended)
    revoke = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "certificate.revoke")).one()
    assert revoke.reason == "suspended_for_review" and ALLEGATION in revoke.personal


def test_an_organisation_withdrawal_publishes_a_neutral_wording(client, login, owner,
                                                                 certificate):
    login(owner)
    signature = certificate.signature
    response = client.post(
        f"/espace/organisations/{signature.organisation_id}/signatures/{signature.id}/retirer",
        data={"lock_version": str(signature.lock_version), "reason": ORGANISATION_TEXT,
              "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Signature, signature.id).status == SignatureStatus.WITHDRAWN
    assert certificate.revocation_label == RevocationLabel.WITHDRAWN_AT_REQUEST
    assert certificate.revocation_message == ORGANISATION_TEXT

    with client.session_transaction() as session:
        session.clear()
    page = _decoded(client.get(f"/verifier/{certificate.number}").get_data(as_text=True))
    api = client.get(f"/api/v1/certificates/{certificate.number}").get_json()
    wording = (f"Signature retirée à la demande de l’organisation le "
               f"{french_date(utcnow())}.")
    assert ORGANISATION_TEXT not in page and wording in page
    assert ORGANISATION_TEXT not in json.dumps(api, ensure_ascii=False)
    assert api["revocation_label"] == "withdrawn_at_request"


def test_the_forms_say_who_reads_each_text(client, login, moderator, owner, certificate):
    signature = certificate.signature
    login(moderator)
    page = _decoded(client.get(f"/moderation/signatures/{signature.id}").get_data(as_text=True))
    assert "Mention publique" in page
    assert ("Visible publiquement sur la page de vérification de l’attestation et dans "
            "l’API.") in page
    assert "Envoyé par e-mail à l’organisation et au signataire" in page
    assert "jamais publié" in page
    for label in RevocationLabel.for_transition("suspend"):
        assert label.wording(french_date(utcnow())) in page
    login(owner)
    page = _decoded(client.get(
        f"/espace/organisations/{signature.organisation_id}/signatures/{signature.id}/retirer"
    ).get_data(as_text=True))
    assert "Signature retirée à la demande de l’organisation le" in page
    assert "jamais publié" in page


@pytest.mark.parametrize("fields", [
    {"wording": "withdrawn_at_request", "message": ALLEGATION},
    {"wording": "Engagements non tenus", "message": ALLEGATION},
    {"wording": "suspended", "message": "  "},
], ids=["another-transition", "free-text", "no-message"])
def test_a_suspension_without_a_listed_wording_or_a_message_changes_nothing(
        client, login, moderator, certificate, fields):
    login(moderator)
    response = _suspend(client, certificate.signature, **fields)
    assert response.status_code == 200
    assert "error-message" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).status == "valid"
    assert db.session.get(Signature, certificate.signature_id).status == SignatureStatus.APPROVED
