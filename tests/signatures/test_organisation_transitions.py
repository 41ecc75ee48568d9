"""The organisation's own transitions: correcting after a request for changes, withdrawing."""

import pytest
from sqlalchemy import func, select

from charter_service.audit.models import AuditEntry
from charter_service.extensions import db
from charter_service.organisations.models import MemberRole, Membership
from charter_service.signatures.models import Signature
from charter_service.signatures.models import SignatureStatus as S


def _url(signature, action):
    return (f"/espace/organisations/{signature.organisation_id}/signatures/"
            f"{signature.id}/{action}")


def _reload(signature) -> Signature:
    db.session.expire_all()
    return db.session.get(Signature, signature.id)


def _last_seq() -> int:
    """The audit chain's last seq: the set-up's decisions are audited too."""
    return db.session.scalar(select(func.coalesce(func.max(AuditEntry.seq), 0)))


def _signature_actions(after: int):
    return db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "signature", AuditEntry.seq > after)).all()


@pytest.fixture
def changes_requested(make, organisation, version):
    return make.signature(organisation, version, status=S.CHANGES_REQUESTED,
                          reason="Précisez la fonction exacte du signataire.")


def test_owner_sees_the_request_corrects_and_resubmits(client, login, owner, changes_requested):
    start = _last_seq()
    login(owner)
    space = client.get("/espace/").get_data(as_text=True)
    assert "Précisez la fonction exacte" in space
    page = client.get(_url(changes_requested, "corriger")).get_data(as_text=True)
    assert "Précisez la fonction exacte" in page
    response = client.post(_url(changes_requested, "corriger"), data={
        "signatory_name": "Claire Dupont", "signatory_function": "Maire de Saint-Exemple",
        "signatory_email": "claire.dupont@mairie.example.org",
        "lock_version": str(changes_requested.lock_version)})
    assert response.status_code == 302
    signature = _reload(changes_requested)
    assert signature.status == S.PENDING
    assert signature.signatory_function == "Maire de Saint-Exemple"
    assert _signature_actions(after=start) == ["signature.resubmit"]


def test_resubmission_with_an_empty_field_keeps_everything(client, login, owner, changes_requested):
    start = _last_seq()
    login(owner)
    response = client.post(_url(changes_requested, "corriger"), data={
        "signatory_name": "", "signatory_function": "Maire",
        "signatory_email": "claire.dupont@mairie.example.org",
        "lock_version": str(changes_requested.lock_version)})
    assert "Indiquez le nom de la personne qui signe." in response.get_data(as_text=True)
    assert _reload(changes_requested).status == S.CHANGES_REQUESTED
    assert _signature_actions(after=start) == []


def test_a_stale_resubmission_changes_nothing(client, login, owner, changes_requested):
    login(owner)
    response = client.post(_url(changes_requested, "corriger"), data={
        "signatory_name": "Claire Dupont", "signatory_function": "Maire",
        "signatory_email": "claire.dupont@mairie.example.org", "lock_version": "0"},
        follow_redirects=True)
    assert "modifiée entre-temps" in response.get_data(as_text=True)
    assert _reload(changes_requested).status == S.CHANGES_REQUESTED


@pytest.mark.parametrize("state", [S.PENDING, S.APPROVED, S.SUSPENDED])
def test_owner_withdraws_a_live_signature(client, login, owner, make, organisation, version,
                                          state):
    signature = make.signature(organisation, version, status=state)
    start = _last_seq()
    login(owner)
    assert "Retirer la signature" in client.get("/espace/").get_data(as_text=True)
    refused = client.post(_url(signature, "retirer"), data={
        "lock_version": str(signature.lock_version)})
    assert "Cochez cette case pour confirmer le retrait." in refused.get_data(as_text=True)
    assert _reload(signature).status == state
    client.post(_url(signature, "retirer"), data={
        "lock_version": str(signature.lock_version), "confirm": "y",
        "reason": "Fusion de la commune au 1er janvier."})
    assert _reload(signature).status == S.WITHDRAWN
    assert _signature_actions(after=start) == ["signature.withdraw"]


@pytest.mark.parametrize("state", [S.REJECTED, S.WITHDRAWN])
def test_a_dead_signature_cannot_be_withdrawn(client, login, owner, make, organisation, version,
                                              state):
    signature = make.signature(organisation, version, status=state)
    start = _last_seq()
    login(owner)
    client.post(_url(signature, "retirer"), data={"lock_version": "1", "confirm": "y"})
    assert _reload(signature).status == state
    assert _signature_actions(after=start) == []


@pytest.mark.parametrize("action", ["corriger", "retirer"])
def test_members_and_strangers_cannot_act(client, login, make, organisation, version,
                                          changes_requested, action):
    member = make.user()
    db.session.add(Membership(user=member, organisation=organisation, role=MemberRole.MEMBER))
    db.session.commit()
    login(member)
    assert client.post(_url(changes_requested, action), data={"confirm": "y"}).status_code == 403
    stranger = make.user()
    login(stranger)
    assert client.post(_url(changes_requested, action), data={"confirm": "y"}).status_code == 404
    other = make.signature(make.organisation(owner=stranger), version, status=S.APPROVED)
    forged = (f"/espace/organisations/{other.organisation_id}/signatures/"
              f"{changes_requested.id}/{action}")
    assert client.post(forged, data={"confirm": "y"}).status_code == 404
    assert _reload(changes_requested).status == S.CHANGES_REQUESTED
