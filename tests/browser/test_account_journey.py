"""Sign up, confirm by e-mail and log in with the keyboard alone, through real CSRF and SMTP."""

import re
from urllib.parse import urlsplit

import pytest
from flask import url_for

from charter_service.demo.loader import DEMO_PASSWORD

NAME_OF_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el.closest('main')) return null;
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return (label || el.getAttribute('aria-label') || el.value || el.innerText || '').trim();
}"""
PASSWORD = "une phrase de passe assez longue"  # noqa: S105


def tab_to(page, name: str, presses: int = 40) -> None:
    """Press Tab until the focused control in main is the one whose label starts with `name`."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(NAME_OF_FOCUSED)
        if focused and focused.startswith(name):
            return
    raise AssertionError(f"the keyboard never reached « {name} » on {page.url}")


def skip_to_content(page) -> None:
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")


def test_the_test_client_still_works_with_the_live_server_config(app, client, live_server):
    assert client.get("/compte/connexion").status_code == 200
    assert url_for("accounts.login", _external=True) == f"{live_server}/compte/connexion"


@pytest.mark.browser
def test_sign_up_confirm_and_log_in_with_the_keyboard(page, live_server, smtp_server, axe,
                                                      screenshot):
    email = "camille.journey@example.org"
    page.goto("/compte/inscription")
    skip_to_content(page)
    for label, text in (("Nom complet", "Camille Parcours"), ("Adresse e-mail", email),
                        ("Mot de passe", PASSWORD), ("Confirmez le mot de passe", PASSWORD)):
        tab_to(page, label)
        page.keyboard.type(text)
    tab_to(page, "Créer mon compte")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "Vérifiez votre messagerie" in page.locator("h1").inner_text()
    axe(page)
    smtp_server.wait_for(1)
    [message] = smtp_server.to(email)
    links = re.findall(r"https?://\S+", message.get_content())
    confirm_link = next(link for link in links if "/compte/confirmer/" in link)
    assert confirm_link.startswith(f"{live_server}/compte/confirmer/")

    page.goto(confirm_link)  # shows a button: opening the link alone confirms nothing
    tab_to(page, "Confirmer mon adresse")
    with page.expect_navigation(url=lambda url: urlsplit(url).path == "/compte/connexion"):
        page.keyboard.press("Enter")
    assert "Votre adresse e-mail est confirmée" in page.content()
    skip_to_content(page)
    tab_to(page, "Adresse e-mail")
    page.keyboard.type(email)
    tab_to(page, "Mot de passe")
    page.keyboard.type(PASSWORD)
    tab_to(page, "Se connecter")
    # The skip link's #contenu survives the redirect, as browsers keep fragments across them.
    with page.expect_navigation(url=lambda url: urlsplit(url).path == "/espace/"):
        page.keyboard.press("Enter")

    assert page.get_by_role("button", name="Se déconnecter").is_visible()
    screenshot(page, "journey-espace")
    axe(page)


@pytest.mark.browser
def test_a_printed_demo_log_in_shows_the_organisation_and_its_status(
        app, page, axe, screenshot):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert "laure.perrin@demo.example.org" in result.output

    page.goto("/compte/connexion")
    page.get_by_label("Adresse e-mail").fill("laure.perrin@demo.example.org")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    with page.expect_navigation(url=lambda url: urlsplit(url).path == "/espace/"):
        page.get_by_role("button", name="Se connecter").click()

    panel = page.get_by_role("region", name="Communauté d'agglomération Estuaire et Marais")
    assert "modifications demandées" in panel.inner_text()
    screenshot(page, "demo-espace-modifications-demandees")
    axe(page)
