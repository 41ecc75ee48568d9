"""GET /api/v1/commitments: public commitments only, filters, validation in French."""

import pytest

from charter_service.commitments import partners
from charter_service.commitments.models import Category, Visibility
from charter_service.commitments.queries import organisations_with_public_commitments
from charter_service.extensions import db
from charter_service.signatures.models import SignatureStatus

from .helpers import add_commitment


@pytest.fixture
def catalogue(alpha, signatories, version):
    p1, p2, p3 = version.principles
    north = signatories.new(name="Nord Énergie", region_code="32")
    add_commitment(alpha, title="Achats locaux", principles=[p1], sdgs=(8, 12))
    add_commitment(alpha, title="Mécénat de compétences", principles=[p2],
                   category=Category.MECENAT, sdgs=(4,))
    add_commitment(north, title="Réseau de chaleur", principles=[p3], sdgs=(7, 13))
    add_commitment(alpha, title="Privé", visibility=Visibility.PRIVATE)
    add_commitment(signatories.new(status=SignatureStatus.PENDING), title="En attente")
    return north


def titles(client, **query) -> list[str]:
    response = client.get("/api/v1/commitments", query_string=query)
    assert response.status_code == 200, response.get_json()
    return [item["title"] for item in response.get_json()["items"]]


def test_lists_only_public_commitments_of_approved_signatories(client, catalogue):
    assert sorted(titles(client)) == ["Achats locaux", "Mécénat de compétences",
                                      "Réseau de chaleur"]


@pytest.mark.parametrize(("query", "expected"), [
    ({"principle": "P2"}, ["Mécénat de compétences"]),
    ({"categorie": "mecenat"}, ["Mécénat de compétences"]),
    ({"odd": "13"}, ["Réseau de chaleur"]),
    ({"region": "32"}, ["Réseau de chaleur"]),
    ({"odd": "12", "principle": "P1"}, ["Achats locaux"]),
    ({"principle": "P9"}, []),
])
def test_filters(client, catalogue, query, expected):
    assert titles(client, **query) == expected


def test_filter_by_organisation_slug(client, alpha, catalogue):
    assert sorted(titles(client, organisation=alpha.organisation.slug)) == [
        "Achats locaux", "Mécénat de compétences"]


def test_item_fields(client, alpha, beta, catalogue):
    commitment = add_commitment(alpha, title="Commun", sdgs=(17,))
    partners.invite_partner(commitment, beta.id, alpha.owner)
    partners.add_outside_partner(commitment, "Lycée voisin", alpha.owner)
    commitment.partners[0].status = "confirmed"
    commitment.partners[0].decided_at = commitment.created_at
    db.session.commit()

    item = client.get("/api/v1/commitments", query_string={"odd": 17}).get_json()["items"][0]

    assert item["organisation"] == {"name": "Alpha Coopérative", "slug": alpha.organisation.slug}
    assert item["sdgs"] == [
        {"number": 17, "name": "Partenariats pour la réalisation des objectifs"}]
    assert item["partners"] == [{"name": "Béta Solidaire", "slug": beta.organisation.slug},
                                {"name": "Lycée voisin", "slug": None}]
    assert item["indicators"] == [{"name": "Part d’achats locaux", "unit": "%", "target": 40.0}]
    assert set(item) == {"id", "title", "description", "organisation", "charter_version",
                         "principles", "category", "sdgs", "domains", "scale", "start_on",
                         "end_on", "status", "partners", "indicators", "updates",
                         "target_on", "sdg_targets", "resources", "deliverables"}


def test_pagination(client, catalogue):
    first = client.get("/api/v1/commitments", query_string={"per_page": 2}).get_json()
    second = client.get("/api/v1/commitments",
                        query_string={"per_page": 2, "page": 2}).get_json()
    assert (len(first["items"]), first["next_page"]) == (2, 2)
    assert (len(second["items"]), second["next_page"]) == (1, None)


@pytest.mark.parametrize(("query", "message"), [
    ({"odd": "18"}, "L’ODD doit être un nombre entier entre 1 et 17."),
    ({"odd": "0"}, "L’ODD doit être un nombre entier entre 1 et 17."),
    ({"odd": "trois"}, "L’ODD doit être un nombre entier entre 1 et 17."),
    ({"categorie": "philanthropie"}, "Catégorie inconnue"),
    ({"per_page": "101"}, "per_page doit être compris entre 1 et 100."),
    ({"page": "0"}, "La page doit être comprise entre 1 et 1000."),
    ({"page": "x"}, "La page doit être un nombre entier."),
])
def test_invalid_parameters_get_a_french_json_error(client, query, message):
    response = client.get("/api/v1/commitments", query_string=query)

    assert response.status_code == 422
    body = response.get_json()
    assert body["error"]["code"] == 422
    assert message in str(body["error"]["fields"])


def test_listed_in_the_openapi_spec(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    parameters = {p["name"] for p in spec["paths"]["/api/v1/commitments"]["get"]["parameters"]}
    assert {"principle", "categorie", "odd", "region", "organisation", "page",
            "per_page"} <= parameters


def test_organisations_with_public_commitments_for_the_register(alpha, catalogue):
    def ids(**filters):
        return set(db.session.scalars(organisations_with_public_commitments(**filters)))

    assert ids() == {alpha.id, catalogue.id}
    assert ids(sdg=13) == {catalogue.id}
    assert ids(category=Category.MECENAT) == {alpha.id}
    assert ids(sdg=1) == set()
