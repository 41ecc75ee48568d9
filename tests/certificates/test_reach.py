"""Attestations easy to reach and to check: the approval e-mail's links, the public page's
attestation and public copy, the verdict's facts, numbers typed loosely."""

from io import BytesIO
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from charter_service.certificates.services import canonical_number
from charter_service.extensions import db
from charter_service.signatures.workflow import Transition, apply

from .conftest import pdf_text

BASE = "https://charte.example.org"


@pytest.fixture
def app_config(signing_config, smtp_app_config):
    return signing_config | smtp_app_config


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path


def test_the_approval_mail_links_to_the_download_and_the_public_page(
        client, login, smtp_server, make, moderator, version, owner, organisation):
    signature = make.signature(organisation, version)
    smtp_server.deliver_set_up()
    apply(signature, Transition.APPROVE, actor=moderator)
    db.session.commit()
    message = smtp_server.wait_for(1)[0]
    body = message.get_content()
    attestations = f"{BASE}/espace/organisations/{organisation.id}#attestations"
    public = f"{BASE}/organisations/{organisation.slug}"
    assert attestations in body and public in body
    assert client.get(_path(public)).status_code == 200
    login(owner)
    page = client.get(_path(attestations)).get_data(as_text=True)
    assert 'id="attestations"' in page and "Télécharger le PDF" in page


def test_the_public_page_shows_the_attestation_and_its_public_copy(client, certificate):
    slug = certificate.signature.organisation.slug
    page = client.get(f"/organisations/{slug}").get_data(as_text=True)
    assert certificate.number in page
    assert f'href="/verifier/{certificate.number}"' in page
    assert f'href="/verifier/{certificate.number}/copie-publique.pdf"' in page


@pytest.mark.real_pdf
def test_the_public_copy_names_no_one_and_is_not_signed(client, certificate):
    response = client.get(f"/verifier/{certificate.number}/copie-publique.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "public" in response.headers["Cache-Control"]
    text = pdf_text(response.data)
    assert "Ateliers du Rhône" in text and "Présidente" in text and certificate.number in text
    assert "Copie publique" in text
    assert "Dominique Durand" not in text and "dominique.durand" not in text
    assert PdfReader(BytesIO(response.data)).get_fields() is None  # no signature field
    # Uploaded to /verifier, it is recognised as what it is: a copy that proves nothing.
    upload = client.post("/verifier", data={"document": (BytesIO(response.data), "copie.pdf")},
                         content_type="multipart/form-data").get_data(as_text=True)
    assert "Copie non signée" in upload and "Valide" in upload
    assert "Document modifié" not in upload


def test_a_revoked_attestation_has_no_public_copy(client, certificate, moderator):
    apply(certificate.signature, Transition.SUSPEND, actor=moderator, reason="Vérification")
    db.session.commit()
    assert client.get(f"/verifier/{certificate.number}/copie-publique.pdf").status_code == 404
    assert client.get("/verifier/n-importe-quoi/copie-publique.pdf").status_code == 404


def test_the_status_page_names_who_signed_what_and_when(client, certificate):
    page = client.get(f"/verifier/{certificate.number}").get_data(as_text=True)
    slug = certificate.signature.organisation.slug
    assert "Signée au titre de" in page and "Présidente" in page
    assert "Version 1" in page and "Date d’approbation" in page
    assert f'href="/organisations/{slug}"' in page
    assert "signataire inconnu" in page and "validité inconnue" in page
    assert "Dominique Durand" not in page


@pytest.mark.real_pdf
def test_an_uploaded_attestation_names_who_signed_what_and_when(client, certificate):
    page = client.post("/verifier", data={"document": (BytesIO(certificate.pdf), "a.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Attestation authentique et valide." in page
    assert "Ateliers du Rhône" in page and "Présidente" in page and "Version 1" in page
    assert f'href="/organisations/{certificate.signature.organisation.slug}"' in page
    assert "signataire inconnu" in page
    assert "Dominique Durand" not in page


# Typed → understood as (literal).
LOOSE = {
    "cfa 2026 13": "CFA-2026-000013",
    "CFA-2026-13": "CFA-2026-000013",
    "cfa-2026-0013": "CFA-2026-000013",
    "  CFA-2026-000013  ": "CFA-2026-000013",
    "CFA2026000013": "CFA-2026-000013",
    "CFA 2026/13": "CFA-2026-000013",
    "cfa\u00a02026\u202f13": "CFA-2026-000013",
    "CFA–2026–13": "CFA-2026-000013",
    "ＣＦＡ-２０２６-１３": "CFA-2026-000013",
}
GARBAGE = ["", "   ", "12345", "CFA-2026", "CFA-2026-1234567", "CFA-26-13", "CFA-٢٠٢٦-13",
           "CFA-2026-13\x00", "<script>alert(1)</script>", "CFA-2026-13' OR '1'='1",
           "x" * 10_000, "CFA-2026-13" + " " * 100, "\u202eCFA-2026-13"]


@pytest.mark.parametrize("typed", list(LOOSE))
def test_a_loosely_typed_number_is_understood(typed):
    assert canonical_number(typed) == LOOSE[typed]


@pytest.mark.parametrize("typed", GARBAGE)
def test_garbage_is_not_a_number(typed):
    assert canonical_number(typed) is None


def test_loose_numbers_redirect_to_the_canonical_address(client, certificate):
    loose = certificate.number.replace("-", " ").lower().replace(" 0000", " ")
    response = client.get("/verifier", query_string={"numero": loose})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verifier/{certificate.number}")
    response = client.get(f"/verifier/{loose}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/verifier/{certificate.number}")
    assert client.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize("typed", GARBAGE[1:])
def test_garbage_gets_a_french_message_never_a_500(client, typed):
    form = client.get("/verifier", query_string={"numero": typed})
    text = form.get_data(as_text=True)
    if "\x00" in typed:  # refused before any view, by the text guard
        assert form.status_code == 400 and "caractère nul" in text
        return
    assert form.status_code == 200
    assert ("Un numéro d’attestation a la forme CFA-2026-000123, celui d’un rapport annuel "
            "RAA-2026-000123." in text or "Saisissez le numéro de l’attestation." in text)
    if "/" not in typed:
        page = client.get(f"/verifier/{typed}")
        assert page.status_code == 404
        assert "Attestation introuvable" in page.get_data(as_text=True)
