"""Personal data on request, handled by a moderator: find the account, send its data, erase
it; each export and each erasure audited, a replayed erasure refused."""

import json
import re

import pytest
from sqlalchemy import func, select

from charter_service.accounts.models import User
from charter_service.audit import services as audit
from charter_service.audit.models import AuditEntry
from charter_service.extensions import db
from charter_service.signatures.models import Signature

from ..accounts.personal_data_world import build


@pytest.fixture
def world(make):
    return build(make)


def _text(response) -> str:
    return response.get_data(as_text=True)


def _entries(action: str) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_a_moderator_finds_an_account_by_its_address(as_moderator, world):
    found = as_moderator.get("/moderation/comptes?email=Karim.Benali@example.org")
    assert found.status_code == 302
    assert found.headers["Location"] == f"/moderation/comptes/{world.karim.id}"
    page = _text(as_moderator.get(found.headers["Location"]))
    assert "Karim Benali" in page and "karim.benali@example.org" in page
    missing = _text(as_moderator.get("/moderation/comptes?email=personne@example.org"))
    assert "Aucun compte n’utilise cette adresse." in missing
    assert as_moderator.get("/moderation/comptes/999999").status_code == 404


def test_the_export_is_the_accounts_data_and_is_audited(as_moderator, moderator, world):
    response = as_moderator.post(f"/moderation/comptes/{world.karim.id}/export")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    data = json.loads(response.get_data())
    assert data["account"]["email"] == "karim.benali@example.org"
    assert "Zoé" not in response.get_data(as_text=True)
    [entry] = _entries("user.export")
    assert (entry.actor_id, entry.object_id) == (moderator.id, str(world.karim.id))


def _erase(client, user_id: int, key: str, confirm: bool = True):
    data = {"form_key": key, **({"confirm": "y"} if confirm else {})}
    return client.post(f"/moderation/comptes/{user_id}/suppression", data=data)


def _key(client, user_id: int) -> str:
    page = _text(client.get(f"/moderation/comptes/{user_id}"))
    return re.search(r'name="form_key" type="hidden" value="([^"]+)"', page)[1]


def test_an_erasure_on_request_is_audited_and_a_replay_refused(app, as_moderator, moderator,
                                                               world):
    key = _key(as_moderator, world.karim.id)
    assert _erase(as_moderator, world.karim.id, key, confirm=False).status_code == 400
    response = _erase(as_moderator, world.karim.id, key)
    assert response.status_code == 302
    page = _text(as_moderator.get(response.headers["Location"]))
    assert f"Le compte n° {world.karim.id} est supprimé" in page
    assert "Ce compte a été supprimé le" in page
    [entry] = _entries("user.erase")
    assert (entry.actor_id, json.loads(entry.after)["by"]) == (moderator.id, "moderator")
    assert db.session.get(Signature, world.signature.id).signatory_function == "Président"
    file = _text(as_moderator.get(f"/moderation/signatures/{world.signature.id}"))
    assert "Président" in file and "Compte supprimé" in file and "Karim" not in file
    journal = _text(as_moderator.get("/moderation/journal"))
    assert "Compte supprimé à la demande" in journal and "Karim" not in journal
    count = db.session.scalar(select(func.count(AuditEntry.id)))
    replay = _erase(as_moderator, world.karim.id, key)
    assert "Ce formulaire avait déjà été envoyé" in _text(as_moderator.get(
        replay.headers["Location"]))
    fresh = _erase(as_moderator, world.karim.id, "k" * 43)
    assert "Ce compte a déjà été supprimé" in _text(as_moderator.get(fresh.headers["Location"]))
    assert db.session.scalar(select(func.count(AuditEntry.id))) == count
    assert audit.verify().ok


def test_the_last_owner_is_refused_to_the_moderator_too(as_moderator, world):
    response = _erase(as_moderator, world.zoe.id, _key(as_moderator, world.zoe.id))
    page = _text(as_moderator.get(response.headers["Location"]))
    assert "dernier responsable de l’organisation « Autre Asso »" in page
    db.session.expire_all()
    assert db.session.get(User, world.zoe.id).erased_at is None
    assert _entries("user.erase") == []
