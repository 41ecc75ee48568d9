"""Only moderators and administrators moderate; every POST needs its CSRF token."""

import re

import pytest

from charter_service.accounts.models import Role
from charter_service.signatures.models import SignatureStatus

from .conftest import audit_count, lock_version_in, outbox_count, status_of, text

PAGES = ["/moderation/", "/moderation/journal", "/moderation/journal/integrite",
         "/moderation/preferences"]


@pytest.fixture
def pending(place):
    return place("Association des Lecteurs")


def _signature_pages(signature):
    return [f"/moderation/signatures/{signature.id}",
            f"/moderation/signatures/{signature.id}/deliberation",
            f"/moderation/organisations/fusion?a={signature.organisation_id}&b=1"]


def test_visitors_are_sent_to_the_log_in_page(client, pending):
    for path in PAGES + _signature_pages(pending):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/compte/connexion?next=" in response.location, path


@pytest.mark.parametrize("decision", ["approuver", "refuser", "suspendre"])
def test_visitors_cannot_post_decisions(client, pending, decision):
    response = client.post(f"/moderation/signatures/{pending.id}/{decision}",
                           data={f"{decision}-lock_version": "1", f"{decision}-code": "autre",
                                 f"{decision}-message": "x"})
    assert response.status_code == 302 and "/compte/connexion" in response.location
    assert status_of(pending.id) == SignatureStatus.PENDING and audit_count() == 0


def test_members_get_403_everywhere(client, login, make, pending):
    owner = make.user()
    make.organisation(owner=owner)
    login(owner)
    for path in PAGES + _signature_pages(pending):
        assert client.get(path).status_code == 403, path


@pytest.mark.parametrize(("decision", "fields"), [
    ("approuver", {}), ("refuser", {"code": "doublon"}),
    ("demander-des-modifications", {"message": "Précisez."}),
])
def test_a_member_posting_a_decision_gets_403_and_nothing_changes(client, login, make, pending,
                                                                  decision, fields):
    member = make.user()
    make.organisation(owner=member)
    login(member)
    data = {f"{decision}-{k}": v for k, v in fields.items()}
    data[f"{decision}-lock_version"] = str(pending.lock_version)

    response = client.post(f"/moderation/signatures/{pending.id}/{decision}", data=data)

    assert response.status_code == 403
    assert status_of(pending.id) == SignatureStatus.PENDING
    assert audit_count() == 0 and outbox_count() == 0


def test_a_member_cannot_merge_or_change_preferences(client, login, make, pending):
    member = make.user()
    login(member)
    other = make.organisation()
    response = client.post(
        f"/moderation/organisations/fusion?a={pending.organisation_id}&b={other.id}",
        data={"keep": str(other.id)})
    assert response.status_code == 403
    assert client.post("/moderation/preferences",
                       data={"moderation_alerts": "none"}).status_code == 403
    assert audit_count() == 0


def test_administrators_moderate_too(client, login, make, pending):
    login(make.user(role=Role.ADMIN))
    for path in PAGES + [f"/moderation/signatures/{pending.id}"]:
        assert client.get(path).status_code == 200, path


def test_the_transparency_page_is_public(client):
    assert client.get("/transparence").status_code == 200


class TestCSRF:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_a_decision_without_its_token_changes_nothing(self, as_moderator, pending):
        response = as_moderator.post(f"/moderation/signatures/{pending.id}/approuver",
                                     data={"approuver-lock_version": str(pending.lock_version)})
        assert response.status_code == 400 and "Le formulaire a expiré" in text(response)
        assert status_of(pending.id) == SignatureStatus.PENDING and audit_count() == 0

    def test_the_page_carries_the_token_and_it_works(self, as_moderator, pending):
        page = text(as_moderator.get(f"/moderation/signatures/{pending.id}"))
        token = re.search(r'name="approuver-csrf_token"[^>]*value="([^"]+)"', page).group(1)
        response = as_moderator.post(f"/moderation/signatures/{pending.id}/approuver",
                                     data={"approuver-lock_version": lock_version_in(
                                         page, "approuver"), "approuver-csrf_token": token,
                                         "approuver-confirm": "1"})
        assert response.status_code == 302
        assert status_of(pending.id) == SignatureStatus.APPROVED
