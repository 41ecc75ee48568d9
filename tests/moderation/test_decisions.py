"""Each decision through HTTP: the signature's new state, its audit entry, the e-mail received;
and every refused decision changes nothing."""

import json

import pytest

from charter_service.extensions import db
from charter_service.signatures.models import Signature, SignatureStatus
from charter_service.signatures.workflow import STALE_MESSAGE

from .conftest import (
    audit_count,
    last_seq,
    lock_version_in,
    signature_entries,
    status_of,
    text,
)

S = SignatureStatus


@pytest.fixture
def app_config(smtp_app_config):
    return smtp_app_config


@pytest.fixture
def owner(make):
    return make.user("presidente@jardins.example.org", full_name="Paule Présidente")


@pytest.fixture
def signature_in(make, owner, version):
    def _signature(status):
        organisation = make.organisation(owner=owner, name="Les Jardins Partagés")
        return make.signature(organisation, version, status=status)

    return _signature


def _post(client, signature, decision, **fields):
    data = {f"{decision}-lock_version": str(signature.lock_version)}
    data.update({f"{decision}-{name}": value for name, value in fields.items()})
    return client.post(f"/moderation/signatures/{signature.id}/{decision}", data=data)


DECISIONS = [
    ("approuver", S.PENDING, {"confirm": "1"}, S.APPROVED, "approuvée", ""),
    ("refuser", S.PENDING, {"code": "doublon", "message": "Déjà signée sous un autre nom."},
     S.REJECTED, "pas été retenue", "Déjà signée sous un autre nom."),
    ("demander-des-modifications", S.PENDING, {"message": "Ajoutez votre numéro RNA."},
     S.CHANGES_REQUESTED, "précisions", "Ajoutez votre numéro RNA."),
    ("suspendre", S.APPROVED, {"message": "Pratiques contraires au principe P2."},
     S.SUSPENDED, "suspendue", "Pratiques contraires au principe P2."),
    ("retablir", S.SUSPENDED, {}, S.APPROVED, "rétablie", ""),
]


@pytest.mark.parametrize(("decision", "state", "fields", "target", "subject", "message"),
                         DECISIONS)
def test_a_decision_changes_state_is_audited_and_mailed(
        as_moderator, moderator, signature_in, smtp_server, decision, state, fields, target,
        subject, message):
    signature = signature_in(state)
    smtp_server.deliver_set_up()
    start = last_seq()

    response = _post(as_moderator, signature, decision, **fields)

    assert response.status_code == 302 and response.location.endswith("/moderation/")
    db.session.expire_all()
    stored = db.session.get(Signature, signature.id)
    assert stored.status == target and stored.decided_by_id == moderator.id
    [entry] = signature_entries(after=start)
    assert entry.actor_id == moderator.id and entry.object_id == str(signature.id)
    assert json.loads(entry.after) == {"status": target.value}
    smtp_server.wait_for(2)
    mail = smtp_server.to("presidente@jardins.example.org")[0]
    assert subject in str(mail["Subject"])
    assert "des Jardins Partagés" in mail.get_content()  # « au nom des Jardins… »
    if message:
        assert message in mail.get_content()
        assert message in json.loads(entry.personal)["message"]
    # « La demande de modifications a été envoyée aux Jardins… », « La signature des Jardins… »
    named = "aux" if decision == "demander-des-modifications" else "La signature des"
    assert f"{named} Jardins Partagés" in text(as_moderator.get(response.location))


def test_rejection_records_the_chosen_reason_code(as_moderator, signature_in):
    signature = signature_in(S.PENDING)
    _post(as_moderator, signature, "refuser", code="habilitation", message="")
    [entry] = signature_entries()
    assert entry.reason == "habilitation"
    assert "habilité" in db.session.get(Signature, signature.id).reason


@pytest.mark.parametrize(("decision", "state", "fields", "error"), [
    ("refuser", S.PENDING, {"code": "", "message": "Texte seul"}, "Choisissez un motif de refus"),
    ("refuser", S.PENDING, {"code": "autre", "message": "   "}, "Précisez le motif du refus"),
    ("refuser", S.PENDING, {"code": "inventé", "message": "x"}, "refuser-code-error"),
    ("demander-des-modifications", S.PENDING, {"message": ""}, "Écrivez ce que l’organisation"),
    ("suspendre", S.APPROVED, {"message": " "}, "Indiquez le motif de la suspension"),
    ("suspendre", S.APPROVED, {"message": "x" * 2001}, "ne peut pas dépasser 2000"),
])
def test_a_missing_or_invalid_reason_changes_nothing(as_moderator, signature_in, smtp_server,
                                                     decision, state, fields, error):
    signature = signature_in(state)
    smtp_server.deliver_set_up()
    start = last_seq()

    response = _post(as_moderator, signature, decision, **fields)

    assert response.status_code == 200 and error in text(response)
    assert 'aria-invalid="true"' in text(response)
    assert status_of(signature.id) == state and audit_count(after=start) == 0
    assert smtp_server.messages == []


@pytest.mark.parametrize(("decision", "state"), [
    ("approuver", S.APPROVED), ("retablir", S.PENDING), ("suspendre", S.REJECTED),
    ("refuser", S.WITHDRAWN), ("demander-des-modifications", S.CHANGES_REQUESTED),
])
def test_a_decision_in_the_wrong_state_changes_nothing(as_moderator, signature_in, decision,
                                                       state):
    signature = signature_in(state)
    start = last_seq()

    response = _post(as_moderator, signature, decision, code="autre", message="Motif")

    assert response.status_code == 302
    page = text(as_moderator.get(response.location))
    assert "pas possible" in page
    assert status_of(signature.id) == state and audit_count(after=start) == 0


def test_forged_ids_and_unknown_decisions_answer_404(as_moderator, signature_in):
    signature = signature_in(S.PENDING)
    assert as_moderator.post("/moderation/signatures/987654/approuver",
                             data={"approuver-lock_version": "1"}).status_code == 404
    assert as_moderator.post(f"/moderation/signatures/{signature.id}/effacer",
                             data={"effacer-lock_version": "1"}).status_code == 404
    assert as_moderator.get("/moderation/signatures/99999999999").status_code == 404
    assert status_of(signature.id) == S.PENDING and audit_count() == 0


def test_a_missing_lock_version_is_refused(as_moderator, signature_in):
    signature = signature_in(S.PENDING)
    response = as_moderator.post(f"/moderation/signatures/{signature.id}/approuver", data={})
    assert response.status_code == 200 and "rechargez la page" in text(response)
    assert status_of(signature.id) == S.PENDING and audit_count() == 0


@pytest.mark.parametrize(("second", "fields"), [
    ("refuser", {"code": "doublon", "message": ""}),
    ("approuver", {"confirm": "1"}),
    ("demander-des-modifications", {"message": ""}),  # stale and invalid: stale wins
])
def test_two_moderators_on_one_signature_the_second_is_told(app, make, login, signature_in,
                                                            moderator, second, fields):
    signature = signature_in(S.PENDING)
    first_client, second_client = app.test_client(), app.test_client()
    login(moderator, first_client)
    login(make.user(role=moderator.role, full_name="Marc Modérateur"), second_client)
    first_page = text(first_client.get(f"/moderation/signatures/{signature.id}"))
    second_page = text(second_client.get(f"/moderation/signatures/{signature.id}"))

    first_client.post(f"/moderation/signatures/{signature.id}/approuver",
                      data={"approuver-lock_version": lock_version_in(first_page, "approuver"),
                            "approuver-confirm": "1"})
    data = {f"{second}-{name}": value for name, value in fields.items()}
    data[f"{second}-lock_version"] = lock_version_in(second_page, second)
    response = second_client.post(f"/moderation/signatures/{signature.id}/{second}", data=data)

    assert response.status_code == 302
    assert str(STALE_MESSAGE)[:40] in text(second_client.get(response.location)).replace(
        "&#39;", "'")
    assert status_of(signature.id) == S.APPROVED
    assert [e.action for e in signature_entries()] == ["signature.approve"]
    assert db.session.get(Signature, signature.id).decided_by_id == moderator.id
