"""The rate limits' Redis does not answer: a form behind a limit says so in French (503), never
a 500, and the attempt it refused counts as none. (tests/cluster/ stops a real Redis.)"""

import pytest

from ..conftest import _free_port
from .helpers import text

UNAVAILABLE = "Le service est momentanément indisponible : réessayez dans quelques minutes."


@pytest.fixture(autouse=True)
def _no_reset_of_an_absent_store(monkeypatch):
    """The app's teardown empties the limits' store; there is none to empty here."""
    from charter_service.extensions import limiter

    monkeypatch.setattr(limiter, "reset", lambda: None)


@pytest.fixture
def app_config():
    # Nothing listens on that port: every access to the store is refused at once.
    return {"RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{_free_port()}/0"}


@pytest.mark.parametrize("path,fields", [
    ("/compte/connexion", {"email": "membre@example.org", "password": "pas le bon mot de passe"}),
    ("/compte/inscription", {"full_name": "Nouvelle Personne", "email": "nouvelle@example.org",
                             "password": "un mot de passe assez long",
                             "password_confirm": "un mot de passe assez long"}),
    ("/compte/mot-de-passe-oublie", {"email": "membre@example.org"}),
])
def test_a_limited_form_answers_503_in_french(client, make, path, fields):
    make.user("membre@example.org")
    refused = client.post(path, data=fields)
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "120"
    assert UNAVAILABLE in text(refused)


def test_the_pages_without_a_limit_are_served(client):
    assert client.get("/compte/connexion").status_code == 200
    assert client.get("/charte").status_code in (200, 404)
