"""A member can never read another organisation's private commitments nor change its
commitments, whatever ids are put in the URL: every route answers 404 and nothing changes."""

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from charter_service.commitments import partners, progress
from charter_service.commitments.models import (
    Commitment,
    CommitmentPartner,
    PartnerStatus,
    ProgressUpdate,
    UpdateConfirmation,
    Visibility,
)
from charter_service.extensions import db

from .helpers import Signatories, add_commitment, commitment_form, text

COMMITMENT_ROUTES = [
    ("GET", "{base}/{c}"),
    ("GET", "{base}/{c}/modifier"),
    ("POST", "{base}/{c}/modifier"),
    ("GET", "{base}/{c}/partenaires"),
    ("POST", "{base}/{c}/partenaires"),
    ("POST", "{base}/{c}/partenaires/exterieur"),
    ("POST", "{base}/{c}/partenaires/{p}/retirer"),
    ("POST", "{base}/{c}/partenariat/confirmer"),
    ("POST", "{base}/{c}/partenariat/decliner"),
    ("GET", "{base}/{c}/avancement"),
    ("POST", "{base}/{c}/avancement"),
    ("POST", "{base}/{c}/avancements/{u}/confirmer"),
]
ORGANISATION_ROUTES = [("GET", "{base}"), ("GET", "{base}/nouveau"), ("POST", "{base}/nouveau")]


@pytest.fixture
def victim(beta, signatories, version):
    """Beta's private commitment with a partner invited, an outside partner and an update."""
    return _victim(beta, signatories)


def _victim(beta, signatories) -> dict:
    third = signatories.new(name="Tierce")
    commitment = add_commitment(beta, title="Secret de Béta", visibility=Visibility.PRIVATE)
    partners.invite_partner(commitment, third.id, beta.owner)
    partners.add_outside_partner(commitment, "Mairie voisine", beta.owner)
    update = progress.add_progress(commitment, progress.ProgressData(
        reported_on=date(2025, 3, 1), text="Premier bilan de Béta"), beta.owner)
    db.session.commit()
    return {"commitment": commitment, "partner": commitment.partners[0], "update": update}


@dataclass(frozen=True)
class Attack:
    """Alpha's owner logged in (the id of its log-in session), Béta's private commitment, and
    what the attacks post: plain values, kept from one test to the next."""
    session_id: str
    alpha_base: str
    beta_base: str
    ids: dict
    data: dict


@pytest.fixture
def attack(reusable_world, make, client) -> Attack:
    """Built once for the module's attacks in this worker (each must change nothing; one that
    did would have the world rebuilt for the next), with the client logged in as Alpha."""
    def build(_app) -> Attack:
        version = make.version(number=1, principles=3)
        signatories = Signatories(make, version)
        alpha = signatories.new(name="Alpha Coopérative")
        beta = signatories.new(name="Béta Solidaire")
        return Attack(make.login_session(alpha.owner), alpha.base, beta.base,
                      _ids(_victim(beta, signatories)), attack_data(version))

    built = reusable_world(build)
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = built.session_id, True
    return built


def snapshot():
    db.session.expire_all()
    return (
        [(c.id, c.organisation_id, c.title, c.visibility, c.hidden_at)
         for c in db.session.scalars(select(Commitment).order_by(Commitment.id))],
        [(p.id, p.commitment_id, p.organisation_id, p.outside_name, p.status)
         for p in db.session.scalars(select(CommitmentPartner).order_by(CommitmentPartner.id))],
        [(u.id, u.text) for u in db.session.scalars(select(ProgressUpdate))],
        list(db.session.scalars(select(UpdateConfirmation.id))),
    )


def attack_data(version) -> dict:
    return {**commitment_form(version, title="Piraté"), "organisation_id": "1",
            "outside_name": "Intrus", "text": "Faux bilan", "reported_on": "2025-01-01"}


def _ids(victim, own=None) -> dict:
    return {"c": (own or victim["commitment"]).id, "p": victim["partner"].id,
            "u": victim["update"].id}


@pytest.mark.parametrize(("method", "route"), COMMITMENT_ROUTES)
def test_member_of_a_cannot_reach_b_commitments_through_its_own_organisation(
        client, attack, method, route):
    before = snapshot()

    url = route.format(base=attack.alpha_base, **attack.ids)
    response = client.open(url, method=method, data=attack.data)

    assert response.status_code == 404, url
    assert "Secret de Béta" not in text(response)
    assert snapshot() == before


@pytest.mark.parametrize(("method", "route"), COMMITMENT_ROUTES + ORGANISATION_ROUTES)
def test_member_of_a_cannot_use_b_organisation_id(client, attack, method, route):
    before = snapshot()

    url = route.format(base=attack.beta_base, **attack.ids)
    response = client.open(url, method=method, data=attack.data)

    assert response.status_code == 404, url
    assert snapshot() == before


@pytest.mark.parametrize(("method", "route"), [r for r in COMMITMENT_ROUTES
                                               if "{p}" in r[1] or "{u}" in r[1]])
def test_own_commitment_with_b_partner_or_update_id(client, login, alpha, victim, version,
                                                   method, route):
    own = add_commitment(alpha)
    login(alpha.owner)
    before = snapshot()

    response = client.open(route.format(base=alpha.base, **_ids(victim, own)), method=method)

    assert response.status_code == 404
    assert snapshot() == before


def test_invited_partner_reads_but_cannot_change_the_commitment(client, login, alpha, beta,
                                                                version):
    commitment = add_commitment(beta, title="Projet commun", visibility=Visibility.PRIVATE)
    partners.invite_partner(commitment, alpha.id, beta.owner)
    db.session.commit()
    login(alpha.owner)
    before = snapshot()

    assert "Projet commun" in text(client.get(f"{alpha.base}/{commitment.id}"))
    for suffix in ("/modifier", "/partenaires", "/avancement"):
        url = f"{alpha.base}/{commitment.id}{suffix}"
        assert client.get(url).status_code == 404, url
        assert client.post(url, data=attack_data(version)).status_code == 404, url
    assert snapshot() == before


def test_member_lists_only_its_organisation_commitments(client, login, alpha, victim):
    own = add_commitment(alpha, title="Le nôtre", visibility=Visibility.PRIVATE)
    login(alpha.owner)

    page = text(client.get(alpha.base))

    assert own.title in page
    assert "Secret de Béta" not in page


def test_plain_member_cannot_answer_a_partnership(client, login, signatories, beta, make):
    member = make.user()
    alpha = signatories.new(name="Alpha", members=[member])
    commitment = add_commitment(beta)
    partners.invite_partner(commitment, alpha.id, beta.owner)
    db.session.commit()
    login(member)

    response = client.post(f"{alpha.base}/{commitment.id}/partenariat/confirmer")

    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.scalar(select(CommitmentPartner.status)) == PartnerStatus.INVITED


def test_anonymous_visitors_are_sent_to_log_in(client, alpha):
    commitment = add_commitment(alpha)
    response = client.get(f"{alpha.base}/{commitment.id}")
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]
