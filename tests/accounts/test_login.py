"""Log-in, log-out, the `next` redirect and session renewal."""

import pytest

from charter_service.accounts.models import User
from charter_service.accounts.views import safe_next
from charter_service.extensions import db

from .helpers import is_logged_in, log_in, text

GENERIC_FAILURE = "Adresse e-mail ou mot de passe incorrect."


def test_login_lands_in_the_member_space_and_records_the_time(client, make):
    user = make.user("membre@example.org")
    response = log_in(client, "Membre@Example.org", make.password)
    assert response.status_code == 302 and response.headers["Location"] == "/espace/"
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is not None
    assert is_logged_in(client)


def test_wrong_password_and_unknown_address_get_one_generic_message(client, make):
    make.user("membre@example.org")
    wrong = log_in(client, "membre@example.org", "not the right password")
    unknown = log_in(client, "personne@example.org", "not the right password")
    assert wrong.status_code == unknown.status_code == 200
    assert GENERIC_FAILURE in text(wrong)
    assert text(wrong).replace("membre@", "X@") == text(unknown).replace("personne@", "X@")
    assert not is_logged_in(client)


def test_unconfirmed_account_is_refused_with_a_resend_link(client, make):
    make.user("nouveau@example.org", confirmed=False)
    page = text(log_in(client, "nouveau@example.org", make.password))
    assert "pas encore confirmée" in page
    assert 'href="/compte/renvoyer-confirmation"' in page
    assert not is_logged_in(client)
    # Without the right password, nothing tells that the account exists.
    assert GENERIC_FAILURE in text(log_in(client, "nouveau@example.org", "wrong password!!"))


@pytest.mark.parametrize("email,password", [("", ""), ("membre@example.org", ""),
                                            ("", "whatever"), ("pas une adresse", "x" * 20),
                                            ("membre\x1b@example.org", "x" * 20)])
def test_incomplete_login_form_gets_french_messages(client, make, email, password):
    make.user("membre@example.org")
    response = log_in(client, email, password)
    assert response.status_code == 200
    page = text(response)
    assert ("Indiquez votre" in page) or (GENERIC_FAILURE in page)
    assert not is_logged_in(client)


@pytest.mark.parametrize("target", [
    "https://evil.example", "//evil.example", "/\\evil.example", "\\\\evil.example",
    "javascript:alert(1)", "http:/evil.example", "/\t/evil.example", "///evil.example",
    " //evil.example", "https:evil.example", "%2F%2Fevil.example", "",
])
def test_next_never_leaves_the_site(client, make, target):
    make.user("membre@example.org")
    response = client.post("/compte/connexion", query_string={"next": target},
                           data={"email": "membre@example.org", "password": make.password})
    assert response.status_code == 302
    assert response.headers["Location"] == "/espace/"


def test_next_on_the_site_is_honoured(client, make):
    make.user("membre@example.org")
    response = client.post("/compte/connexion", query_string={"next": "/charte?v=2"},
                           data={"email": "membre@example.org", "password": make.password})
    assert response.headers["Location"] == "/charte?v=2"


def test_protected_page_sends_back_after_login(client, make):
    make.user("membre@example.org")
    to_login = client.get("/compte/")
    assert to_login.status_code == 302
    login_url = to_login.headers["Location"]
    assert login_url.startswith("/compte/connexion?next=")
    response = client.post(login_url, data={"email": "membre@example.org",
                                            "password": make.password})
    assert response.headers["Location"] == "/compte/"


@pytest.mark.parametrize("target,expected", [
    ("/espace/", "/espace/"), ("/charte?v=1#p2", "/charte?v=1#p2"), (None, None),
    ("espace", None), ("//evil.example/x", None), ("/\\evil.example", None),
    ("/ok\\..\\x", None), ("/a\nb", None), ("https://localhost/espace/", None),
])
def test_safe_next(target, expected):
    assert safe_next(target) == expected


def test_login_starts_a_new_session(client, make):
    make.user("membre@example.org")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["lang"] = "en"
    cookie_before = client.get_cookie("session").value
    log_in(client, "membre@example.org", make.password)
    assert client.get_cookie("session").value != cookie_before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "en"  # the visitor's language choice survives
        assert session["_user_id"].startswith(str(db.session.scalar(
            db.select(User.id).where(User.email == "membre@example.org"))) + ":")


def test_remember_me_sets_a_lasting_cookie_only_when_asked(client, app, make):
    make.user("membre@example.org")
    log_in(client, "membre@example.org", make.password)
    assert client.get_cookie("remember_token") is None
    other = app.test_client()
    log_in(other, "membre@example.org", make.password, remember="y")
    assert other.get_cookie("remember_token") is not None


def test_logged_in_visitor_is_sent_on_from_the_login_page(client, make, login):
    login(make.user())
    response = client.get("/compte/connexion")
    assert response.status_code == 302 and response.headers["Location"] == "/espace/"


def test_logout_is_post_only_and_ends_the_session(client, make):
    make.user("membre@example.org")
    log_in(client, "membre@example.org", make.password, remember="y")
    assert client.get("/compte/deconnexion").status_code == 405
    assert is_logged_in(client)
    response = client.post("/compte/deconnexion")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get_cookie("remember_token") is None
    assert not is_logged_in(client)


class TestRehash:
    @pytest.fixture
    def app_config(self):
        return {"ARGON2_TIME_COST": 2, "ARGON2_MEMORY_COST": 8192, "ARGON2_PARALLELISM": 1}

    def test_login_upgrades_an_outdated_hash(self, client, make):
        user = make.user("membre@example.org")
        assert ",t=1," in user.password_hash
        log_in(client, "membre@example.org", make.password)
        db.session.expire_all()
        upgraded = db.session.get(User, user.id).password_hash
        assert ",t=2," in upgraded
        client.post("/compte/deconnexion")
        assert log_in(client, "membre@example.org", make.password).status_code == 302
