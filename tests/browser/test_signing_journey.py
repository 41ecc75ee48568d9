"""The whole journey in Chromium: sign-up → e-mailed confirmation → organisation → signature →
a moderator approves → the attestation is there; axe-core on every page visited."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from charter_service.accounts.models import Role
from charter_service.extensions import db
from charter_service.signatures.models import Signature, SignatureStatus

pytestmark = pytest.mark.browser
PASSWORD = "une phrase de passe vraiment longue"  # noqa: S105


def _visit(page, axe, screenshot, name):
    screenshot(page, f"parcours-{name}")
    axe(page)


def test_from_sign_up_to_an_approved_signature(app, make, page, browser, live_server,
                                               smtp_server, axe, screenshot):
    version = make.version(principles=6)
    email = "maire@commune-exemple.fr"

    page.goto("/")
    _visit(page, axe, screenshot, "accueil")
    page.get_by_role("link", name="Lire la charte").click()
    expect(page.locator("h1")).to_be_visible()
    _visit(page, axe, screenshot, "charte")

    page.get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Nom complet").fill("Hélène Ardouin")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(PASSWORD)
    _visit(page, axe, screenshot, "inscription")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.locator("h1")).to_contain_text("Vérifiez votre messagerie")
    _visit(page, axe, screenshot, "verifiez")

    [message] = smtp_server.wait_for(1)
    link = re.search(r"https?://\S+/compte/confirmer/\S+", message.get_content()).group(0)
    page.goto(link)
    _visit(page, axe, screenshot, "confirmation")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirmer mon adresse").click()

    page.goto("/compte/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    _visit(page, axe, screenshot, "connexion")
    with page.expect_navigation(url=lambda url: urlsplit(url).path == "/espace/"):
        page.get_by_role("button", name="Se connecter").click()
    _visit(page, axe, screenshot, "espace-vide")

    page.get_by_role("link", name="Créer une organisation").click()
    page.get_by_label("Nom de l’organisation").fill("Commune de Saint-Exemple-sur-Loire")
    page.get_by_label("Type d’organisation").select_option("collectivite")
    page.get_by_label("SIREN ou SIRET").fill("217 500 016")
    page.get_by_label("Adresse", exact=True).fill("2 place de la Mairie")
    page.get_by_label("Code postal").fill("44000")
    page.get_by_label("Commune").fill("Saint-Exemple-sur-Loire")
    page.get_by_label("Département").select_option("44")
    _visit(page, axe, screenshot, "organisation-formulaire")
    page.get_by_role("button", name="Créer l’organisation").click()
    expect(page.locator("h1")).to_have_text("Commune de Saint-Exemple-sur-Loire")
    expect(page.locator("main")).to_contain_text("Pays de la Loire")
    _visit(page, axe, screenshot, "organisation")

    page.goto("/espace/")
    page.get_by_role("link", name="Signer la charte").click()
    page.get_by_label("Nom et prénom de la personne signataire").fill("Hélène Ardouin")
    page.get_by_label("Fonction").fill("Maire")
    page.get_by_label(re.compile("J.atteste")).check()
    page.get_by_label(re.compile("je les accepte")).check()
    _visit(page, axe, screenshot, "signature-formulaire")
    page.get_by_role("button", name=re.compile("Signer")).click()
    expect(page.locator("main")).to_contain_text("en attente")
    _visit(page, axe, screenshot, "espace-signature-en-attente")

    signature = db.session.scalars(select(Signature)).one()
    assert signature.status == SignatureStatus.PENDING
    assert signature.signatory_function == "Maire"
    assert signature.version_sha256 == version.sha256()
    assert smtp_server.wait_for(2)[1]["To"] == email  # the receipt

    moderator = make.user("moderatrice@fondation.example.org", role=Role.MODERATOR)
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR",
                                base_url=live_server)
    desk = staff.new_page()
    desk.goto("/compte/connexion")
    desk.get_by_label("Adresse e-mail").fill(moderator.email)
    desk.get_by_label("Mot de passe").fill(make.password)
    desk.get_by_role("button", name="Se connecter").click()
    desk.goto("/moderation/")
    expect(desk.locator("main")).to_contain_text("Commune de Saint-Exemple-sur-Loire")
    _visit(desk, axe, screenshot, "moderation-file")
    desk.get_by_role("link", name=re.compile("Commune de Saint-Exemple-sur-Loire")).first.click()
    _visit(desk, axe, screenshot, "moderation-signature")
    desk.get_by_role("button", name="Approuver la signature").click()
    desk.get_by_role("button", name="Confirmer l’approbation").click()
    expect(desk.locator("main")).to_contain_text("est approuvée")
    staff.close()

    db.session.expire_all()
    assert db.session.get(Signature, signature.id).status == SignatureStatus.APPROVED
    approval = [m for m in smtp_server.wait_for(3) if "approuvée" in str(m["Subject"])]
    assert approval and approval[0]["To"] == email

    page.goto("/espace/")
    expect(page.locator("main")).to_contain_text("approuvée")
    page.get_by_role("link", name=re.compile("Voir l’organisation")).click()
    _visit(page, axe, screenshot, "organisation-attestation")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Télécharger le PDF")).click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-") and b"/ByteRange" in pdf  # a signed PDF
