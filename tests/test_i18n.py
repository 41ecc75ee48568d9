"""French first, English second: the page and the e-mails follow each person's language."""

import pytest

from charter_service.accounts.models import Role
from charter_service.extensions import db
from charter_service.organisations.models import MemberRole, Membership
from charter_service.signatures.workflow import Transition, apply


def test_pages_are_french_by_default(client):
    page = client.get("/compte/connexion").get_data(as_text=True)
    assert 'lang="fr"' in page and "Se connecter" in page


def test_the_browser_language_is_honoured(client):
    page = client.get("/compte/connexion", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert 'lang="en"' in page.get_data(as_text=True)
    assert "Log in" in page.get_data(as_text=True)


def test_an_explicit_choice_sticks_for_the_session(client):
    client.get("/?lang=en")
    page = client.get("/compte/connexion", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Log in" in page
    client.get("/?lang=fr")
    assert "Se connecter" in client.get("/compte/connexion").get_data(as_text=True)


@pytest.fixture
def app_config(smtp_app_config):
    return smtp_app_config


def test_each_recipient_reads_the_decision_in_their_language(app, make, smtp_server):
    english = make.user("owner.en@example.org", locale="en")
    french = make.user("owner.fr@example.org", locale="fr")
    organisation = make.organisation(owner=english)
    db.session.add(Membership(user=french, organisation=organisation, role=MemberRole.OWNER))
    db.session.commit()
    signature = make.signature(organisation, make.version())
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        apply(signature, Transition.APPROVE, actor=make.user(role=Role.MODERATOR))
        db.session.commit()
    smtp_server.wait_for(3)
    assert "has been approved" in str(smtp_server.to("owner.en@example.org")[0]["Subject"])
    assert "est approuvée" in str(smtp_server.to("owner.fr@example.org")[0]["Subject"])


def test_the_error_summary_follows_each_language_typography(client):
    french = client.post("/compte/inscription", data={}).get_data(as_text=True)
    assert "Nom complet : " in french
    english = client.post("/compte/inscription?lang=en", data={}).get_data(as_text=True)
    assert "Full name: " in english and "Full name : " not in english
