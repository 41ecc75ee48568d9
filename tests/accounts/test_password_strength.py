"""Passwords must be hard to guess (zxcvbn, with French words and the AZERTY keyboard), and the
sign-up, reset and change forms say why in French."""

import pytest
from sqlalchemy import func, select

from charter_service.accounts.models import User
from charter_service.extensions import db

from .helpers import link_in, text

ADVICE = "Ajoutez un ou deux mots peu courants"
HINT = ("Au moins 12 caractères, difficile à deviner : ni mot de passe courant, ni suite de "
        "touches, ni votre nom ou votre adresse e-mail.")
# Refused, with the reason the field gives, for Camille Durand <camille.durand@example.org>.
WEAK = [
    ("passwordpassword", "répète les mêmes caractères ou le même motif"),
    ("123456789012", "trop courant ou fait de mots trop connus"),
    ("motdepasse12", "trop courant ou fait de mots trop connus"),
    ("mot de passe 12", "trop courant ou fait de mots trop connus"),
    ("soleilbonjour", "trop courant ou fait de mots trop connus"),
    ("azertyuiop12", "suit les touches du clavier"),
    ("qsdfghjklm12", "suit les touches du clavier"),
    ("&é\"'(-è_çà12", "suit les touches du clavier"),
    ("abcdefghijkl", "suite trop prévisible"),
    ("Camille Durand 1990", "contient votre nom ou votre adresse e-mail"),
    ("camille.durand75", "contient votre nom ou votre adresse e-mail"),
    ("chartealliance", "reprend le nom du service ou de la charte"),
]
STRONG = ["correct horse battery staple", "une phrase de passe toute neuve",
          "violet mouette 47 grenier", "Le chat dort sur le radiateur", "Tr0ub4dor&3xyz"]


@pytest.fixture
def app_config(smtp_app_config):
    return smtp_app_config


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def _sign_up(client, password):
    return client.post("/compte/inscription", data={
        "full_name": "Camille Durand", "email": "camille.durand@example.org",
        "password": password, "password_confirm": password, "locale": "fr"})


@pytest.mark.parametrize("password,reason", WEAK)
def test_sign_up_refuses_a_guessable_password_and_says_why(client, password, reason):
    response = _sign_up(client, password)
    page = text(response)
    assert response.status_code == 200
    assert reason in page and ADVICE in page
    assert _users() == 0


@pytest.mark.parametrize("password", STRONG)
def test_sign_up_accepts_a_hard_password(client, password):
    response = _sign_up(client, password)
    assert response.status_code == 200 and "Vérifiez votre messagerie" in text(response)
    assert _users() == 1


def test_the_forms_state_the_rule_they_apply(client, make, login):
    assert HINT in text(client.get("/compte/inscription"))
    login(make.user())
    assert HINT in text(client.get("/compte/"))


def test_reset_refuses_a_guessable_password_and_keeps_the_old_one(client, smtp_server, make):
    user = make.user("camille.durand@example.org", full_name="Camille Durand")
    client.post("/compte/mot-de-passe-oublie", data={"email": user.email})
    link = link_in(smtp_server.wait_for(1)[0], "/compte/reinitialiser/")
    assert HINT in text(client.get(link))
    for password, reason in [("motdepasse12", "trop courant"),
                             ("durandcamille", "contient votre nom")]:
        response = client.post(link, data={"password": password, "password_confirm": password})
        assert response.status_code == 200 and reason in text(response)
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == user.password_hash
    response = client.post(link, data={"password": STRONG[1], "password_confirm": STRONG[1]})
    assert response.status_code == 302


def test_change_refuses_a_guessable_password(client, make, login):
    user = make.user("camille.durand@example.org", full_name="Camille Durand")
    login(user)
    response = client.post("/compte/", data={
        "password-current_password": make.password, "password-password": "123456789012",
        "password-password_confirm": "123456789012", "password-submit": "1"})
    assert response.status_code == 200 and "trop courant" in text(response)
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == user.password_hash


def test_a_very_long_password_is_judged_without_error(client):
    long_one = ("Le vent du nord souffle sur les toits gris de la vieille ville pendant que "
                "les mouettes tournent au-dessus du port et que le marché ferme ses volets")
    response = _sign_up(client, long_one)
    assert response.status_code == 200 and "Vérifiez votre messagerie" in text(response)


def test_users_create_refuses_a_guessable_password(app):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "modo@example.org", "--role", "moderator", "--password",
        "motdepasse12"])
    assert result.exit_code != 0 and "Password too easy to guess (common)." in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
