"""The legal pages, and a member's personal data from the settings page, in Chromium with
axe-core: read the three pages from the footer, download the data, delete the account."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from charter_service.accounts.models import Role

from ..accounts.personal_data_world import build

pytestmark = pytest.mark.browser

LEGAL = (("Mentions légales", "/mentions-legales", "legal-mentions"),
         ("Données personnelles", "/donnees-personnelles", "legal-donnees-personnelles"),
         ("Accessibilité : non conforme", "/accessibilite", "legal-accessibilite"))


def test_the_three_legal_pages_from_the_footer(page, axe, screenshot):
    for link, path, name in LEGAL:
        page.goto("/")
        with page.expect_navigation():
            page.locator("footer").get_by_role("link", name=link).click()
        assert urlsplit(page.url).path == path
        assert page.locator("h1").count() == 1
        screenshot(page, name)
        axe(page)


def test_download_the_data_then_delete_the_account(make, page, axe, screenshot):
    world = build(make)
    page.goto("/compte/connexion?next=/compte/")
    page.get_by_label("Adresse e-mail").fill(world.karim.email)
    page.get_by_label("Mot de passe").fill(make.password)
    with page.expect_navigation(url=lambda url: urlsplit(url).path == "/compte/"):
        page.get_by_role("button", name="Se connecter").click()
    screenshot(page, "compte-reglages")
    axe(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger mes données").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["account"]["email"] == world.karim.email

    page.get_by_role("link", name="Supprimer mon compte").click()
    assert page.locator("h1").inner_text() == "Supprimer mon compte"
    page.get_by_label("Mot de passe actuel").fill(make.password)
    page.get_by_label("Je demande la suppression").check()
    screenshot(page, "compte-suppression")
    axe(page)
    with page.expect_navigation(url=lambda url: urlsplit(url).path == "/"):
        page.get_by_role("button", name="Supprimer mon compte").click()
    assert "Votre compte a été supprimé" in page.locator(".flashes").inner_text()
    assert page.get_by_role("link", name="Se connecter").is_visible()


def test_a_moderator_handles_a_request_for_personal_data(make, page, axe, screenshot):
    world = build(make)
    moderator = make.user("moderatrice@example.org", role=Role.MODERATOR,
                          full_name="Mona Modératrice")
    page.goto("/compte/connexion?next=/moderation/comptes")
    page.get_by_label("Adresse e-mail").fill(moderator.email)
    page.get_by_label("Mot de passe").fill(make.password)
    with page.expect_navigation(url=lambda url: urlsplit(url).path == "/moderation/comptes"):
        page.get_by_role("button", name="Se connecter").click()
    screenshot(page, "moderation-comptes")
    axe(page)
    page.get_by_label("Adresse e-mail du compte").fill(world.karim.email)
    with page.expect_navigation(
            url=lambda url: urlsplit(url).path == f"/moderation/comptes/{world.karim.id}"):
        page.get_by_role("button", name="Rechercher").click()
    screenshot(page, "moderation-compte")
    axe(page)
    page.get_by_label("La personne a demandé la suppression").check()
    page.get_by_role("button", name="Supprimer le compte").click()
    assert "est supprimé" in page.locator(".flashes").inner_text()
    axe(page)
