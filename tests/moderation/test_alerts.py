"""Moderators hear about pending signatures: at once, in a daily digest, or not at all."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from charter_service.accounts.models import ModerationAlerts, Role, User
from charter_service.db_types import utcnow
from charter_service.extensions import db
from charter_service.moderation.alerts import send_digests
from charter_service.signatures import services
from charter_service.signatures.models import SignatureStatus
from charter_service.signatures.workflow import Transition, apply
from tests.signatures.conftest import form_data

from .conftest import text


@pytest.fixture
def app_config(smtp_app_config):
    return smtp_app_config


@pytest.fixture
def staff(make):
    def _staff(name, preference, role=Role.MODERATOR, locale="fr"):
        user = make.user(f"{name}@fondation.example.org", role=role, locale=locale)
        user.moderation_alerts = preference
        db.session.commit()
        return user

    return {
        "immediate": _staff("immediate", ModerationAlerts.IMMEDIATE),
        "admin": _staff("admin", ModerationAlerts.IMMEDIATE, role=Role.ADMIN, locale="en"),
        "daily": _staff("daily", ModerationAlerts.DAILY),
        "none": _staff("none", ModerationAlerts.NONE),
        "member": _staff("member", ModerationAlerts.IMMEDIATE, role=Role.USER),
    }


def _recipients(smtp_server) -> set[str]:
    return {str(m["To"]) for m in smtp_server.messages}


def test_a_new_signature_alerts_immediate_moderators_only(client, login, make, version, staff,
                                                          smtp_server):
    owner = make.user("maire@mairie.example.org")
    organisation = make.organisation(owner=owner, name="Commune de Saint-Exemple")
    login(owner)

    response = client.post(f"/espace/organisations/{organisation.id}/signer",
                           data=form_data(version))

    assert response.status_code == 302
    smtp_server.wait_for(3)
    assert _recipients(smtp_server) == {"claire.dupont@mairie.example.org",
                                        "immediate@fondation.example.org",
                                        "admin@fondation.example.org"}
    alert = smtp_server.to("immediate@fondation.example.org")[0]
    assert "Nouvelle signature en attente : Commune de Saint-Exemple" in str(alert["Subject"])
    signature_id = db.session.scalar(select(services.Signature.id))
    assert f"http://localhost/moderation/signatures/{signature_id}" in alert.get_content()


def test_a_resubmission_alerts_them_again(app, make, version, staff, smtp_server):
    organisation = make.organisation(owner=make.user(), name="Les Jardins Partagés")
    signature = make.signature(organisation, version, status=SignatureStatus.CHANGES_REQUESTED)
    smtp_server.deliver_set_up()
    with app.test_request_context():
        apply(signature, Transition.RESUBMIT, actor=organisation.memberships[0].user)
        db.session.commit()
    smtp_server.wait_for(2)
    assert _recipients(smtp_server) == {"immediate@fondation.example.org",
                                        "admin@fondation.example.org"}
    assert "de nouveau en attente" in str(
        smtp_server.to("immediate@fondation.example.org")[0]["Subject"])


def _submit(app, make, version, name):
    """Through the signing service, which records the audit entry the digest reads."""
    owner = make.user()
    organisation = make.organisation(owner=owner, name=name)
    data = {"signatory_name": "Dominique Durand", "signatory_function": "Présidente",
            "signatory_email": "dominique.durand@example.org", "authority_attested": True,
            "principles_accepted": True}
    with app.test_request_context():
        signature = services.sign(organisation, version, data, owner)
        db.session.commit()
    return signature


def test_the_digest_command_sends_once_a_day(app, make, version, staff, smtp_server):
    _submit(app, make, version, "Ludothèque Pièces et Pions")
    _submit(app, make, version, "Fournil Varellu")
    runner = app.test_cli_runner()

    first = runner.invoke(args=["moderation", "digest"])
    second = runner.invoke(args=["moderation", "digest"])

    assert first.exit_code == 0 and "1 digest(s) queued" in first.output
    assert second.exit_code == 0 and "0 digest(s) queued" in second.output
    digests = smtp_server.to("daily@fondation.example.org")
    assert len(digests) == 1
    assert "2 signatures arrivées en attente" in str(digests[0]["Subject"])
    body = digests[0].get_content()
    assert "Ludothèque Pièces et Pions" in body and "Fournil Varellu" in body
    assert "http://localhost/moderation/" in body
    db.session.expire_all()
    assert db.session.get(User, staff["daily"].id).last_digest_at is not None
    assert db.session.get(User, staff["none"].id).last_digest_at is None


def test_the_next_digest_lists_only_what_arrived_since_and_is_still_pending(
        app, make, version, staff, smtp_server):
    _submit(app, make, version, "Déjà signalée")
    staff["daily"].last_digest_at = utcnow()
    db.session.commit()
    _submit(app, make, version, "Arrivée ensuite")
    decided = _submit(app, make, version, "Déjà décidée")
    make.decide(decided, Transition.APPROVE)

    with app.test_request_context():
        assert send_digests(utcnow() + timedelta(days=1)) == 1

    body = smtp_server.wait_for(1) and smtp_server.to("daily@fondation.example.org")[0]
    content = body.get_content()
    assert "Arrivée ensuite" in content
    assert "Déjà signalée" not in content and "Déjà décidée" not in content


def test_no_digest_without_new_signatures(app, staff, smtp_server):
    result = app.test_cli_runner().invoke(args=["moderation", "digest"])
    assert "0 digest(s) queued" in result.output and smtp_server.messages == []


def test_a_moderator_chooses_the_daily_digest(client, login, staff):
    login(staff["immediate"])
    page = text(client.get("/moderation/preferences"))
    assert re.search(r'<input checked[^>]*value="immediate"', page)

    response = client.post("/moderation/preferences", data={"moderation_alerts": "daily"})

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, staff["immediate"].id).moderation_alerts == ModerationAlerts.DAILY
    assert "préférences de notification sont enregistrées" in text(client.get(response.location))


@pytest.mark.parametrize("value", ["", "hourly"])
def test_an_unknown_preference_changes_nothing(client, login, staff, value):
    login(staff["none"])
    response = client.post("/moderation/preferences", data={"moderation_alerts": value})
    assert response.status_code == 200 and 'id="moderation_alerts-error"' in text(response)
    db.session.expire_all()
    assert db.session.get(User, staff["none"].id).moderation_alerts == ModerationAlerts.NONE
