"""The account settings page: name and language."""

from charter_service.accounts.models import User
from charter_service.extensions import db

from .helpers import text


def _save_profile(client, full_name, locale="fr"):
    return client.post("/compte/", data={"profile-full_name": full_name, "profile-locale": locale,
                                         "profile-submit": "Enregistrer"})


def test_settings_need_a_logged_in_user(client):
    response = client.get("/compte/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/compte/connexion?next=")


def test_settings_show_the_account(client, make, login):
    login(make.user("membre@example.org", full_name="Camille Martin"))
    page = text(client.get("/compte/"))
    assert "membre@example.org" in page and 'value="Camille Martin"' in page
    assert "Au moins 12 caractères" in page


def test_name_and_language_are_saved(client, make, login):
    user = make.user("membre@example.org")
    login(user)
    with client.session_transaction() as session:
        session["lang"] = "fr"
    response = _save_profile(client, "  مريم 🌍 Lefèvre ", "en")
    assert response.status_code == 302 and response.headers["Location"] == "/compte/"
    db.session.expire_all()
    saved = db.session.get(User, user.id)
    assert (saved.full_name, saved.locale) == ("مريم 🌍 Lefèvre", "en")
    with client.session_transaction() as session:
        assert "lang" not in session  # the saved preference now decides
    assert 'lang="en"' in text(client.get("/compte/"))


def test_wrong_profile_keeps_the_password_form_untouched(client, make, login):
    user = make.user("membre@example.org", full_name="Camille Martin")
    login(user)
    page = text(_save_profile(client, "", "fr"))
    assert "Indiquez votre nom complet." in page
    assert "Mot de passe actuel" in page and "Indiquez votre mot de passe actuel." not in page
    db.session.expire_all()
    assert db.session.get(User, user.id).full_name == "Camille Martin"


def test_password_form_errors_keep_the_profile_form_filled(client, make, login):
    login(make.user("membre@example.org", full_name="Camille Martin"))
    page = text(client.post("/compte/", data={"password-submit": "1"}))
    assert "Indiquez votre mot de passe actuel." in page
    assert 'value="Camille Martin"' in page and "Indiquez votre nom complet." not in page
