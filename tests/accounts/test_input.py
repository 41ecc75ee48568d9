"""Hostile and unusual input on the account forms: French messages, escaped output, never a 500."""

import pytest
from sqlalchemy import func, select

from charter_service.accounts.models import User
from charter_service.extensions import db

from .helpers import NEW_PASSWORD, SHORT_PASSWORD, log_in, text

ACCOUNT_FORMS = ["/compte/inscription", "/compte/connexion", "/compte/renvoyer-confirmation",
                 "/compte/mot-de-passe-oublie"]


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def _sign_up(client, **fields):
    data = {"full_name": "Camille Durand", "email": "camille@example.org",
            "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD, "locale": "fr", **fields}
    return client.post("/compte/inscription", data=data)


def test_empty_sign_up_form_names_every_missing_field(client):
    page = text(client.post("/compte/inscription", data={}))
    for message in ("Indiquez votre nom complet.", "Indiquez votre adresse e-mail.",
                    "Choisissez un mot de passe.", "Saisissez le mot de passe une seconde fois."):
        assert message in page
    assert _users() == 0


@pytest.mark.parametrize("fields,message", [
    ({"email": "camille@"}, "Saisissez une adresse e-mail valide"),
    ({"email": "camille@example.test"}, "Saisissez une adresse e-mail valide"),
    ({"password": "court", "password_confirm": "court"}, "au moins 12 caractères"),
    ({"password": "Camille@Example.org", "password_confirm": "Camille@Example.org"},
     "ne doit pas être votre adresse e-mail"),
    ({"password_confirm": "autre chose encore"}, "ne sont pas identiques"),
    ({"full_name": "x" * 121}, "ne doit pas dépasser 120 caractères"),
    ({"full_name": "Camille\x1b[31mDurand"}, "caractère invisible ou de contrôle (U+001B)"),
    ({"locale": "xx"}, "choix valide"),
    ({"password": "y" * 1025, "password_confirm": "y" * 1025}, "trop long"),
])
def test_sign_up_mistakes_are_explained_in_french(client, fields, message):
    response = _sign_up(client, **fields)
    assert response.status_code == 200
    assert message in text(response)
    assert _users() == 0


def test_entered_values_are_kept_when_the_form_comes_back(client):
    page = text(_sign_up(client, password=SHORT_PASSWORD, password_confirm=SHORT_PASSWORD))
    assert 'value="Camille Durand"' in page and 'value="camille@example.org"' in page
    assert NEW_PASSWORD not in page and 'value="court"' not in page


@pytest.mark.parametrize("name", ["Zoé 🌍 Lefèvre 👩🏽‍💼", "مريم الحسيني", "דוד כהן", "  Ana  "])
def test_unusual_names_are_stored_as_typed(client, name):
    assert _sign_up(client, full_name=name).status_code == 200
    stored = db.session.scalar(select(User.full_name))
    assert stored == name.strip()


def test_markup_in_a_name_is_shown_as_text(client, make, login):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    page = text(_sign_up(client, full_name=hostile, password=SHORT_PASSWORD,
                         password_confirm=SHORT_PASSWORD))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page

    login(make.user("hostile@example.org", full_name=hostile))
    settings = text(client.get("/compte/"))
    assert "<script>alert" not in settings and "&lt;script&gt;" in settings


@pytest.mark.parametrize("path", ACCOUNT_FORMS + ["/compte/"])
@pytest.mark.parametrize("body", [
    b"email=\xff\xfe%C3&password=\xc3\x28\xa0\xa1&full_name=\xed\xa0\x80",
    b"email=%FF%00%ED%A0%80&password=%00&password_confirm=%00&full_name=%00&locale=%FF",
    b"\x00\x01\x02=\x03&&&==&%%%",
    b"profile-full_name=%00&profile-submit=1&password-submit=1&password-password=%FF",
])
def test_broken_bodies_never_give_a_server_error(client, make, login, path, body):
    if path == "/compte/":
        login(make.user())
    response = client.post(path, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500
    assert 'lang="fr"' in text(response)
    assert _users() == (1 if path == "/compte/" else 0)


@pytest.mark.parametrize("token", ["%FF%FE", "a" * 2000, "..", "é.é.é", "%00"])
def test_broken_tokens_never_give_a_server_error(client, token):
    for path in ("/compte/confirmer/", "/compte/reinitialiser/"):
        response = client.get(path + token)
        assert response.status_code in (400, 404)


def test_lookalike_address_does_not_log_in(client, make):
    make.user("membre@example.org")
    assert log_in(client, "membre@exampIe.org", make.password).status_code == 200
    assert log_in(client, "membre@example.org\x00", make.password).status_code == 400
