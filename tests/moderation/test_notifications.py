"""Decisions reach the organisation's owners and the signatory by e-mail, after the commit."""

import pytest

from charter_service.accounts.models import Role
from charter_service.extensions import db
from charter_service.signatures.models import SignatureStatus
from charter_service.signatures.workflow import Transition, apply


@pytest.fixture
def app_config(smtp_app_config):
    return smtp_app_config


def _decide(app, smtp_server, signature, transition, moderator, reason=""):
    smtp_server.deliver_set_up()
    with app.test_request_context():
        apply(signature, transition, actor=moderator, reason=reason, reason_code="autre")
        db.session.commit()


def test_rejection_reason_reaches_owner_and_signatory(app, make, smtp_server):
    owner = make.user("proprietaire@example.org")
    organisation = make.organisation(owner=owner, name="Les Jardins Partagés")
    signature = make.signature(organisation, make.version())
    _decide(app, smtp_server, signature, Transition.REJECT, make.user(role=Role.MODERATOR),
            reason="Le numéro SIREN ne correspond pas à l’association.")
    messages = smtp_server.wait_for(2)
    assert sorted(str(m["To"]) for m in messages) == [
        "dominique.durand@example.org", "proprietaire@example.org"]
    body = smtp_server.to("proprietaire@example.org")[0].get_content()
    assert "Le numéro SIREN ne correspond pas" in body
    assert "au nom des Jardins Partagés" in body


def test_nothing_is_sent_when_the_transaction_rolls_back(app, make, smtp_server):
    organisation = make.organisation(owner=make.user())
    signature = make.signature(organisation, make.version())
    with app.test_request_context():
        apply(signature, Transition.APPROVE, actor=make.user(role=Role.MODERATOR))
        db.session.rollback()
    assert smtp_server.messages == []
    assert db.session.get(type(signature), signature.id).status == SignatureStatus.PENDING


@pytest.mark.parametrize("transition,state,subject", [
    (Transition.APPROVE, SignatureStatus.PENDING, "approuvée"),
    (Transition.REQUEST_CHANGES, SignatureStatus.PENDING, "précisions"),
    (Transition.SUSPEND, SignatureStatus.APPROVED, "suspendue"),
    (Transition.REINSTATE, SignatureStatus.SUSPENDED, "rétablie"),
    (Transition.WITHDRAW, SignatureStatus.APPROVED, "Retrait"),
])
def test_each_decision_has_its_message(app, make, smtp_server, transition, state, subject):
    owner = make.user("owner@example.org")
    signature = make.signature(make.organisation(owner=owner), make.version(), status=state)
    _decide(app, smtp_server, signature, transition, make.user(role=Role.MODERATOR), reason="Motif")
    message = smtp_server.wait_for(2) and smtp_server.to("owner@example.org")[0]
    assert subject in str(message["Subject"])
