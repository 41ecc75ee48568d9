"""The legal pages: legal notice, privacy notice and accessibility statement, from the
configuration, in both languages, linked from every page's footer and from the forms that
collect personal data; served whole from the anonymous cache."""

import pytest

LEGAL = {"/mentions-legales": "Mentions légales", "/donnees-personnelles": "Données personnelles",
         "/accessibilite": "Déclaration d’accessibilité"}


@pytest.fixture
def app_config():
    return {"LEGAL_PUBLISHER": "Fondation d’essai", "LEGAL_DIRECTOR": "Mme Claire Publication",
            "LEGAL_HOST": "Hébergeur d’essai SA", "LEGAL_HOST_ADDRESS": "3 quai des Serveurs",
            "PRIVACY_CONTACT_EMAIL": "dpo@essai.example.org",
            "ACCESSIBILITY_CONTACT_EMAIL": "a11y@essai.example.org",
            "ACCESSIBILITY_STATEMENT_DATE": "2026-11-30", "LOGIN_SESSION_MAX_IDLE": 7 * 86400}


def _text(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("path", LEGAL)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_page_renders_in_each_language(client, path, language):
    page = _text(client.get(path, headers={"Accept-Language": language}))
    assert f'<html lang="{language}">' in page
    assert page.count("<h1>") == 1


def test_the_legal_notice_names_publisher_director_and_host(client):
    page = _text(client.get("/mentions-legales"))
    for value in ("Fondation d’essai", "Mme Claire Publication", "Hébergeur d’essai SA",
                  "3 quai des Serveurs"):
        assert value in page


def test_the_privacy_notice_states_the_periods_applied_and_the_contact(client):
    page = _text(client.get("/donnees-personnelles"))
    assert "après 7 jours sans activité" in page  # LOGIN_SESSION_MAX_IDLE
    assert "vaut 3 jours" in page and "2 heures" in page and "14 jours" in page
    assert "mailto:dpo@essai.example.org" in page
    assert 'href="https://www.cnil.fr/fr/plaintes"' in page
    for anchor in ("inscription", "signature", "engagements", "journal", "droits"):
        assert f'id="{anchor}"' in page
    for right in ("accès", "rectification", "effacement", "opposition"):
        assert right in page


def test_the_accessibility_statement_has_the_rgaa_parts(client):
    page = _text(client.get("/accessibilite"))
    assert "non conforme" in page and "aucun audit" in page
    assert "RGAA" in page and "axe-core" in page
    assert "30 novembre 2026" in page
    assert "mailto:a11y@essai.example.org" in page
    assert "Défenseur des droits" in page and "Libre réponse 71120" in page


def test_every_page_links_to_the_three_in_its_footer(client):
    for path in ("/", "/compte/connexion", *LEGAL):
        footer = _text(client.get(path)).split('<footer class="site-footer">')[1]
        for target in LEGAL:
            assert f'href="{target}"' in footer, (path, target)


def test_sign_up_links_to_the_privacy_notice_where_it_collects(client):
    page = _text(client.get("/compte/inscription"))
    form = page.split("<form")[1].split("</form>")[0]
    assert 'href="/donnees-personnelles#inscription"' in form


def test_the_signing_form_links_to_the_privacy_notice(client, login, make):
    owner = make.user()
    organisation = make.organisation(owner=owner)
    make.version()
    login(owner)
    page = _text(client.get(f"/espace/organisations/{organisation.id}/signer"))
    form = page.split('class="sign-form"')[1].split("</form>")[0]
    assert 'href="/donnees-personnelles#signature"' in form


@pytest.mark.parametrize("path", LEGAL)
def test_the_pages_are_served_from_the_anonymous_cache(app, client, path):
    first = client.get(path)
    assert "Set-Cookie" not in first.headers
    # A copy is kept: the view is not run again (its configuration is read at start-up only).
    app.config["LEGAL_PUBLISHER"] = "Éditeur changé"
    second = client.get(path)
    assert second.get_data() == first.get_data()
    assert "Éditeur changé" not in second.get_data(as_text=True)
