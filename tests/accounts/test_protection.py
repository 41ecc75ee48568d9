"""CSRF and rate limits on the account forms, answered with French error pages."""

import re

import pytest
from sqlalchemy import func, select

from charter_service.accounts.models import User
from charter_service.extensions import db

from .helpers import NEW_PASSWORD, is_logged_in, log_in, text

CSRF_MESSAGE = "Le formulaire a expiré"


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def _csrf_token(client, path="/compte/inscription") -> str:
    return re.search(r'name="csrf_token"[^>]*? value="([^"]+)"',
                     text(client.get(path))).group(1)


def _signup_data(**extra):
    return {"full_name": "Camille Durand", "email": "camille@example.org",
            "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD, "locale": "fr", **extra}


class TestCSRF:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_sign_up_with_its_own_token_works(self, client):
        token = _csrf_token(client)
        response = client.post("/compte/inscription", data=_signup_data(csrf_token=token))
        assert response.status_code == 200 and "Vérifiez votre messagerie" in text(response)
        assert _users() == 1

    @pytest.mark.parametrize("token", [None, "", "forged-token"])
    def test_sign_up_without_a_valid_token_is_refused(self, client, token):
        client.get("/compte/inscription")
        data = _signup_data() if token is None else _signup_data(csrf_token=token)
        response = client.post("/compte/inscription", data=data)
        assert response.status_code == 400 and CSRF_MESSAGE in text(response)
        assert _users() == 0

    def test_a_token_from_another_visitor_is_refused(self, client, app):
        foreign = _csrf_token(app.test_client())
        client.get("/compte/inscription")
        response = client.post("/compte/inscription", data=_signup_data(csrf_token=foreign))
        assert response.status_code == 400 and CSRF_MESSAGE in text(response)
        assert _users() == 0

    def test_logout_needs_the_token(self, client, make):
        user = make.user("membre@example.org")
        log_in(client, user.email, make.password,
               csrf_token=_csrf_token(client, "/compte/connexion"))
        assert is_logged_in(client)
        assert client.post("/compte/deconnexion").status_code == 400
        assert is_logged_in(client)
        token = _csrf_token(client, "/compte/")
        assert client.post("/compte/deconnexion", data={"csrf_token": token}).status_code == 302
        assert not is_logged_in(client)

    def test_settings_forms_check_their_own_token(self, client, make):
        user = make.user("membre@example.org", full_name="Camille Martin")
        log_in(client, user.email, make.password,
               csrf_token=_csrf_token(client, "/compte/connexion"))
        data = {"profile-full_name": "Autre", "profile-locale": "fr", "profile-submit": "1"}
        assert client.post("/compte/", data=data).status_code == 400
        page = text(client.get("/compte/"))
        token = re.search(r'name="profile-csrf_token"[^>]*? value="([^"]+)"', page).group(1)
        response = client.post("/compte/", data={**data, "profile-csrf_token": token})
        assert response.status_code == 302
        db.session.expire_all()
        assert db.session.get(User, user.id).full_name == "Autre"


class TestRateLimits:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "3 per minute",
                "RATELIMIT_SIGNUP": "2 per minute", "RATELIMIT_PASSWORD_RESET": "2 per minute"}

    def test_fourth_login_attempt_is_refused_in_french(self, client, make):
        make.user("membre@example.org")
        for _ in range(3):
            assert log_in(client, "membre@example.org", "wrong password!!").status_code == 200
        response = log_in(client, "membre@example.org", make.password)
        assert response.status_code == 429
        assert "Trop de tentatives" in text(response) and 'lang="fr"' in text(response)
        assert not is_logged_in(client)
        assert client.get("/compte/connexion").status_code == 200  # reading the page is not limited

    @pytest.mark.parametrize("path,limit", [("/compte/inscription", 2),
                                            ("/compte/renvoyer-confirmation", 2),
                                            ("/compte/mot-de-passe-oublie", 2)])
    def test_mail_sending_forms_are_limited(self, client, path, limit):
        for _ in range(limit):
            assert client.post(path, data={"email": "x@example.org"}).status_code == 200
        response = client.post(path, data={"email": "x@example.org"})
        assert response.status_code == 429 and "Trop de tentatives" in text(response)
