"""The directory's CSV and JSON exports: the selection's rows, parsed back and checked by
frictionless against the Table Schema published at /engagements/schema.json."""

import csv
import io
import json

import frictionless
import pytest

from .conftest import _three

FORMULA_TITLE = "=" + ("Ab" * 100)[:199]


@pytest.fixture
def schema(client) -> frictionless.Schema:
    response = client.get("/engagements/schema.json")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return frictionless.Schema.from_descriptor(response.get_json())


@pytest.fixture
def three(world) -> dict[str, int]:
    """The page tests' three commitments, built here with one more (not read-only)."""
    return _three(world)


@pytest.fixture
def edge(world, three):
    """A commitment whose title a spreadsheet would run, with no SDG, domain or progress."""
    holder = world.signatory("中法友好协会")
    return world.commit(holder, FORMULA_TITLE, description="Ligne 1\nLigne 2, « ; »",
                        sdgs=(), domains=(), principles=(0, 1))


def _errors(resource: frictionless.Resource) -> list[str]:
    report = resource.validate()
    return [error.message for task in report.tasks for error in task.errors] + [
        error.message for error in report.errors]


def test_the_csv_export_validates_and_reads_back(client, three, edge, schema, tmp_path):
    response = client.get("/engagements.csv?region=84")
    assert response.mimetype == "text/csv"
    assert "engagements-charte-faire-alliance-" in response.headers["Content-Disposition"]
    body = response.get_data()
    (tmp_path / "engagements.csv").write_bytes(body)
    resource = frictionless.Resource(
        path="engagements.csv", basepath=str(tmp_path), schema=schema, encoding="utf-8-sig",
        control=frictionless.formats.CsvControl(delimiter=","))
    assert _errors(resource) == []
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [row["title"] for row in rows] == [
        "Énergie solaire citoyenne", "Achats locaux", "'" + FORMULA_TITLE]
    first = rows[0]
    assert (first["principles"], first["sdgs"], first["joint"], first["partners"]) == (
        "P1", "7 13", "True", "Ville de Saint-Étienne")
    assert first["latest_progress_on"] == "2026-10-01"
    assert rows[2]["description"] == "Ligne 1\nLigne 2, « ; »"


def test_the_json_export_validates_and_names_its_filters(client, three, edge, schema):
    document = json.loads(client.get("/engagements.json?conjoint=non").get_data(as_text=True))
    assert document["filters"] == {"conjoint": "non"}
    assert document["licence"]["name"].startswith("Licence Ouverte")
    items = document["items"]
    assert [item["title"] for item in items] == [
        "Achats locaux", "Mécénat de compétences", FORMULA_TITLE]
    assert document["total"] == 3
    assert [field.name for field in schema.fields] == list(items[0])
    assert _errors(frictionless.Resource(data=items, schema=schema)) == []
    assert items[1]["partners"] == "Lycée Chateaubriand" and items[1]["joint"] is False


def test_the_exports_refuse_a_bad_selection_clearly(client, three):
    response = client.get("/engagements.json?odd=99")
    assert response.status_code == 400
    assert "ODD" in response.get_json()["error"]["message"]
    response = client.get("/engagements.csv?principe=Z9")
    assert response.status_code == 400 and "Principe inconnu" in response.get_data(as_text=True)
