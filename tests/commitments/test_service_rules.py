"""The commitment rules live in the services: called directly, with no form in front, they
refuse the same input and name the field the message belongs beside."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from charter_service.commitments import moderation, partners, progress, services
from charter_service.commitments.models import (
    Commitment,
    CommitmentPartner,
    ProgressUpdate,
)
from charter_service.commitments.services import CommitmentError, IndicatorData
from charter_service.extensions import db

from .helpers import add_commitment, count, text


@pytest.fixture
def commitment(alpha):
    return add_commitment(alpha)


def _data(commitment: Commitment) -> services.CommitmentData:
    return services.CommitmentData(
        title="Achats locaux", description="Acheter sur le territoire.",
        category=commitment.category, principle_ids=[p.id for p in commitment.principles],
        scale=commitment.scale, start_on=date(2025, 6, 1), sdgs=[8])


# (what is changed, the field named, the message) — written here, not read from the service
COMMITMENT_RULES = [
    ({"end_on": date(2025, 5, 31)}, "end_on",
     "La date de fin doit être égale ou postérieure à la date de début."),
    ({"sdgs": [8, 18]}, "sdgs", "Les objectifs de développement durable sont numérotés de 1 à 17."),
    ({"sdgs": [0]}, "sdgs", "Les objectifs de développement durable sont numérotés de 1 à 17."),
    ({"principle_ids": []}, "principles", "Choisissez au moins un principe de la charte."),
    ({"indicators": [IndicatorData("Repas"), IndicatorData("Part", "%", Decimal("10") ** 12)]},
     "indicators-1-target", "Indiquez un nombre inférieur à mille milliards."),
    ({"indicators": [IndicatorData("Part", "%", Decimal("1.23456"))]},
     "indicators-0-target", "4 décimales au plus."),
]


@pytest.mark.parametrize(("changes", "field", "message"), COMMITMENT_RULES)
def test_the_commitment_service_refuses_and_names_the_field(alpha, commitment, changes, field,
                                                            message):
    with pytest.raises(CommitmentError) as refused:
        services.update_commitment(commitment, replace(_data(commitment), **changes),
                                   alpha.owner)
    assert (refused.value.field, str(refused.value.message)) == (field, message)
    db.session.rollback()
    with pytest.raises(CommitmentError) as refused:
        services.create_commitment(alpha.organisation, replace(_data(commitment), **changes),
                                   alpha.owner)
    assert (refused.value.field, str(refused.value.message)) == (field, message)
    db.session.rollback()
    assert count(Commitment) == 1


PROGRESS_RULES = [
    ({"reported_on": date.today() + timedelta(days=2)}, "reported_on",
     "La date d’un avancement ne peut pas être dans le futur."),
    ({"text": "  \n "}, "text", "Décrivez l’avancement."),
    ({"evidence_url": "javascript:alert(1)"}, "evidence_url",
     "Indiquez une adresse web complète commençant par https:// ou http://."),
    ({"evidence_url": "https://exemple.fr/" + "x" * 500}, "evidence_url",
     "500 caractères au plus."),
]


@pytest.mark.parametrize(("changes", "field", "message"), PROGRESS_RULES)
def test_the_progress_service_refuses_and_names_the_field(alpha, commitment, changes, field,
                                                          message):
    data = progress.ProgressData(**{"reported_on": date.today(), "text": "Fait."} | changes)
    with pytest.raises(CommitmentError) as refused:
        progress.add_progress(commitment, data, alpha.owner)
    assert (refused.value.field, str(refused.value.message)) == (field, message)
    db.session.rollback()
    assert count(ProgressUpdate) == 0


@pytest.mark.parametrize(("name", "message"), [
    ("   ", "Indiquez le nom du partenaire extérieur."),
    ("x" * 201, "200 caractères au plus."),
])
def test_the_partner_service_refuses_and_names_the_field(alpha, commitment, name, message):
    with pytest.raises(CommitmentError) as refused:
        partners.add_outside_partner(commitment, name, alpha.owner)
    assert (refused.value.field, str(refused.value.message)) == ("outside_name", message)
    db.session.rollback()
    assert count(CommitmentPartner) == 0


def test_the_moderation_service_refuses_a_blank_reason(make, commitment):
    with pytest.raises(CommitmentError) as refused:
        moderation.hide(commitment, " ", make.user())
    assert refused.value.field == "reason"
    db.session.rollback()
    assert not db.session.get(Commitment, commitment.id).is_hidden


def test_the_service_s_message_is_shown_beside_the_field(client, login, alpha, commitment):
    login(alpha.owner)
    future = (date.today() + timedelta(days=3)).isoformat()
    response = client.post(f"{alpha.base}/{commitment.id}/avancement",
                           data={"reported_on": future, "text": "Fait."})
    page = text(response)
    assert 'id="reported_on-error"' in page
    assert "La date d’un avancement ne peut pas être dans le futur." in page
    assert count(ProgressUpdate) == 0
