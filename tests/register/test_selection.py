"""One schema validates the register's selection for every edge: the page, the exports, the
API (and its OpenAPI document) and the command line say the same thing about the same input."""

import html
import re

from openapi_spec_validator import validate

from charter_service.organisations import geo

BAD = {"type": "licorne", "odd": "18", "jusqu_a": "hier", "tri": "taille"}
MESSAGES = ["Type d’organisation inconnu.",
            "L’ODD doit être un nombre entier entre 1 et 17.",
            "Date « jusqu’à » invalide : écrivez-la AAAA-MM-JJ.",
            "Tri inconnu : « nom » ou « date »."]


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_same_bad_selection_gets_the_same_french_messages_on_every_edge(app, client,
                                                                            tmp_path):
    page = _text(client.get("/registre", query_string=BAD))
    alert = re.search(r'role="alert">(.*?)</div>', page, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", alert) == MESSAGES

    csv = client.get("/registre.csv", query_string=BAD)
    assert csv.status_code == 400
    assert " ".join(MESSAGES) in _text(csv)

    api = client.get("/api/v1/signatories", query_string=BAD)
    assert api.status_code == 422
    error = api.get_json()["error"]
    assert error["message"] == MESSAGES[0]
    assert error["fields"] == {"query": {"type": [MESSAGES[0]], "odd": [MESSAGES[1]],
                                         "jusqu_a": [MESSAGES[2]], "tri": [MESSAGES[3]]}}

    options = [part for key, value in BAD.items() for part in (f"--{key.replace('_', '-')}",
                                                                 value)]
    target = tmp_path / "registre.csv"
    result = app.test_cli_runner().invoke(args=["register", "export", "--format", "csv",
                                                "--output", str(target), *options])
    assert result.exit_code == 2
    assert " ".join(MESSAGES) in result.output
    assert not target.exists()


def test_dates_out_of_order_are_one_message_after_the_dates(client):
    query = {"depuis": "2026-02-01", "jusqu_a": "2026-01-01", "tri": "prix"}
    error = client.get("/api/v1/signatories", query_string=query).get_json()["error"]
    assert error["message"] == "La date « depuis » est postérieure à la date « jusqu’à »."
    page = _text(client.get("/registre", query_string=query))
    assert re.findall(r"<li>(.*?)</li>", page.split('role="alert">')[1].split("</div>")[0]) == [
        "La date « depuis » est postérieure à la date « jusqu’à ».",
        "Tri inconnu : « nom » ou « date »."]


def test_the_openapi_document_lists_every_selection_argument_with_its_values(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    validate(spec)
    parameters = {p["name"]: p for p in spec["paths"]["/api/v1/signatories"]["get"]
                  ["parameters"]}
    assert list(parameters) == ["q", "type", "region", "departement", "odd", "categorie",
                                "depuis", "jusqu_a", "bilan", "tri", "page", "per_page"]
    assert all(p["in"] == "query" and not p.get("required") for p in parameters.values())
    schemas = {name: p["schema"] for name, p in parameters.items()}
    assert schemas["q"]["maxLength"] == 200
    assert schemas["type"]["enum"] == ["collectivite", "entreprise", "association",
                                       "fondation", "academique", "autre"]
    assert schemas["categorie"]["enum"] == ["pratiques_responsables", "cooperation_economique",
                                            "innovation_societale", "mecenat"]
    assert schemas["tri"] == {"type": "string", "default": "nom", "enum": ["nom", "date"]}
    assert (schemas["odd"]["minimum"], schemas["odd"]["maximum"]) == (1, 17)
    assert schemas["depuis"]["format"] == schemas["jusqu_a"]["format"] == "date"
    assert schemas["bilan"]["enum"] == ["a-jour", "attendu", "en-retard", "non-communicant"]
    assert "84" in schemas["region"]["enum"] and len(schemas["region"]["enum"]) == 18
    assert {"69", "2A", "971"} <= set(schemas["departement"]["enum"])
    assert set(schemas["departement"]["enum"]) == set(geo.departements())
