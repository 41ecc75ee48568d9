"""`flask register export`: the same files as the web exports, written offline."""

import csv
import json

import pytest

from charter_service.organisations.models import OrganisationKind as Kind
from charter_service.register import queries
from charter_service.register.exports import streams

from .register_world import World
from .test_exports import pdf_text


@pytest.fixture
def signatories(make):
    world = World(make)
    world.signatory("=Formule Conseil")
    world.signatory("Ville de Mâcon", kind=Kind.COLLECTIVITE, commune="Mâcon",
                    departement="71", region="27")
    world.signatory("Association Lyonnaise")
    return world


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["register", "export", *args])
    return result


def test_csv_export_matches_the_web_export(app, client, signatories, tmp_path):
    target = tmp_path / "registre.csv"
    result = run(app, "--format", "csv", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == client.get("/registre.csv").get_data()
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["name"] for row in rows] == [
        streams.neutralise(row["name"]) for row in queries.iter_rows(queries.Selection())]
    assert "'=Formule Conseil" in {row["name"] for row in rows}


def test_json_export_applies_the_filters(app, signatories, tmp_path):
    target = tmp_path / "registre.json"
    result = run(app, "--format", "json", "--output", str(target), "--type", "collectivite")
    assert result.exit_code == 0, result.output
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["filters"] == {"type": "collectivite"}
    assert [item["name"] for item in document["items"]] == ["Ville de Mâcon"]
    assert document["total"] == 1


def test_pdf_export_reports_progress(app, signatories, tmp_path):
    target = tmp_path / "registre.pdf"
    result = run(app, "--format", "pdf", "--output", str(target), "--departement", "69")
    assert result.exit_code == 0, result.output
    assert "PDF : 2 / 2 lignes" in result.stderr
    text = pdf_text(target.read_bytes())
    assert "Association Lyonnaise" in text and "Mâcon" not in text
    assert "Page 1 / 1" in text and "Département : 69" in text


def test_bad_filters_are_refused(app, signatories, tmp_path):
    result = run(app, "--format", "csv", "--output", str(tmp_path / "x.csv"), "--odd", "42")
    assert result.exit_code == 2
    assert "ODD" in result.output
    assert not (tmp_path / "x.csv").exists()
