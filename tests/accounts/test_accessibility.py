"""Every account page, shown with its error messages, passes axe-core; log-in works by keyboard."""

import threading

import pytest
from werkzeug.serving import make_server

pytestmark = pytest.mark.browser


@pytest.fixture
def live_url(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def page(browser):
    """A fresh context of the worker's Chromium (tests/conftest.py), in French."""
    context = browser.new_context(locale="fr-FR")
    yield context.new_page()
    context.close()


def _serious_violations(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [(page.url, v["id"], [node["html"][:100] for node in v["nodes"]])
            for v in violations if v["impact"] in ("serious", "critical")]


def test_account_pages_pass_axe(page, live_url, make):
    user = make.user("membre@example.org")
    found = []
    for path in ("/compte/inscription", "/compte/connexion", "/compte/renvoyer-confirmation",
                 "/compte/mot-de-passe-oublie", "/compte/confirmer/abc", "/compte/reinitialiser/x"):
        page.goto(live_url + path)
        if page.locator("form[novalidate] input[type=submit]").count():
            page.locator("form[novalidate] input[type=submit]").first.click()  # sent empty
        found += _serious_violations(page)

    page.goto(live_url + "/compte/connexion")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.fill("#email", user.email)
    page.fill("#password", make.password)
    page.press("#password", "Enter")
    page.wait_for_url(f"{live_url}/espace/")
    page.goto(live_url + "/compte/")
    page.click("#password-submit")
    found += _serious_violations(page)
    assert found == []
