"""Sign-up, e-mail confirmation and the resend page, with e-mails read from a real SMTP server."""

import re
import time

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from charter_service.accounts.models import User
from charter_service.extensions import db

from .helpers import NEW_PASSWORD, link_in, log_in, text


@pytest.fixture
def app_config(smtp_app_config):
    return smtp_app_config


def _sign_up(client, email="Camille.Durand@Example.ORG", **overrides):
    data = {"full_name": "Camille Durand", "email": email, "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD, "locale": "fr", **overrides}
    return client.post("/compte/inscription", data=data)


def _user(email="camille.durand@example.org") -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def _user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_signup_page_states_the_password_rule(client):
    page = text(client.get("/compte/inscription"))
    assert "Au moins 12 caractères, difficile à deviner" in page
    assert '<option selected value="fr"' in page or 'selected value="fr"' in page


def test_signup_mail_link_confirms_then_login_works(client, smtp_server):
    response = _sign_up(client)
    assert response.status_code == 200
    assert "Vérifiez votre messagerie" in text(response)

    user = _user()
    assert user is not None and user.confirmed_at is None and user.locale == "fr"
    assert user.password_hash.startswith("$argon2id$") and NEW_PASSWORD not in user.password_hash
    assert log_in(client, user.email, NEW_PASSWORD).status_code == 200  # not yet confirmed

    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "camille.durand@example.org"
    assert mail["Subject"] == "Confirmez votre adresse e-mail"
    assert "Bonjour Camille Durand," in mail.get_content()
    confirmed = client.post(link_in(mail, "/compte/confirmer/"), follow_redirects=True)
    assert "Votre adresse e-mail est confirmée" in text(confirmed)
    assert _user().confirmed_at is not None

    response = log_in(client, "CAMILLE.durand@example.org ", NEW_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/espace/"
    assert _user().last_login_at is not None


def test_second_click_says_already_confirmed_and_changes_nothing(client, smtp_server):
    _sign_up(client)
    link = link_in(smtp_server.wait_for(1)[0], "/compte/confirmer/")
    client.post(link)
    first = _user().confirmed_at
    response = client.post(link, follow_redirects=True)
    assert "déjà confirmée : connectez-vous" in text(response)
    assert _user().confirmed_at == first


def test_expired_link_is_refused_with_a_resend_link(client, smtp_server, monkeypatch, app):
    past = int(time.time()) - app.config["CONFIRM_TOKEN_MAX_AGE"] - 60
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: past)
        _sign_up(client)
    response = client.get(link_in(smtp_server.wait_for(1)[0], "/compte/confirmer/"))
    assert response.status_code == 400
    assert "Ce lien a expiré" in text(response)
    assert 'href="/compte/renvoyer-confirmation"' in text(response)
    assert _user().confirmed_at is None


@pytest.mark.parametrize("tamper", [
    lambda link: link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB"),
    lambda link: link.replace("/confirmer/", "/confirmer/x"),
    lambda link: "/compte/confirmer/not-a-token",
    lambda link: "/compte/confirmer/%C3%A9%1B%FF",
])
def test_tampered_link_is_refused(client, smtp_server, tamper):
    _sign_up(client)
    link = link_in(smtp_server.wait_for(1)[0], "/compte/confirmer/")
    response = client.get(tamper(link))
    assert response.status_code == 400
    assert "Ce lien n’est pas valide" in text(response)
    assert _user().confirmed_at is None


def test_link_for_an_address_that_changed_is_refused(client, smtp_server):
    _sign_up(client)
    link = link_in(smtp_server.wait_for(1)[0], "/compte/confirmer/")
    user = _user()
    user.email = "autre.adresse@example.org"
    db.session.commit()
    assert client.get(link).status_code == 400
    assert _user("autre.adresse@example.org").confirmed_at is None


def test_reset_link_cannot_confirm(client, smtp_server, make):
    user = make.user("reset.only@example.org", confirmed=False)
    client.post("/compte/mot-de-passe-oublie", data={"email": user.email})
    reset_link = link_in(smtp_server.wait_for(1)[0], "/compte/reinitialiser/")
    token = reset_link.rsplit("/", 1)[1]
    assert client.get(f"/compte/confirmer/{token}").status_code == 400
    assert _user(user.email).confirmed_at is None


def test_duplicate_address_answers_the_same_and_mails_the_owner(client, smtp_server, make):
    owner = make.user("deja.inscrit@example.org", full_name="Alex Owner")
    hash_before = owner.password_hash
    fresh = _sign_up(client, email="nouvelle@example.org")
    duplicate = _sign_up(client, email="Deja.Inscrit@EXAMPLE.org", full_name="Intrus")
    assert duplicate.status_code == fresh.status_code == 200
    assert text(duplicate).replace("deja.inscrit", "X") == text(fresh).replace("nouvelle", "X")
    assert _user_count() == 2

    smtp_server.wait_for(2)
    [notice] = smtp_server.to("deja.inscrit@example.org")
    assert notice["Subject"] == "Tentative d’inscription avec votre adresse e-mail"
    body = notice.get_content()
    assert "Bonjour Alex Owner," in body and "Intrus" not in body
    assert "http://localhost/compte/connexion" in body
    assert "http://localhost/compte/mot-de-passe-oublie" in body
    assert "/compte/confirmer/" not in body
    owner = _user("deja.inscrit@example.org")
    assert owner.full_name == "Alex Owner" and owner.password_hash == hash_before


def test_duplicate_of_an_unconfirmed_account_carries_a_confirmation_link(client, smtp_server,
                                                                         make):
    make.user("pas.encore@example.org", confirmed=False)
    _sign_up(client, email="pas.encore@example.org")
    [notice] = smtp_server.wait_for(1)
    client.post(link_in(notice, "/compte/confirmer/"))
    assert _user("pas.encore@example.org").confirmed_at is not None


def test_resend_never_reveals_whether_an_address_exists(client, smtp_server, make):
    pending = make.user("en.attente@example.org", confirmed=False)
    make.user("confirme@example.org")
    pages = [text(client.post("/compte/renvoyer-confirmation", data={"email": address}))
             for address in ("en.attente@example.org", "inconnu@example.org",
                             "confirme@example.org")]
    assert pages[0] == pages[1] == pages[2]
    assert "un nouveau lien vient d’y être envoyé" in pages[0]

    [mail] = smtp_server.wait_for(1)
    assert len(smtp_server.messages) == 1 and mail["To"] == pending.email
    client.post(link_in(mail, "/compte/confirmer/"))
    assert _user(pending.email).confirmed_at is not None


def test_english_speaker_gets_the_default_language(client):
    page = text(client.get("/compte/inscription", headers={"Accept-Language": "en-GB,en"}))
    assert 'selected value="en"' in page


def test_opening_the_link_changes_nothing_until_the_button_is_pressed(client, smtp_server):
    """Mail gateways open every link before the person does: a GET only shows the button."""
    _sign_up(client)
    link = link_in(smtp_server.wait_for(1)[0], "/compte/confirmer/")

    for _ in range(2):
        page = client.get(link)
        assert page.status_code == 200
        assert "Confirmer mon adresse" in text(page) and 'method="post"' in text(page)
        assert _user().confirmed_at is None

    response = client.post(link)
    assert response.status_code == 302 and response.headers["Location"] == "/compte/connexion"
    assert _user().confirmed_at is not None
    assert "déjà confirmée" in text(client.get(link))


class TestConfirmationButtonCSRF:
    @pytest.fixture
    def app_config(self, smtp_app_config):
        return smtp_app_config | {"WTF_CSRF_ENABLED": True}

    def test_the_button_needs_the_page_s_token(self, client, smtp_server):
        _sign_up(client, csrf_token=_csrf_token(client.get("/compte/inscription")))
        link = link_in(smtp_server.wait_for(1)[0], "/compte/confirmer/")

        assert client.post(link).status_code == 400
        assert _user().confirmed_at is None
        client.post(link, data={"csrf_token": _csrf_token(client.get(link))})
        assert _user().confirmed_at is not None


def _csrf_token(response) -> str:
    return re.search(r'name="csrf_token"[^>]*? value="([^"]+)"', text(response)).group(1)
