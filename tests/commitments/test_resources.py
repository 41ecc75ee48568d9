"""What a commitment mobilises: resources, deliverables, a target date, SDG targets, and the
completeness hint (specific, measurable, resourced, dated) shown to the member."""

import csv
import io
import json
import re
import unicodedata
from collections import Counter
from datetime import date
from decimal import Decimal

import frictionless
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from charter_service.commitments import completeness, services
from charter_service.commitments.means import (
    CommitmentDeliverable,
    CommitmentResource,
    CommitmentSdgTarget,
    ResourceKind,
)
from charter_service.commitments.models import Commitment
from charter_service.commitments.sdgs import TARGETS_FILE, sdg_targets
from charter_service.commitments.services import CommitmentError, ResourceData
from charter_service.extensions import db

from .helpers import add_commitment, commitment_form, count, text

SPACES = re.compile(r"[\u00a0\u202f]")

# How many targets each goal has in the 2030 Agenda (A/RES/70/1): 169 in all.
TARGETS_PER_GOAL = {1: 7, 2: 8, 3: 13, 4: 10, 5: 9, 6: 8, 7: 5, 8: 12, 9: 8, 10: 10, 11: 10,
                    12: 11, 13: 5, 14: 10, 15: 12, 16: 12, 17: 19}


def plain(response) -> str:
    """The page's text with its no-break spaces as plain spaces (« 12 500 € »)."""
    return SPACES.sub(" ", text(response))


def only_commitment() -> Commitment:
    return db.session.scalars(select(Commitment)).one()


def full_form(version, **overrides) -> dict:
    """A commitment that says what it mobilises (goals 8 and 12 are chosen)."""
    return commitment_form(version, **{
        "resources-0-kind": "budget", "resources-0-amount": "12 500",
        "resources-0-description": "Surcoût des achats",
        "resources-1-kind": "skills_days", "resources-1-amount": "30",
        "resources-2-kind": "budget", "resources-2-amount": "2 500,50",
        "deliverables-0": "Un guide des achats locaux",
        "deliverables-1": "",
        "deliverables-2": "Une carte des producteurs",
        "target_on": "2026-06-30",
        "sdg_targets": ["12.7", "8.3"],
        **overrides})


# --- The data file ---------------------------------------------------------------------------

def test_the_data_file_holds_the_169_targets_each_under_its_goal_in_both_languages():
    raw = json.loads(TARGETS_FILE.read_text(encoding="utf-8"))
    targets = sdg_targets()

    assert len(raw) == len(targets) == 169
    assert Counter(t.goal for t in targets.values()) == TARGETS_PER_GOAL
    for code, target in targets.items():
        goal, _dot, rest = code.partition(".")
        assert int(goal) == target.goal == raw[code]["goal"]
        assert rest.isdigit() or re.fullmatch("[a-z]", rest), code
        assert target.fr.strip() and target.en.strip(), code
    assert {"1.a", "1.b", "17.19", "14.c"} <= targets.keys()
    assert list(targets)[:7] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b"]
    assert targets["12.3"].fr.startswith("D’ici à 2030, réduire de moitié")
    assert targets["12.3"].en.startswith("By 2030, halve per capita global food waste")


# --- Recording and editing -------------------------------------------------------------------

def test_member_records_resources_deliverables_target_date_and_targets(client, login, alpha,
                                                                        version):
    login(alpha.owner)

    page = plain(client.get(f"{alpha.base}/nouveau"))
    assert "Moyens et livrables" in page
    assert "12.3 D’ici à 2030, réduire de moitié à l’échelle mondiale" in page
    assert page.count('class="sdg-target-group"') == 17
    response = client.post(f"{alpha.base}/nouveau", data=full_form(version))

    assert response.status_code == 302, plain(response)[:2000]
    commitment = only_commitment()
    assert [(r.kind, r.amount, r.description) for r in commitment.resources] == [
        (ResourceKind.BUDGET, Decimal("12500"), "Surcoût des achats"),
        (ResourceKind.SKILLS_DAYS, Decimal("30"), ""),
        (ResourceKind.BUDGET, Decimal("2500.5"), "")]
    assert [d.text for d in commitment.deliverables] == ["Un guide des achats locaux",
                                                         "Une carte des producteurs"]
    assert commitment.target_on == date(2026, 6, 30)
    assert commitment.sdg_targets == ["8.3", "12.7"]

    detail = plain(client.get(response.headers["Location"]))
    assert "Total budget" in detail and "15 000,5 €" in detail
    assert "12 500 €" in detail and "30 jours" in detail
    assert "Un guide des achats locaux" in detail
    assert "Date cible : 30 juin 2026" in detail or "Date cible : 30/06/2026" in detail
    assert "Cible 12.7" in detail and "Promouvoir des pratiques durables dans le cadre" in detail


def test_the_edit_form_shows_the_stored_lines_and_saving_replaces_them(client, login, alpha,
                                                                       version):
    login(alpha.owner)
    client.post(f"{alpha.base}/nouveau", data=full_form(version))
    commitment = only_commitment()
    url = f"{alpha.base}/{commitment.id}/modifier"

    page = text(client.get(url))
    assert 'value="12500"' in page and 'value="2500,5"' in page
    assert 'value="Une carte des producteurs"' in page
    assert 'value="2026-06-30"' in page
    assert re.search(r'value="12\.7"[^>]*checked|checked[^>]*value="12\.7"', page)
    # One empty row more than the stored lines, to add one without JavaScript.
    assert 'name="resources-3-kind"' in page and 'name="deliverables-2"' in page

    response = client.post(url, data=commitment_form(version, sdgs=["12"], **{
        "resources-0-kind": "volunteers", "resources-0-amount": "8",
        "deliverables-0": "Un seul livrable", "target_on": "",
        "sdg_targets": ["12.3"]}))

    assert response.status_code == 302
    db.session.expire_all()
    commitment = only_commitment()
    assert [(r.kind, r.amount) for r in commitment.resources] == [
        (ResourceKind.VOLUNTEERS, Decimal("8"))]
    assert [d.text for d in commitment.deliverables] == ["Un seul livrable"]
    assert commitment.target_on is None
    assert commitment.sdgs == [12] and commitment.sdg_targets == ["12.3"]
    assert count(CommitmentResource) == 1 and count(CommitmentSdgTarget) == 1


def test_unchoosing_a_goal_with_its_targets_removes_them(alpha):
    commitment = add_commitment(alpha, sdgs=(8, 12))
    data = _data(commitment, sdgs=[8, 12], sdg_targets=["8.3", "12.7"])
    services.update_commitment(commitment, data, alpha.owner)
    db.session.commit()

    services.update_commitment(commitment, _data(commitment, sdgs=[8], sdg_targets=["8.3"]),
                               alpha.owner)
    db.session.commit()

    db.session.expire_all()
    assert only_commitment().sdg_targets == ["8.3"]
    assert count(CommitmentSdgTarget) == 1


# --- Bad input -------------------------------------------------------------------------------

def _refused(client, org, form, message, field_id):
    response = client.post(f"{org.base}/nouveau", data=form)
    assert response.status_code == 200
    page = plain(response)
    assert message in page, page[page.find("error-summary"):][:1500]
    assert f'id="{field_id}-error"' in page
    assert count(Commitment) == count(CommitmentResource) == count(CommitmentSdgTarget) == 0
    assert count(CommitmentDeliverable) == 0
    return page


@pytest.mark.parametrize(("kind", "amount", "message"), [
    ("budget", "-500", "Indiquez un montant supérieur à zéro."),
    ("volunteers", "0", "Indiquez un montant supérieur à zéro."),
    ("budget", "0,00", "Indiquez un montant supérieur à zéro."),
    ("budget", "10 000 000 000", "Indiquez un budget inférieur à dix milliards d’euros."),
    ("in_kind", "99999999999", "Indiquez un apport en nature inférieur à dix milliards"),
    ("skills_days", "1 000 000", "Indiquez un nombre de jours inférieur à un million."),
    ("volunteers", "5000000", "Indiquez un nombre de bénévoles inférieur à un million."),
    ("budget", "12,345", "Indiquez un montant en euros avec deux décimales au plus."),
    ("skills_days", "2,25", "Indiquez les jours avec une décimale au plus"),
    ("volunteers", "2,5", "Indiquez un nombre entier de bénévoles."),
    ("budget", "beaucoup", "Indiquez un nombre, par exemple 12 ou 12,5."),
    ("budget", "1e5", "Indiquez un nombre, par exemple 12 ou 12,5."),
    ("budget", "NaN", "Indiquez un nombre, par exemple 12 ou 12,5."),
    ("budget", "", "Indiquez le montant de cette ressource, ou videz la ligne."),
])
def test_a_wrong_resource_amount_gets_a_french_message_and_nothing_is_stored(
        client, login, alpha, version, kind, amount, message):
    login(alpha.owner)
    page = _refused(client, alpha, full_form(version, **{
        "resources-1-kind": kind, "resources-1-amount": amount}), message,
        "resources-1-amount")
    assert "Ressource 2 — Montant" in page
    assert 'value="Surcoût des achats"' in page  # what was typed stays


@pytest.mark.parametrize(("kind", "message"), [
    ("", "Choisissez le type de cette ressource, ou videz la ligne."),
    ("argent", "Choisissez un type dans la liste."),
])
def test_a_resource_without_a_known_kind_is_refused(client, login, alpha, version, kind,
                                                    message):
    login(alpha.owner)
    _refused(client, alpha, full_form(version, **{"resources-0-kind": kind}), message,
             "resources-0-kind")


def test_a_target_of_a_goal_not_chosen_is_refused(client, login, alpha, version):
    login(alpha.owner)
    page = _refused(client, alpha, full_form(version, sdg_targets=["12.7", "4.1"]),
                    "La cible 4.1 relève de l’ODD 4, que vous n’avez pas choisi : cochez cet "
                    "objectif ou décochez la cible.", "sdg_targets")
    # Its goal's group stays open, so that the person sees what to uncheck.
    assert re.search(r'data-goal="4" open', page)


@pytest.mark.parametrize("code", ["18.1", "1.9", "abc", "12.3; DROP"])
def test_an_unknown_target_is_refused(client, login, alpha, version, code):
    login(alpha.owner)
    _refused(client, alpha, full_form(version, sdg_targets=[code]),
             "Cette cible n’existe pas parmi les 169 cibles", "sdg_targets")


def test_a_target_date_before_the_start_is_refused(client, login, alpha, version):
    login(alpha.owner)
    _refused(client, alpha, full_form(version, start_on="2025-01-15", target_on="2025-01-14"),
             "La date cible doit être égale ou postérieure à la date de début.", "target_on")


def test_a_target_date_that_is_not_a_date_is_refused(client, login, alpha, version):
    login(alpha.owner)
    _refused(client, alpha, full_form(version, target_on="31/02/2026"),
             "Indiquez une date valide", "target_on")


def test_a_deliverable_too_long_is_refused(client, login, alpha, version):
    login(alpha.owner)
    page = _refused(client, alpha, full_form(version, **{"deliverables-1": "x" * 201}),
                    "200 caractères au plus.", "deliverables-1")
    assert "Livrable 2" in page


def test_a_refused_edit_keeps_the_stored_lines(client, login, alpha, version):
    login(alpha.owner)
    client.post(f"{alpha.base}/nouveau", data=full_form(version))
    commitment = only_commitment()

    response = client.post(f"{alpha.base}/{commitment.id}/modifier", data=full_form(
        version, **{"resources-0-amount": "-1", "sdg_targets": ["1.1"]}))

    assert response.status_code == 200
    db.session.expire_all()
    assert [r.amount for r in only_commitment().resources] == [
        Decimal("12500"), Decimal("30"), Decimal("2500.5")]
    assert only_commitment().sdg_targets == ["8.3", "12.7"]


def _data(commitment, **overrides) -> services.CommitmentData:
    data = services.CommitmentData(
        title=commitment.title, description=commitment.description,
        category=commitment.category, principle_ids=[p.id for p in commitment.principles],
        scale=commitment.scale, start_on=commitment.start_on, sdgs=commitment.sdgs,
        indicators=[services.IndicatorData(id=i.id, name=i.name, unit=i.unit, target=i.target)
                    for i in commitment.indicators])
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"resources": [ResourceData(ResourceKind.BUDGET, Decimal("-1"))]}, "resources-0-amount",
     "supérieur à zéro"),
    ({"resources": [ResourceData(ResourceKind.IN_KIND, Decimal("Infinity"))]},
     "resources-0-amount", "supérieur à zéro"),
    ({"resources": [ResourceData(ResourceKind.VOLUNTEERS, Decimal("3")),
                    ResourceData(ResourceKind.SKILLS_DAYS, Decimal("1e6"))]},
     "resources-1-amount", "un million"),
    ({"sdg_targets": ["13.1"]}, "sdg_targets", "relève de l’ODD 13"),
    ({"sdg_targets": ["8.99"]}, "sdg_targets", "Cible inconnue"),
    ({"target_on": date(2024, 12, 31)}, "target_on", "date cible"),
    ({"deliverables": ["x" * 201]}, "deliverables", "200 caractères"),
])
def test_the_service_refuses_what_the_form_would(alpha, overrides, field, message):
    commitment = add_commitment(alpha, sdgs=(8,))

    with pytest.raises(CommitmentError, match=message) as refused:
        services.update_commitment(commitment, _data(commitment, **overrides), alpha.owner)

    assert refused.value.field == field
    db.session.rollback()
    assert count(CommitmentResource) == count(CommitmentSdgTarget) == 0
    assert only_commitment().target_on is None


@pytest.mark.parametrize("statement", [
    "INSERT INTO commitment_resources (commitment_id, kind, amount, description, position)"
    " VALUES (:c, 'budget', 0, '', 0)",
    "INSERT INTO commitment_resources (commitment_id, kind, amount, description, position)"
    " VALUES (:c, 'volunteers', 1000000, '', 0)",
    "INSERT INTO commitment_resources (commitment_id, kind, amount, description, position)"
    " VALUES (:c, 'budget', -3, '', 0)",
    "INSERT INTO commitment_sdg_targets (commitment_id, sdg, target) VALUES (:c, 8, '12.3')",
    "INSERT INTO commitment_sdg_targets (commitment_id, sdg, target) VALUES (:c, 4, '4.1')",
    "INSERT INTO commitment_deliverables (commitment_id, text, position) VALUES (:c, '', 0)",
    "UPDATE commitments SET target_on = '2024-12-31' WHERE id = :c",
])
def test_the_database_refuses_what_the_rules_refuse(alpha, statement):
    commitment_id = add_commitment(alpha, sdgs=(8,)).id

    with pytest.raises(IntegrityError):
        db.session.execute(db.text(statement), {"c": commitment_id})
        db.session.flush()
    db.session.rollback()


# --- Completeness hint -----------------------------------------------------------------------

def _met(commitment) -> dict[str, bool]:
    return {c.key: c.met for c in completeness.criteria(commitment)}


def test_completeness_has_four_criteria_each_met_by_what_it_names(alpha, version):
    assert _met(None) == dict.fromkeys(("specific", "measurable", "resourced", "dated"), False)
    commitment = add_commitment(alpha, indicators=(("Part d’achats locaux", "%", 40),))
    assert _met(commitment) == {"specific": False, "measurable": True, "resourced": False,
                                "dated": False}

    long_text = "Acheter auprès des producteurs du territoire, " * 4
    services.update_commitment(commitment, _data(
        commitment, description=long_text,
        resources=[ResourceData(ResourceKind.VOLUNTEERS, Decimal("2"))],
        target_on=date(2026, 1, 1)), alpha.owner)
    assert _met(commitment) == dict.fromkeys(("specific", "measurable", "resourced", "dated"),
                                             True)

    # An indicator without a target measures nothing; an end date dates as well.
    services.update_commitment(commitment, _data(
        commitment, description=long_text, target_on=None, end_on=date(2027, 1, 1),
        indicators=[services.IndicatorData(name="Producteurs")]), alpha.owner)
    assert _met(commitment) == {"specific": True, "measurable": False, "resourced": False,
                                "dated": True}
    # A description just under the length is not specific.
    services.update_commitment(commitment, _data(
        commitment, description="x" * (completeness.SPECIFIC_DESCRIPTION - 1)), alpha.owner)
    assert _met(commitment)["specific"] is False


def test_the_member_sees_what_is_missing_on_the_page_and_in_the_form(client, login, alpha):
    commitment = add_commitment(alpha)
    login(alpha.owner)

    for url in (f"{alpha.base}/{commitment.id}", f"{alpha.base}/{commitment.id}/modifier"):
        page = plain(client.get(url))
        assert "Votre engagement est-il…" in page
        assert re.search(r'data-criterion="measurable">\s*<strong>mesurable \?</strong>\s*oui',
                         page)
        assert "Indiquez au moins une ressource mobilisée : budget" in page
        assert "Indiquez une date cible pour les livrables ou une date de fin." in page
        assert "caractères au moins" in page
    assert "Compléter l’engagement" in plain(client.get(f"{alpha.base}/{commitment.id}"))
    # Never blocking: the incomplete commitment was recorded; the public page has no hint.
    assert "Votre engagement est-il" not in plain(
        client.get(f"/organisations/{alpha.organisation.slug}"))


# --- Shown on the public page and in the API -------------------------------------------------

@pytest.fixture
def resourced(app, login, alpha, version):
    """Recorded by alpha's owner in another browser: `client` stays anonymous."""
    member = login(alpha.owner, target=app.test_client())
    assert member.post(f"{alpha.base}/nouveau", data=full_form(version)).status_code == 302
    return only_commitment()


def test_the_public_page_shows_resources_deliverables_date_and_targets(client, alpha,
                                                                       resourced):
    page = plain(client.get(f"/organisations/{alpha.organisation.slug}"))

    assert "Moyens mobilisés" in page
    assert "12 500 €" in page and "15 000,5 €" in page and "30 jours" in page
    assert "Une carte des producteurs" in page
    assert "Cible 8.3" in page and "Promouvoir des politiques axées sur le développement" in page


def test_an_english_page_shows_the_english_title_of_a_target(client, alpha, resourced):
    page = plain(client.get(f"/organisations/{alpha.organisation.slug}",
                            headers={"Accept-Language": "en"}))

    assert sdg_targets()["8.3"].en in page
    assert sdg_targets()["8.3"].fr not in page


def test_the_api_gives_resources_deliverables_target_date_and_targets(client, resourced):
    item, = client.get("/api/v1/commitments").get_json()["items"]

    assert item["resources"] == [
        {"kind": "budget", "amount": 12500.0, "description": "Surcoût des achats"},
        {"kind": "skills_days", "amount": 30.0, "description": ""},
        {"kind": "budget", "amount": 2500.5, "description": ""}]
    assert item["deliverables"] == ["Un guide des achats locaux", "Une carte des producteurs"]
    assert item["target_on"] == "2026-06-30"
    assert item["sdg_targets"] == [
        {"code": "8.3", "goal": 8, "title": sdg_targets()["8.3"].fr},
        {"code": "12.7", "goal": 12, "title": sdg_targets()["12.7"].fr}]


# --- Access ----------------------------------------------------------------------------------

def test_another_organisation_cannot_change_the_resources_or_targets(client, login, alpha, beta,
                                                                     version):
    login(alpha.owner)
    client.post(f"{alpha.base}/nouveau", data=full_form(version))
    commitment = only_commitment()
    login(beta.owner)
    attack = full_form(version, **{"resources-0-amount": "1", "sdg_targets": ["8.1"]})

    for url in (f"{alpha.base}/{commitment.id}/modifier",
                f"{beta.base}/{commitment.id}/modifier"):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data=attack).status_code == 404, url

    db.session.expire_all()
    assert only_commitment().resources[0].amount == Decimal("12500")
    assert only_commitment().sdg_targets == ["8.3", "12.7"]


def test_the_titles_are_composed_characters():
    """« é » as one character, as the French typed in the forms: a search for a word finds it."""
    assert all(unicodedata.is_normalized("NFC", t.fr + t.en) for t in sdg_targets().values())


def test_the_directory_exports_give_the_totals_deliverables_target_date_and_targets(
        client, resourced, tmp_path):
    schema = frictionless.Schema.from_descriptor(client.get("/engagements/schema.json")
                                                 .get_json())
    item, = json.loads(client.get("/engagements.json").get_data(as_text=True))["items"]

    assert (item["budget_eur"], item["in_kind_eur"], item["skills_days"],
            item["volunteers"]) == (15000.5, None, 30, None)
    assert item["deliverables"] == "Un guide des achats locaux ; Une carte des producteurs"
    assert (item["target_on"], item["sdg_targets"]) == ("2026-06-30", "8.3 12.7")
    assert [field.name for field in schema.fields] == list(item)
    assert frictionless.Resource(data=[item], schema=schema).validate().valid

    body = client.get("/engagements.csv").get_data()
    (tmp_path / "engagements.csv").write_bytes(body)
    assert frictionless.Resource(path="engagements.csv", basepath=str(tmp_path), schema=schema,
                                 encoding="utf-8-sig").validate().valid
    row, = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    assert (row["budget_eur"], row["skills_days"], row["volunteers"]) == ("15000.5", "30", "")
    assert row["sdg_targets"] == "8.3 12.7"


def test_rows_past_the_maximum_are_not_stored(client, login, alpha, version):
    login(alpha.owner)
    rows = {f"resources-{n}-{key}": value for n in range(12)
            for key, value in (("kind", "volunteers"), ("amount", str(n + 1)))}

    response = client.post(f"{alpha.base}/nouveau", data=full_form(version, **rows))

    assert response.status_code in (200, 302)
    assert count(CommitmentResource) <= services.MAX_RESOURCES
