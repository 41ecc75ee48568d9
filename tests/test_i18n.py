"""French first, English second: the page and the e-mails follow each person's language."""

import re

import pytest
from flask_babel import ngettext

from charter_service import source_catalogue
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


def test_zero_and_one_take_the_singular_in_french(app):
    """French counts « 0 jour », « 1 jour », « 2 jours »: every plural message of the pages,
    mails and PDFs, read on a French request."""
    messages = [message for message in source_catalogue.template() if message.pluralizable]
    assert len(messages) >= 30  # the template's plural messages were found
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        for message in messages:
            singular, plural = message.id
            values = dict.fromkeys(re.findall(r"%\((\w+)\)", singular + plural), "X")
            values.pop("num", None)  # ngettext's own: the number
            assert [ngettext(singular, plural, n, **values) for n in (0, 1, 2)] == [
                text % (values | {"num": n}) for text, n in
                ((singular, 0), (singular, 1), (plural, 2))], singular


def test_the_french_catalogue_is_written_from_the_template():
    """make translations writes it (charter_service/source_catalogue.py): it cannot fall behind
    a plural message added since."""
    expected = source_catalogue.written(source_catalogue.french_catalogue(
        source_catalogue.template()))
    assert source_catalogue.FRENCH.read_bytes() == expected
