"""The attestation verification pages in Chromium: usable, accessible, saying the right thing."""

import pytest

from charter_service.accounts.models import Role
from charter_service.extensions import db
from charter_service.signatures.workflow import Transition, apply

from ..certificates.conftest import only_valid

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config, signing_pair):
    return {**app_config, "SIGNING_DIR": str(signing_pair)}


@pytest.fixture
def certificate(make):
    moderator = make.user(role=Role.MODERATOR)
    signature = make.signature(make.organisation(owner=make.user(), name="Ateliers du Rhône"),
                               make.version())
    apply(signature, Transition.APPROVE, actor=moderator)
    db.session.commit()
    return only_valid(signature)


@pytest.mark.real_pdf
def test_looking_up_a_number_and_uploading_the_file(page, axe, screenshot, certificate,
                                                    tmp_path):
    page.goto("/verifier")
    axe(page)
    page.get_by_label("Numéro de l’attestation").fill(certificate.number.lower())
    page.get_by_role("button", name="Afficher le statut").click()
    assert page.url.endswith(f"/verifier/{certificate.number}")
    assert "Valide" in page.locator("main").inner_text()
    axe(page)
    screenshot(page, "certificates-status-valid")

    (tmp_path / "attestation.pdf").write_bytes(certificate.pdf)
    page.goto("/verifier")
    page.get_by_label("Fichier PDF de l’attestation").set_input_files(
        str(tmp_path / "attestation.pdf"))
    page.get_by_role("button", name="Vérifier le fichier").click()
    assert page.locator("#verdict-title").inner_text() == "Attestation authentique et valide."
    axe(page)
    screenshot(page, "certificates-upload-authentic")


def test_revoked_and_unknown_pages(page, axe, screenshot, certificate, make):
    apply(certificate.signature, Transition.SUSPEND, actor=make.user(role=Role.MODERATOR),
          reason="Engagements non tenus depuis six mois.")
    db.session.commit()
    page.goto(f"/verifier/{certificate.number}")
    assert "Révoquée depuis le" in page.locator("main").inner_text()
    axe(page)
    screenshot(page, "certificates-status-revoked")
    response = page.goto("/verifier/CFA-2020-000999")
    assert response.status == 404
    axe(page)


@pytest.mark.real_pdf
def test_a_former_signatory_page_and_the_verdict_it_links_to(page, axe, screenshot, certificate,
                                                            make, tmp_path):
    """A journalist follows a suspended signatory's page to the verdict of its attestation,
    then checks the public copy offered by a signatory's page."""
    slug = certificate.signature.organisation.slug
    page.goto(f"/organisations/{slug}")
    main = page.locator("main")
    assert certificate.number in main.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger la copie publique (PDF)").click()
    download.value.save_as(tmp_path / "copie.pdf")
    axe(page)
    screenshot(page, "public-signatory-with-attestation")

    page.goto("/verifier")
    page.get_by_label("Fichier PDF de l’attestation").set_input_files(str(tmp_path / "copie.pdf"))
    page.get_by_role("button", name="Vérifier le fichier").click()
    assert page.locator("#verdict-title").inner_text().startswith("Copie non signée")
    assert "Présidente" in main.inner_text()
    axe(page)
    screenshot(page, "certificates-upload-public-copy")

    apply(certificate.signature, Transition.SUSPEND, actor=make.user(role=Role.MODERATOR),
          reason="Engagements non tenus depuis six mois.")
    db.session.commit()
    page.goto(f"/organisations/{slug}")
    assert "Signature suspendue depuis le" in main.inner_text()
    assert "Engagements non tenus" not in main.inner_text()
    axe(page)
    screenshot(page, "public-former-signatory-suspended")
    page.get_by_role("link", name=f"Vérifier l’attestation {certificate.number}").click()
    assert page.url.endswith(f"/verifier/{certificate.number}")
    text = main.inner_text()
    assert "Révoquée depuis le" in text and "Signée au titre de" in text
    assert "signataire inconnu" in text
    axe(page)
    screenshot(page, "certificates-status-revoked-with-facts")
    page.get_by_role("link", name="Voir la page publique des Ateliers du Rhône").click()
    assert page.url.endswith(f"/organisations/{slug}")
