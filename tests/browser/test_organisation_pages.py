"""The member's space in Chromium: real CSRF, keyboard-free clicks, axe on every page."""

import pytest
from playwright.sync_api import expect

from ..organisations.helpers import png

pytestmark = pytest.mark.browser


def test_create_edit_and_manage_members_pass_axe(make, page, axe, screenshot, tmp_path,
                                                 sign_in):
    make.version()
    owner = make.user("responsable@example.org", full_name="Claire Responsable")
    sign_in(page, owner)
    page.goto("/espace/")
    expect(page.locator("main")).to_contain_text("Première étape")
    axe(page)

    page.get_by_role("link", name="Créer une organisation").click()
    page.get_by_label("Nom de l’organisation").fill("Les Amis du Rhône")
    page.get_by_label("Code postal").fill("13001")
    page.get_by_role("button", name="Créer l’organisation").click()
    expect(page.locator(".error-summary")).to_have_count(1)
    screenshot(page, "organisation-formulaire-erreurs")
    axe(page)

    page.get_by_label("Type d’organisation").select_option("association")
    page.get_by_label("Numéro RNA").fill("W691234567")
    page.get_by_label("Adresse", exact=True).fill("1 place Bellecour")
    page.get_by_label("Code postal").fill("69002")
    page.get_by_label("Commune").fill("Lyon")
    page.get_by_label("Département").select_option("69")
    logo = tmp_path / "logo.png"
    logo.write_bytes(png(size=(300, 120)))
    page.get_by_label("Logo").set_input_files(str(logo))
    page.get_by_role("button", name="Créer l’organisation").click()
    expect(page.locator("h1")).to_have_text("Les Amis du Rhône")
    expect(page.locator("main")).to_contain_text("Auvergne-Rhône-Alpes")
    # Once the browser has finished with the image (loaded or broken), it has its real width.
    page.wait_for_function("() => document.querySelector('img.logo')?.complete")
    assert page.locator("img.logo").evaluate("img => img.naturalWidth") == 300
    axe(page)

    page.get_by_role("link", name="Membres").click()
    page.get_by_label("Adresse e-mail").fill("nouvelle@example.org")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.locator("main")).to_contain_text("Une invitation a été envoyée")
    expect(page.locator("main")).to_contain_text("Invitations en attente")
    screenshot(page, "organisation-membres")
    axe(page)

    page.goto("/espace/")
    expect(page.get_by_role("link", name="Signer la charte")).to_be_visible()
    screenshot(page, "espace-une-organisation")
    axe(page)
