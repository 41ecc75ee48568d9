"""Recording and editing commitments through the member's forms, and every refused input."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from charter_service.charters.models import VersionStatus
from charter_service.commitments.models import (
    Commitment,
    CommitmentStatus,
    Domain,
    Indicator,
    Scale,
    Visibility,
)
from charter_service.commitments.services import CommitmentError
from charter_service.extensions import db
from charter_service.signatures.models import SignatureStatus

from .helpers import add_commitment, commitment_form, count, text


def only_commitment() -> Commitment:
    return db.session.scalars(select(Commitment)).one()


def test_member_records_a_commitment_with_all_its_fields(client, login, signatories, version,
                                                         make):
    member = make.user()
    org = signatories.new(status=SignatureStatus.PENDING, members=[member])
    login(member)

    page = client.get(f"{org.base}/nouveau")
    assert page.status_code == 200
    assert "13. Mesures relatives à la lutte contre les changements climatiques" in text(page)
    assert "2. Faim « zéro »" in text(page)

    form = commitment_form(version, principles=[str(p.id) for p in version.principles[:2]],
                           **{"indicators-1-name": "Producteurs partenaires",
                              "indicators-1-target": "1 250,5"})
    response = client.post(f"{org.base}/nouveau", data=form)

    assert response.status_code == 302
    commitment = only_commitment()
    assert response.headers["Location"].endswith(f"{org.base}/{commitment.id}")
    assert commitment.organisation_id == org.id
    assert commitment.charter_version_id == version.id
    assert [p.code for p in commitment.principles] == ["P1", "P2"]
    assert commitment.sdgs == [8, 12]
    assert commitment.domains == [Domain.ECONOMIQUE, Domain.ENVIRONNEMENTAL]
    assert commitment.scale == Scale.REGIONAL
    assert (commitment.start_on, commitment.end_on) == (date(2025, 1, 15), date(2026, 12, 31))
    assert commitment.status == CommitmentStatus.IN_PROGRESS
    assert commitment.visibility == Visibility.PUBLIC
    assert [(i.name, i.unit, i.target) for i in commitment.indicators] == [
        ("Part d’achats locaux", "%", Decimal("40")),
        ("Producteurs partenaires", "", Decimal("1250.5"))]
    detail = client.get(response.headers["Location"])
    assert "Achats locaux" in text(detail)
    assert "Travail décent et croissance économique" in text(detail)


def test_an_organisation_that_has_not_signed_cannot_record(client, login, signatories, version):
    org = signatories.new(status=None)
    login(org.owner)

    response = client.post(f"{org.base}/nouveau", data=commitment_form(version))

    assert response.status_code == 302
    assert count(Commitment) == 0
    assert "Seule une organisation signataire" in text(client.get(response.headers["Location"]))


@pytest.mark.parametrize("status", [SignatureStatus.SUSPENDED, SignatureStatus.REJECTED,
                                    SignatureStatus.WITHDRAWN])
def test_only_pending_or_approved_signatories_record(client, login, signatories, version, status):
    org = signatories.new(status=status)
    login(org.owner)

    client.post(f"{org.base}/nouveau", data=commitment_form(version))

    assert count(Commitment) == 0


def _refused(client, org, form, message):
    response = client.post(f"{org.base}/nouveau", data=form)
    assert response.status_code == 200
    page = text(response)
    assert message in page, page[page.find("error-summary"):][:800]
    assert count(Commitment) == 0
    return page


def test_end_before_start_is_refused_and_what_was_typed_stays(client, login, alpha, version):
    login(alpha.owner)
    form = commitment_form(version, title="Un titre que je ne veux pas retaper",
                           start_on="2025-06-01", end_on="2025-05-31")

    page = _refused(client, alpha, form, "La date de fin doit être égale ou postérieure")

    assert 'value="Un titre que je ne veux pas retaper"' in page
    assert 'value="2025-05-31"' in page
    assert 'value="Part d’achats locaux"' in page


def test_unknown_principle_is_refused(client, login, alpha, version):
    login(alpha.owner)
    _refused(client, alpha, commitment_form(version, principles=["987654"]),
             "Ce principe n’appartient pas à la version de la charte")


def test_principle_of_another_charter_version_is_refused(client, login, alpha, version, make):
    other = make.version(number=2, principles=2, status=VersionStatus.ARCHIVED)
    login(alpha.owner)
    _refused(client, alpha, commitment_form(version, principles=[str(other.principles[0].id)]),
             "Ce principe n’appartient pas à la version de la charte")


def test_service_refuses_a_principle_of_another_version(alpha, make):
    other = make.version(number=2, principles=1, status=VersionStatus.ARCHIVED)

    with pytest.raises(CommitmentError, match="version 1"):
        add_commitment(alpha, principles=other.principles)
    db.session.rollback()
    assert count(Commitment) == 0


def test_a_commitment_needs_a_principle(client, login, alpha, version):
    login(alpha.owner)
    _refused(client, alpha, commitment_form(version, principles=[]),
             "Choisissez au moins un principe de la charte.")


@pytest.mark.parametrize("sdg", ["0", "18", "-1", "abc", "1.5"])
def test_sdg_outside_1_to_17_is_refused(client, login, alpha, version, sdg):
    login(alpha.owner)
    _refused(client, alpha, commitment_form(version, sdgs=["3", sdg]),
             "numérotés de 1 à 17")


@pytest.mark.parametrize("target", ["beaucoup", "12,5,3", "1e5", "NaN", "Infinity", "12 %"])
def test_indicator_target_that_is_not_a_number_is_refused(client, login, alpha, version, target):
    login(alpha.owner)
    page = _refused(client, alpha, commitment_form(version, **{"indicators-0-target": target}),
                    "Indiquez un nombre, par exemple 12 ou 12,5.")
    assert "Indicateur 1 — Cible" in page


def test_indicator_target_too_large_or_too_precise_is_refused(client, login, alpha, version):
    login(alpha.owner)
    page = _refused(client, alpha,
                    commitment_form(version, **{"indicators-0-target": "1000000000000"}),
                    "Indicateur 1 — Cible : Indiquez un nombre inférieur à mille milliards")
    assert 'id="indicators-0-target-error"' in page
    _refused(client, alpha, commitment_form(version, **{"indicators-0-target": "1,23456"}),
             "Indicateur 1 — Cible : 4 décimales au plus")


def test_indicator_without_name_is_refused(client, login, alpha, version):
    login(alpha.owner)
    _refused(client, alpha, commitment_form(version, **{"indicators-0-name": ""}),
             "Donnez un nom à cet indicateur")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "", "Donnez un titre"),
    ("title", "x" * 201, "200 caractères au plus"),
    ("category", "philanthropie", "Choisissez une catégorie dans la liste"),
    ("category", "", "Choisissez une catégorie."),
    ("scale", "planetaire", "Choisissez une échelle dans la liste"),
    ("domains", ["culturel"], "Domaine inconnu"),
    ("start_on", "", "Indiquez la date de début."),
    ("start_on", "31/02/2025", "Indiquez une date valide"),
    ("visibility", "secret", "Choisissez public ou privé."),
    ("status", "fini", "Choisissez un état dans la liste."),
])
def test_other_wrong_fields_get_a_french_message(client, login, alpha, version, field, value,
                                                 message):
    login(alpha.owner)
    _refused(client, alpha, commitment_form(version, **{field: value}), message)


def test_french_dates_are_accepted(client, login, alpha, version):
    login(alpha.owner)
    client.post(f"{alpha.base}/nouveau",
                data=commitment_form(version, start_on="15/03/2025", end_on=""))
    assert (only_commitment().start_on, only_commitment().end_on) == (date(2025, 3, 15), None)


def test_edit_changes_fields_and_keeps_indicators_with_their_ids(client, login, alpha, version):
    commitment = add_commitment(alpha)
    indicator_id = commitment.indicators[0].id
    login(alpha.owner)

    page = client.get(f"{alpha.base}/{commitment.id}/modifier")
    assert 'value="Achats locaux"' in page.get_data(as_text=True)
    form = commitment_form(version, title="Achats locaux et solidaires",
                           visibility="private", **{"indicators-0-id": str(indicator_id),
                                                    "indicators-0-target": "55"})
    response = client.post(f"{alpha.base}/{commitment.id}/modifier", data=form)

    assert response.status_code == 302
    db.session.expire_all()
    commitment = only_commitment()
    assert commitment.title == "Achats locaux et solidaires"
    assert commitment.visibility == Visibility.PRIVATE
    assert [(i.id, i.target) for i in commitment.indicators] == [(indicator_id, Decimal("55"))]


def test_edit_cannot_take_over_another_commitments_indicator(client, login, alpha, beta, version):
    mine = add_commitment(alpha)
    theirs = add_commitment(beta, title="Le leur")
    foreign = theirs.indicators[0].id
    login(alpha.owner)

    response = client.post(f"{alpha.base}/{mine.id}/modifier", data=commitment_form(
        version, **{"indicators-0-id": str(foreign), "indicators-0-name": "Volé"}))

    assert response.status_code == 200
    assert "Cet indicateur n’appartient pas à cet engagement." in text(response)
    db.session.expire_all()
    assert db.session.get(Indicator, foreign).name == "Part d’achats locaux"
    assert db.session.get(Indicator, foreign).commitment_id == theirs.id
