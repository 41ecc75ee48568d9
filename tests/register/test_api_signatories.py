"""GET /api/v1/signatories and /api/v1/signatories/<slug>: filters, Link pagination, errors,
read-only CORS and the OpenAPI spec."""

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from openapi_spec_validator import validate

from charter_service.register import queries
from charter_service.register.selection import parse_selection

from . import signatory_world

LINK_RE = re.compile(r'<([^>]+)>;\s*rel="([a-z]+)"')


@pytest.fixture
def world(make):
    return signatory_world.build(make)


def _links(response) -> dict[str, str]:
    return {rel: url for url, rel in LINK_RE.findall(response.headers.get("Link", ""))}


def _expected(args: dict) -> list[dict]:
    selection, errors = parse_selection(args)
    assert errors == []
    return [row | {"signed_on": row["signed_on"].isoformat(), "kind": str(row["kind"])}
            for row in queries.iter_rows(selection)]


def _walk(client, url: str) -> list[dict]:
    """Every item of a selection, following rel="next" from `url`."""
    items, seen = [], set()
    while url:
        assert url not in seen
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, response.get_json()
        items.extend(response.get_json()["items"])
        url = _links(response).get("next")
    return items


REPORT_KEYS = ("report_status", "report_status_label", "report_due_on", "report_status_since")


def _without_url(items: list[dict]) -> list[dict]:
    """The register row of each item (less its link and its reporting status)."""
    return [{k: v for k, v in item.items() if k != "url" and k not in REPORT_KEYS}
            for item in items]


def test_items_are_register_rows_in_design_order(client, world):
    response = client.get("/api/v1/signatories")
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 7 and body["pages"] == 1 and body["page"] == 1
    assert body["per_page"] == 20
    first = body["items"][0]
    assert list(first) == [*queries.ROW_KEYS, "url", *REPORT_KEYS]
    assert first["name"] == "Association des Îles"  # accent-insensitive name order
    assert first["url"] == f"http://localhost/organisations/{first['slug']}"
    assert _without_url(body["items"]) == _expected({})
    names = {item["name"] for item in body["items"]}
    assert not names & {"Élan en Attente", "Élan Suspendu", "Élan Refusé"}


SELECTIONS = [
    {}, {"tri": "date"}, {"type": "association"}, {"region": "84"}, {"departement": "2a"},
    {"q": "elan"}, {"q": "VENISSIEUX"}, {"odd": "8"}, {"categorie": "cooperation_economique"},
    {"type": "entreprise", "region": "84", "tri": "date"},
]


def test_following_next_links_walks_the_whole_selection(client, world):
    for args in SELECTIONS:
        query = "&".join(f"{k}={v}" for k, v in args.items())
        items = _walk(client, f"/api/v1/signatories?per_page=2&{query}")
        assert _without_url(items) == _expected(args), args
        assert items, args


def test_filters_select_what_they_say(client, world):
    def names(query):
        return [i["name"] for i in client.get(f"/api/v1/signatories?{query}").get_json()["items"]]

    assert names("q=ELAN") == ["Élan Solidaire"]
    assert names("q=cotier") == ["Atelier Côtier"]
    assert names("type=entreprise") == ["Atelier Côtier", "Zénith Coopérative"]
    assert names("departement=971") == ["Association des Îles"]
    assert names("region=11") == ["Fondation Horizon"]
    assert names("odd=8") == names("categorie=cooperation_economique") == ["Élan Solidaire"]
    today = date.today()
    window = f"depuis={today - timedelta(days=1)}&jusqu_a={today + timedelta(days=1)}"
    assert len(names(window)) == 7
    assert names(f"depuis={today + timedelta(days=2)}") == []
    assert names(f"jusqu_a={today - timedelta(days=2)}") == []


def test_link_header_has_first_prev_next_last_keeping_the_filters(client, world):
    response = client.get("/api/v1/signatories?type=entreprise&per_page=1&page=2&tri=date")
    links = _links(response)
    assert set(links) == {"first", "prev", "last"}
    for rel, page in (("first", "1"), ("prev", "1"), ("last", "2")):
        parts = urlsplit(links[rel])
        assert parts.scheme == "http" and parts.netloc == "localhost"
        assert parts.path == "/api/v1/signatories"
        assert parse_qs(parts.query) == {"type": ["entreprise"], "per_page": ["1"],
                                         "tri": ["date"], "page": [page]}
    first = client.get("/api/v1/signatories?type=entreprise&per_page=1")
    assert set(_links(first)) == {"first", "next", "last"}
    assert "Access-Control-Expose-Headers" in first.headers
    assert "Link" in first.headers["Access-Control-Expose-Headers"]


def test_a_page_past_the_end_is_empty(client, world):
    response = client.get("/api/v1/signatories?per_page=5&page=40")
    assert response.status_code == 200
    body = response.get_json()
    assert body["items"] == [] and body["total"] == 7 and body["pages"] == 2
    links = _links(response)
    assert "next" not in links and parse_qs(urlsplit(links["prev"]).query)["page"] == ["2"]


@pytest.mark.parametrize("query", [
    "page=-1", "page=0", "page=abc", "page=99999999999999999999", "per_page=1000000000",
    "per_page=0", "q=" + "a" * 10_000, "type=inconnu", "odd=99", "odd=huit",
    "categorie=autre", "depuis=2026-13-45", "jusqu_a=hier", "tri=prix", "region=99",
    "departement=100", "depuis=2026-02-01&jusqu_a=2026-01-01",
])
def test_bad_input_gets_a_clear_json_4xx(client, query):
    response = client.get(f"/api/v1/signatories?{query}")
    assert response.status_code in (400, 422)
    error = response.get_json()["error"]
    assert error["code"] == response.status_code
    assert error["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_unknown_region_message_is_specific(client):
    body = client.get("/api/v1/signatories?region=99").get_json()
    assert "Région inconnue" in body["error"]["message"]


def test_one_signatory_with_certificate_and_commitments(client, world):
    organisation = world["approved"][0]
    response = client.get(f"/api/v1/signatories/{organisation.slug}")
    assert response.status_code == 200
    body = response.get_json()
    row = next(r for r in _expected({}) if r["slug"] == organisation.slug)
    assert {k: body[k] for k in queries.ROW_KEYS} == row
    assert body["certificate"]["number"] == row["certificate_number"]
    assert body["certificate"]["status"] == "valid"
    certificate = client.get(body["certificate"]["url"])
    assert certificate.status_code == 200
    assert certificate.get_json()["status"] == "valid"
    assert [c["title"] for c in body["commitments"]] == ["Achats locaux"]
    assert body["commitments"][0]["url"].endswith(
        f"/organisations/{organisation.slug}#engagement-{world['commitment'].id}")
    assert client.get(body["commitments_url"]).get_json()["items"][0]["title"] == "Achats locaux"
    assert client.get(body["url"]).status_code == 200


def test_pending_and_rejected_look_like_unknown(client, world):
    """(A suspended signatory answers 410: tests/public/test_former_signatories.py.)"""
    unknown = client.get("/api/v1/signatories/nexiste-pas")
    assert unknown.status_code == 404
    for key in ("pending", "rejected"):
        response = client.get(f"/api/v1/signatories/{world[key].slug}")
        assert response.status_code == 404
        assert response.get_data() == unknown.get_data()
        assert response.headers["Content-Type"] == unknown.headers["Content-Type"]


def test_commitments_list_has_link_headers(client, world):
    response = client.get("/api/v1/commitments?per_page=1")
    assert response.status_code == 200
    links = _links(response)
    assert set(links) == {"first"}  # a single commitment: no next, last unknown
    assert parse_qs(urlsplit(links["first"]).query) == {"per_page": ["1"], "page": ["1"]}


@pytest.mark.parametrize("path", ["/api/v1/signatories", "/api/v1/signatories/x",
                                  "/api/v1/commitments", "/api/v1/charter",
                                  "/api/v1/certificates/CFA-2026-000001", "/api/v1/openapi.json"])
def test_read_only_cors(client, path):
    got = client.get(path, headers={"Origin": "https://exemple.fr"})
    assert got.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in got.headers
    head = client.head(path, headers={"Origin": "https://exemple.fr"})
    assert head.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(path, headers={
        "Origin": "https://exemple.fr", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "accept"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Accept" in preflight.headers["Access-Control-Allow-Headers"]
    assert "Link" in preflight.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in preflight.headers
    for method in ("post", "put", "patch", "delete"):
        refused = getattr(client, method)(path, json={}, headers={"Origin": "https://x.fr"})
        assert refused.status_code == 405, (method, path)
        assert refused.get_json()["error"]["code"] == 405
        assert "Access-Control-Allow-Origin" not in refused.headers


def test_cors_stays_on_the_api(client):
    response = client.get("/charte", headers={"Origin": "https://exemple.fr"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_openapi_spec_is_valid_and_documents_the_signatories(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    validate(spec)
    assert {"/api/v1/signatories", "/api/v1/signatories/{slug}", "/api/v1/commitments",
            "/api/v1/charter", "/api/v1/certificates/{number}"} <= set(spec["paths"])
    listing = spec["paths"]["/api/v1/signatories"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert names == {"q", "type", "region", "departement", "odd", "categorie", "depuis",
                     "jusqu_a", "bilan", "tri", "page", "per_page"}
    assert all(p.get("description") for p in listing["parameters"])
    assert "Link" in listing["responses"]["200"]["headers"]
    assert {"200", "422", "default"} <= set(listing["responses"])
    assert "404" in spec["paths"]["/api/v1/signatories/{slug}"]["get"]["responses"]
    item = spec["components"]["schemas"]["Signatory"]["properties"]
    assert set(item) == {*queries.ROW_KEYS, "url", *REPORT_KEYS}
    assert item["report_status"]["enum"] == ["a-jour", "attendu", "en-retard", "non-communicant"]
    for response in spec["components"]["responses"].values():
        assert "response" not in response["description"].lower()  # French, not the default
