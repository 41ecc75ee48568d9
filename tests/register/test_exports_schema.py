"""Every export of the register validates against the Table Schema it publishes, checked by
frictionless (the reference implementation), with the values that stress it most: 200-character
names that a spreadsheet would run as formulas, a commune of the longest length, accents, CJK,
and no SIREN nor attestation number."""

import json
from datetime import date

import frictionless
import pytest

from charter_service.register import queries

from .register_world import World

FORMULA_NAMES = [start + ("Ab" * 100)[:199] for start in "-=+@"]
EDGE_NAMES = FORMULA_NAMES + ["Élan Solidaire, « Lyon » — l’Haÿ-les-Roses", "中法友好协会",
                              "Atelier \"Breton\"; ligne"]
LONG_COMMUNE = "=" + ("Saint-Wwwwwwww-de-Mmmmmmmm " * 5)[:119]


@pytest.fixture
def edge_rows(make):
    world = World(make)
    for number, name in enumerate(EDGE_NAMES):
        world.signatory(name, commune=LONG_COMMUNE if number == 1 else "Lyon",
                        approved_on=date(2026, 3, 1 + number))
    world.signatory("Commune avec attestation", commune="-Lyon")  # SIREN empty, number set
    assert len(list(queries.iter_rows(queries.Selection()))) == len(EDGE_NAMES) + 1


@pytest.fixture
def schema(client) -> frictionless.Schema:
    return frictionless.Schema.from_descriptor(client.get("/registre/schema.json").get_json())


def _errors(resource: frictionless.Resource) -> list[str]:
    report = resource.validate()
    return [error.message for task in report.tasks for error in task.errors] + [
        error.message for error in report.errors]


def test_the_csv_export_validates(client, edge_rows, schema, tmp_path):
    body = client.get("/registre.csv").get_data()
    (tmp_path / "registre.csv").write_bytes(body)
    resource = frictionless.Resource(
        path="registre.csv", basepath=str(tmp_path), schema=schema, encoding="utf-8-sig",
        control=frictionless.formats.CsvControl(delimiter=","))
    assert _errors(resource) == []
    names = [row["name"] for row in resource.read_rows()]
    assert all("'" + name in names for name in FORMULA_NAMES)
    assert max(map(len, names)) == 201


def test_the_json_export_validates(client, edge_rows, schema):
    items = json.loads(client.get("/registre.json").get_data(as_text=True))["items"]
    assert len(items) == len(EDGE_NAMES) + 1
    assert set(FORMULA_NAMES) <= {item["name"] for item in items}
    assert _errors(frictionless.Resource(data=items, schema=schema)) == []


def test_the_api_validates(client, edge_rows, schema):
    items = client.get("/api/v1/signatories?per_page=100").get_json()["items"]
    assert len(items) == len(EDGE_NAMES) + 1
    rows = [{field.name: item[field.name] for field in schema.fields} for item in items]
    assert _errors(frictionless.Resource(data=rows, schema=schema)) == []


def test_the_schema_says_how_the_csv_is_protected(schema):
    for name in ("name", "commune"):
        field = schema.get_field(name)
        assert "apostrophe" in field.description and "tableur" in field.description
    assert schema.get_field("name").constraints["maxLength"] == 201
    assert schema.get_field("commune").constraints["maxLength"] == 121


def test_the_open_data_page_explains_the_apostrophe(client):
    page = client.get("/registre/donnees").get_data(as_text=True)
    assert "apostrophe" in page and "formule" in page
