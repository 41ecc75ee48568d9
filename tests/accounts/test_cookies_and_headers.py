"""Secure cookies outside development, HSTS over HTTPS, nothing personal left in a cache."""

import pytest

from charter_service import create_app

from .helpers import log_in

HTTPS = "https://localhost"


def _set_cookies(response) -> dict[str, str]:
    """Name → the whole Set-Cookie line, for each cookie the response sets."""
    return {line.split("=", 1)[0]: line for line in response.headers.getlist("Set-Cookie")}


class TestProductionCookies:
    @pytest.fixture
    def app_config(self, production_settings):
        return {**production_settings, "ENV_NAME": "production"}

    def test_session_and_remember_cookies_are_secure(self, client, make):
        make.user("membre@example.org")
        response = client.post("/compte/connexion", base_url=HTTPS, data={
            "email": "membre@example.org", "password": make.password, "remember": "y"})

        assert response.status_code == 302
        cookies = _set_cookies(response)
        assert "; Secure" in cookies["session"] and "; HttpOnly" in cookies["session"]
        assert "; Secure" in cookies["remember_token"]


def test_the_caller_may_still_turn_secure_cookies_off(database_url, production_settings):
    app = create_app({**production_settings, "ENV_NAME": "production",
                      "SQLALCHEMY_DATABASE_URI": database_url, "SESSION_COOKIE_SECURE": False})
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_development_cookies_work_over_plain_http(client, make):
    make.user("membre@example.org")
    response = log_in(client, "membre@example.org", make.password, remember="y")
    assert "Secure" not in " ".join(_set_cookies(response).values())


class TestStrictTransportSecurity:
    @pytest.fixture
    def app_config(self):
        return {"TRUSTED_PROXIES": 1}

    def test_sent_over_https_only(self, client):
        assert client.get("/", base_url=HTTPS).headers["Strict-Transport-Security"] == \
            "max-age=31536000; includeSubDomains"
        assert "Strict-Transport-Security" not in client.get("/").headers

    def test_sent_when_the_trusted_proxy_says_https(self, client):
        response = client.get("/", headers={"X-Forwarded-Proto": "https"})
        assert "includeSubDomains" in response.headers["Strict-Transport-Security"]


@pytest.mark.parametrize("path", ["/espace/", "/compte/", "/", "/registre.csv",
                                  "/api/v1/charter", "/charte"])
def test_nothing_a_logged_in_person_receives_is_cached(client, make, login, path):
    make.version(number=1)
    login(make.user())
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_anonymous_pages_and_static_files_keep_their_caching(client, make, login):
    make.version(number=1)
    assert client.get("/registre.csv").headers["Cache-Control"] != "no-store"
    login(make.user())
    with client.get("/static/app.css") as response:
        assert response.headers.get("Cache-Control") != "no-store"
