"""Progress updates with indicator values, and their confirmation by partners."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from charter_service.commitments import partners
from charter_service.commitments.models import (
    IndicatorValue,
    ProgressUpdate,
    UpdateConfirmation,
)
from charter_service.extensions import db

from .helpers import add_commitment, count, text


@pytest.fixture
def commitment(alpha):
    return add_commitment(alpha, indicators=(("Repas servis", "repas", 5000),
                                             ("Part bio", "%", 50)))


def progress_form(commitment, **overrides) -> dict:
    first, second = commitment.indicators
    data = {"reported_on": "2025-06-30", "text": "Premier semestre : 2 100 repas.",
            "evidence_url": "https://example.org/bilan-2025.pdf",
            f"value_{first.id}": "2 100", f"value_{second.id}": "32,5"}
    data.update(overrides)
    return data


def test_progress_with_indicator_values_is_recorded_and_published(client, login, alpha,
                                                                  commitment):
    login(alpha.owner)
    url = f"{alpha.base}/{commitment.id}/avancement"
    assert "Valeur atteinte : Repas servis (repas)" in text(client.get(url))

    response = client.post(url, data=progress_form(commitment))

    assert response.status_code == 302
    update = db.session.scalars(select(ProgressUpdate)).one()
    assert update.reported_on == date(2025, 6, 30)
    assert update.text == "Premier semestre : 2 100 repas."
    assert update.evidence_url == "https://example.org/bilan-2025.pdf"
    assert sorted(v.value for v in update.values) == [Decimal("32.5"), Decimal("2100")]
    page = text(client.get(f"/organisations/{alpha.organisation.slug}"))
    assert "Premier semestre" in page and "2100" in page and "32,5" in page


def test_an_upper_case_scheme_is_stored_in_lower_case(client, login, alpha, commitment):
    login(alpha.owner)
    client.post(f"{alpha.base}/{commitment.id}/avancement", data=progress_form(
        commitment, evidence_url="HTTPS://Example.org/Bilan.pdf"))
    assert db.session.scalar(select(ProgressUpdate.evidence_url)) == \
        "https://Example.org/Bilan.pdf"


def test_blank_values_are_simply_not_reported(client, login, alpha, commitment):
    login(alpha.owner)
    first, second = commitment.indicators
    client.post(f"{alpha.base}/{commitment.id}/avancement",
                data=progress_form(commitment, **{f"value_{second.id}": ""}))
    assert [v.indicator_id for v in db.session.scalars(select(IndicatorValue))] == [first.id]


@pytest.mark.parametrize("value", ["beaucoup", "12..5", "1e3", "nan", "--4", "12 %"])
def test_a_value_that_is_not_a_number_is_refused_and_nothing_is_lost(client, login, alpha,
                                                                    commitment, value):
    login(alpha.owner)
    second = commitment.indicators[1]

    response = client.post(f"{alpha.base}/{commitment.id}/avancement",
                           data=progress_form(commitment, **{f"value_{second.id}": value}))

    assert response.status_code == 200
    page = text(response)
    assert "Indiquez un nombre, par exemple 12 ou 12,5." in page
    assert "Premier semestre : 2 100 repas." in page and 'value="2 100"' in page
    assert count(ProgressUpdate) == 0


@pytest.mark.parametrize(("field", "value", "message"), [
    ("reported_on", (date.today() + timedelta(days=3)).isoformat(), "dans le futur"),
    ("reported_on", "hier", "Indiquez une date valide"),
    ("text", "  ", "Décrivez l’avancement."),
    ("evidence_url", "javascript:alert(1)", "commençant par https:// ou http://"),
    ("evidence_url", "ftp://example.org/x", "commençant par https:// ou http://"),
    ("evidence_url", "https://", "commençant par https:// ou http://"),
])
def test_wrong_progress_fields_are_refused(client, login, alpha, commitment, field, value,
                                           message):
    login(alpha.owner)
    response = client.post(f"{alpha.base}/{commitment.id}/avancement",
                           data=progress_form(commitment, **{field: value}))
    assert message in text(response)
    assert count(ProgressUpdate) == 0


def test_a_value_for_another_commitments_indicator_is_ignored(client, login, alpha, beta,
                                                             commitment):
    theirs = add_commitment(beta)
    login(alpha.owner)
    client.post(f"{alpha.base}/{commitment.id}/avancement", data=progress_form(
        commitment, **{f"value_{theirs.indicators[0].id}": "999"}))
    reported = set(db.session.scalars(select(IndicatorValue.indicator_id)))
    assert theirs.indicators[0].id not in reported


@pytest.fixture
def joint(alpha, beta, commitment):
    partners.invite_partner(commitment, beta.id, alpha.owner)
    db.session.commit()
    return commitment


def _add_update(client, login, alpha, commitment) -> ProgressUpdate:
    login(alpha.owner)
    client.post(f"{alpha.base}/{commitment.id}/avancement", data=progress_form(commitment))
    return db.session.scalars(select(ProgressUpdate)).one()


def test_confirmed_partner_confirms_an_update_once(client, login, alpha, beta, joint):
    update = _add_update(client, login, alpha, joint)
    login(beta.owner)
    client.post(f"{beta.base}/{joint.id}/partenariat/confirmer")
    url = f"{beta.base}/{joint.id}/avancements/{update.id}/confirmer"
    assert "Confirmer cet avancement" in text(client.get(f"{beta.base}/{joint.id}"))

    first = client.post(url)
    second = client.post(url, follow_redirects=True)

    assert first.status_code == 302
    assert "déjà confirmé" in text(second)
    assert [(c.update_id, c.organisation_id) for c in db.session.scalars(
        select(UpdateConfirmation))] == [(update.id, beta.id)]
    page = text(client.get(f"/organisations/{alpha.organisation.slug}"))
    assert "Confirmé par : Béta Solidaire" in page


def test_an_invited_partner_cannot_confirm_an_update_yet(client, login, alpha, beta, joint):
    update = _add_update(client, login, alpha, joint)
    login(beta.owner)

    response = client.post(f"{beta.base}/{joint.id}/avancements/{update.id}/confirmer")

    assert response.status_code == 404
    assert count(UpdateConfirmation) == 0


def test_members_of_a_confirmed_partner_may_confirm(client, login, alpha, signatories, make,
                                                   commitment):
    member = make.user()
    gamma = signatories.new(name="Gamma", members=[member])
    partners.invite_partner(commitment, gamma.id, alpha.owner)
    db.session.commit()
    update = _add_update(client, login, alpha, commitment)
    login(gamma.owner)
    client.post(f"{gamma.base}/{commitment.id}/partenariat/confirmer")

    login(member)
    client.post(f"{gamma.base}/{commitment.id}/avancements/{update.id}/confirmer")

    assert count(UpdateConfirmation) == 1
