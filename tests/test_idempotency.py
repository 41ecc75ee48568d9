"""Create forms carry one key per display: the same key twice, or two concurrent POSTs of the
same page, create one row and land on the same result."""

import re
import threading

import pytest
from sqlalchemy import func, select

from charter_service.accounts.models import Role
from charter_service.charters.models import CharterVersion, Principle, VersionStatus
from charter_service.commitments.models import Commitment, CommitmentPartner, ProgressUpdate
from charter_service.extensions import db
from charter_service.idempotency import services as idempotency
from charter_service.idempotency.models import FormSubmission
from charter_service.organisations.models import (
    Invitation,
    MemberRole,
    Membership,
    Organisation,
)
from charter_service.signatures.models import SignatureStatus

from .commitments.helpers import Signatories, add_commitment, commitment_form
from .organisations.helpers import CREATE_URL, organisation_form

KEY = "k" * 43


@pytest.fixture
def world(make, login, client):
    signatories = Signatories(make, make.version(number=1, principles=3))
    alpha = signatories.new(name="Alpha Coopérative", status=SignatureStatus.APPROVED)
    beta = signatories.new(name="Béta Solidaire", status=SignatureStatus.APPROVED)
    commitment = add_commitment(alpha)
    login(alpha.owner)
    return alpha, beta, commitment


def _create_forms(world):
    """(what is created, form page, URL posted to, data) for every create form."""
    alpha, beta, commitment = world
    base, partners = alpha.base, f"{alpha.base}/{commitment.id}/partenaires"
    return {
        "progress": (ProgressUpdate, f"{base}/{commitment.id}/avancement",
                     f"{base}/{commitment.id}/avancement",
                     {"reported_on": "2025-06-01", "text": "Deux fournisseurs locaux."}),
        "commitment": (Commitment, f"{base}/nouveau", f"{base}/nouveau",
                       commitment_form(alpha.signature.charter_version, title="Vélo")),
        "outside partner": (CommitmentPartner, partners, f"{partners}/exterieur",
                            {"outside_name": "Mairie de Lyon"}),
        "partner invitation": (CommitmentPartner, f"{partners}?q=Béta", partners,
                               {"organisation_id": str(beta.id)}),
        "member invitation": (Invitation, f"/espace/organisations/{alpha.id}/membres",
                              f"/espace/organisations/{alpha.id}/membres/inviter",
                              {"email": "nouvelle@example.org", "role": "member"}),
        "organisation": (Organisation, CREATE_URL, CREATE_URL, organisation_form()),
    }


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


FORMS = ["progress", "commitment", "outside partner", "partner invitation",
         "member invitation", "organisation"]


@pytest.mark.parametrize("name", FORMS)
def test_every_create_form_page_carries_a_fresh_key(client, world, name):
    _, page, _, _ = _create_forms(world)[name]
    keys = [re.findall(r'name="form_key"[^>]*value="([^"]+)"',
                       client.get(page).get_data(as_text=True)) for _ in range(2)]
    assert keys[0] and keys[1] and set(keys[0]).isdisjoint(keys[1])


@pytest.mark.parametrize("name", FORMS)
def test_the_same_key_twice_creates_one_row_and_lands_on_the_same_result(client, world, name):
    model, _, url, data = _create_forms(world)[name]
    before = _count(model)
    first = client.post(url, data=data | {"form_key": KEY})
    second = client.post(url, data=data | {"form_key": KEY})
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert _count(model) == before + 1
    landed = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "il n’a pas été enregistré une seconde fois" in landed


def test_another_persons_key_creates_nothing(client, login, world, make):
    model, _, url, data = _create_forms(world)["outside partner"]
    client.post(url, data=data | {"form_key": KEY})
    alpha, *_ = world
    colleague = make.user()
    db.session.add(Membership(user=colleague, organisation=alpha.organisation,
                              role=MemberRole.OWNER))
    db.session.commit()
    login(colleague)
    assert client.post(url, data=data | {"form_key": KEY}).status_code == 302
    assert _count(model) == 1


def test_two_concurrent_posts_of_one_progress_form_publish_once(app, world, monkeypatch):
    alpha, _, commitment = world
    _, _, url, data = _create_forms(world)["progress"]
    both_checked = threading.Barrier(2, timeout=10)
    checked = threading.local()
    original = idempotency._raise_if_used

    def check_then_wait(key, user):
        """Both requests find the key unused before either records it: the race is real."""
        original(key, user)
        if not getattr(checked, "done", False):
            checked.done = True
            both_checked.wait()

    monkeypatch.setattr(idempotency, "_raise_if_used", check_then_wait)
    responses = []

    def post():
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = alpha.owner.get_id(), True
        responses.append(client.post(url, data=data | {"form_key": KEY}))

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0].headers["Location"] == responses[1].headers["Location"]
    db.session.expire_all()
    assert _count(ProgressUpdate) == 1 and _count(FormSubmission) == 1
    assert db.session.scalar(select(ProgressUpdate.commitment_id)) == commitment.id


@pytest.mark.parametrize("name", ["charter draft", "principle"])
def test_admin_create_forms_too(client, login, make, name):
    make.version(number=1)
    login(make.user(role=Role.ADMIN))
    if name == "charter draft":
        model, page, url, data = CharterVersion, "/admin/charte/nouvelle-version", \
            "/admin/charte/nouvelle-version", {"form_key": KEY}
    else:
        make.version(number=2, status=VersionStatus.DRAFT, principles=3)
        model, page, url = Principle, "/admin/charte/v/2", "/admin/charte/v/2/principes/ajouter"
        data = {"nouveau-code": "P9", "nouveau-section": "moyens", "nouveau-title": "Titre",
                "nouveau-text": "Texte.", "nouveau-position": "1", "nouveau-form_key": KEY}
    assert 'form_key" type="hidden" value="' in client.get(page).get_data(as_text=True)
    before = _count(model)
    first, second = client.post(url, data=data), client.post(url, data=data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert _count(model) == before + 1


def test_a_refused_submission_leaves_its_key_unused(client, world):
    """The service refuses after the key is claimed: corrected and sent again, it creates."""
    _, _, url, data = _create_forms(world)["progress"]
    refused = client.post(url, data=data | {"form_key": KEY, "evidence_url": "http://:80"})
    assert refused.status_code == 200 and _count(ProgressUpdate) == 0
    corrected = client.post(url, data=data | {"form_key": KEY})
    assert corrected.status_code == 302 and "#avancement-" in corrected.headers["Location"]
    assert _count(ProgressUpdate) == 1
