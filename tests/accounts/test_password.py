"""Password reset by e-mail and password change in the settings; both end the other sessions."""

import time

import pytest
from itsdangerous import TimestampSigner

from charter_service.accounts.models import User
from charter_service.extensions import db

from .helpers import NEW_PASSWORD, is_logged_in, link_in, log_in, text


@pytest.fixture
def app_config(smtp_app_config):
    return smtp_app_config


def _reload(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def _ask_reset(client, smtp_server, email, count=1) -> str:
    client.post("/compte/mot-de-passe-oublie", data={"email": email})
    return link_in(smtp_server.wait_for(count)[-1], "/compte/reinitialiser/")


def _new_password(client, link, password=NEW_PASSWORD, confirm=None):
    return client.post(link, data={"password": password,
                                   "password_confirm": password if confirm is None else confirm})


def test_forgot_password_answers_the_same_for_any_address(client, smtp_server, make):
    make.user("membre@example.org")
    known = text(client.post("/compte/mot-de-passe-oublie", data={"email": "membre@example.org"}))
    unknown = text(client.post("/compte/mot-de-passe-oublie",
                               data={"email": "inconnu@example.org"}))
    assert known == unknown
    assert "Si un compte existe pour cette adresse" in known
    [mail] = smtp_server.wait_for(1)
    assert len(smtp_server.messages) == 1 and mail["To"] == "membre@example.org"
    assert mail["Subject"] == "Choisir un nouveau mot de passe"
    assert "ne peut servir qu’une fois" in mail.get_content()


def test_reset_flow_logs_in_ends_other_sessions_and_works_once(client, app, smtp_server, make,
                                                               login):
    user = make.user("membre@example.org")
    elsewhere = login(user, app.test_client())
    assert is_logged_in(elsewhere)
    link = _ask_reset(client, smtp_server, user.email)

    form = client.get(link)
    assert form.status_code == 200 and "Choisir un nouveau mot de passe" in text(form)
    response = _new_password(client, link)
    assert response.status_code == 302 and response.headers["Location"] == "/espace/"
    assert is_logged_in(client)
    assert not is_logged_in(elsewhere)

    reused = client.get(link)
    assert reused.status_code == 400 and "Ce lien n’est pas valide" in text(reused)
    assert 'href="/compte/mot-de-passe-oublie"' in text(reused)
    again = _new_password(client, link, "encore un autre mot de passe")
    assert again.status_code == 400

    stranger = app.test_client()
    assert log_in(stranger, user.email, make.password).status_code == 200
    assert log_in(stranger, user.email, NEW_PASSWORD).status_code == 302


def test_reset_of_an_unconfirmed_account_confirms_it(client, smtp_server, make):
    user = make.user("nouveau@example.org", confirmed=False)
    link = _ask_reset(client, smtp_server, user.email)
    assert _new_password(client, link).status_code == 302
    assert _reload(user).confirmed_at is not None


def test_every_outstanding_reset_link_dies_once_one_is_used(client, smtp_server, make):
    user = make.user("membre@example.org")
    first = _ask_reset(client, smtp_server, user.email, 1)
    second = _ask_reset(client, smtp_server, user.email, 2)
    assert _new_password(client, second).status_code == 302
    assert client.get(first).status_code == 400


def test_expired_reset_link_is_refused(client, app, smtp_server, make, monkeypatch):
    user = make.user("membre@example.org")
    past = int(time.time()) - app.config["RESET_TOKEN_MAX_AGE"] - 60
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: past)
        link = _ask_reset(client, smtp_server, user.email)
    response = client.get(link)
    assert response.status_code == 400 and "Ce lien a expiré" in text(response)
    assert _new_password(client, link).status_code == 400
    assert _reload(user).password_hash == user.password_hash


@pytest.mark.parametrize("password,confirm,message", [
    ("court", "court", "au moins 12 caractères"),
    ("membre@example.org", "membre@example.org", "ne doit pas être votre adresse e-mail"),
    (NEW_PASSWORD, "autre chose encore", "ne sont pas identiques"),
    ("", "", "Choisissez un mot de passe."),
])
def test_reset_form_explains_what_is_wrong(client, smtp_server, make, password, confirm,
                                           message):
    user = make.user("membre@example.org")
    link = _ask_reset(client, smtp_server, user.email)
    response = _new_password(client, link, password, confirm)
    assert response.status_code == 200 and message in text(response)
    assert _reload(user).password_hash == user.password_hash
    assert client.get(link).status_code == 200  # the link still works


def _change(client, current, new=NEW_PASSWORD, confirm=None):
    return client.post("/compte/", data={
        "password-current_password": current, "password-password": new,
        "password-password_confirm": new if confirm is None else confirm,
        "password-submit": "Changer le mot de passe"})


def test_password_change_keeps_this_session_and_ends_the_others(client, app, make):
    user = make.user("membre@example.org")
    log_in(client, user.email, make.password, remember="y")
    elsewhere = app.test_client()
    log_in(elsewhere, user.email, make.password, remember="y")
    old_remember = elsewhere.get_cookie("remember_token").value

    response = _change(client, make.password)
    assert response.status_code == 302 and response.headers["Location"] == "/compte/"
    assert "Votre mot de passe a été changé" in text(client.get("/compte/"))
    assert is_logged_in(client)
    assert client.get_cookie("remember_token").value != old_remember
    assert not is_logged_in(elsewhere)  # the session and its remember cookie are both stale

    stranger = app.test_client()
    assert log_in(stranger, user.email, make.password).status_code == 200
    assert log_in(stranger, user.email, NEW_PASSWORD).status_code == 302


def test_password_change_needs_the_current_password(client, make, login):
    user = make.user("membre@example.org")
    login(user)
    response = _change(client, "not my password at all")
    assert response.status_code == 200
    assert "Le mot de passe actuel est incorrect." in text(response)
    assert _reload(user).password_hash == user.password_hash
    assert is_logged_in(client)


def test_password_change_refuses_the_address_as_password(client, make, login):
    user = make.user("membre@example.org")
    login(user)
    response = _change(client, make.password, "Membre@example.org")
    assert "ne doit pas être votre adresse e-mail" in text(response)
    assert _reload(user).password_hash == user.password_hash
