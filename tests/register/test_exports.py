"""/registre.csv, /registre.json, /registre.pdf: parsed back and compared with the register."""

import csv
import html
import io
import json
import re
import shutil
import subprocess
import threading
from datetime import date

import pytest

from charter_service.organisations.models import OrganisationKind as Kind
from charter_service.register import queries
from charter_service.register.exports import pdf, streams
from charter_service.register.selection import parse_selection

from ..conftest import require
from .register_world import World

FORMULAS = ["=HYPERLINK(\"http://x\")", "+33 Conseil", "-Moins", "@SUM(A1)"]


@pytest.fixture
def world(make):
    return World(make)


@pytest.fixture
def signatories(world):
    world.signatory("Élan Solidaire, « Lyon »", commune="Lyon")
    world.signatory("Commune de Saint-Étienne", kind=Kind.COLLECTIVITE, commune="Saint-Étienne",
                    departement="42", region="84")
    world.signatory("Atelier \"Breton\"", kind=Kind.ENTREPRISE, commune="Rennes",
                    departement="35", region="53", approved_on=date(2026, 3, 2))
    for name in FORMULAS:
        world.signatory(name, commune="Lyon")


def expected(selection: queries.Selection) -> list[dict]:
    return list(queries.iter_rows(selection))


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def parse_csv(response) -> list[dict]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    assert tuple(reader.fieldnames) == queries.ROW_KEYS
    return list(reader)


def pdf_text(data: bytes, *args: str) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-layout", *args, "-", "-"], input=data,
                          capture_output=True, check=True).stdout.decode()


def test_csv_is_the_selection_streamed_with_a_header_row(client, signatories):
    response = client.get("/registre.csv")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert re.fullmatch(r'attachment; filename="registre-charte-faire-alliance-\d{4}-\d\d-\d\d'
                        r'\.csv"', response.headers["Content-Disposition"])
    assert "max-age" in response.headers["Cache-Control"]
    rows = parse_csv(response)
    want = expected(queries.Selection())
    assert len(rows) == len(want) == 7
    for row, reference in zip(rows, want, strict=True):
        assert row == {key: streams.neutralise(as_text(reference[key]))
                       for key in queries.ROW_KEYS}
    names = [row["name"] for row in rows]
    assert "Élan Solidaire, « Lyon »" in names and 'Atelier "Breton"' in names
    assert rows[0]["signed_on"] == want[0]["signed_on"].isoformat()


def test_csv_neutralises_formulas(client, signatories):
    names = {row["name"] for row in parse_csv(client.get("/registre.csv"))}
    for formula in FORMULAS:
        assert formula not in names
        assert "'" + formula in names
    assert streams.neutralise("\tx") == "'\tx" and streams.neutralise("\rx") == "'\rx"
    assert streams.neutralise("Lyon") == "Lyon" and streams.neutralise(None) == ""


def test_csv_applies_the_filters(client, signatories):
    rows = parse_csv(client.get("/registre.csv?type=collectivite"))
    assert [row["name"] for row in rows] == ["Commune de Saint-Étienne"]
    rows = parse_csv(client.get("/registre.csv?region=53&tri=date"))
    assert [row["name"] for row in rows] == ['Atelier "Breton"']
    rows = parse_csv(client.get("/registre.csv?q=etienne"))
    assert [row["kind"] for row in rows] == ["collectivite"]
    assert parse_csv(client.get("/registre.csv?departement=2A")) == []


def test_json_is_the_selection_with_licence_date_and_filters(client, signatories):
    response = client.get("/registre.json?departement=69&tri=date")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].endswith('.json"')
    document = json.loads(response.get_data(as_text=True))
    assert list(document) == ["licence", "extracted_at", "filters", "items", "total"]
    assert document["licence"]["name"] == "Licence Ouverte / Etalab 2.0"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document["extracted_at"])
    assert document["filters"] == {"departement": "69", "tri": "date"}
    selection, _ = parse_selection({"departement": "69", "tri": "date"})
    want = [{key: as_text(row[key]) if key in ("kind", "signed_on") else row[key]
             for key in queries.ROW_KEYS} for row in expected(selection)]
    assert document["items"] == want
    assert document["total"] == len(want) == 5
    assert all(list(item) == list(queries.ROW_KEYS) for item in document["items"])


def test_json_matches_the_api(client, signatories):
    exported = json.loads(client.get("/registre.json?type=association").get_data(as_text=True))
    api = client.get("/api/v1/signatories?type=association&per_page=100").get_json()
    assert exported["total"] == api["total"]
    assert exported["items"] == [{key: item[key] for key in queries.ROW_KEYS}
                                 for item in api["items"]]


def test_invalid_filters_are_refused_in_french(client, signatories):
    response = client.get("/registre.csv?type=licorne")
    assert response.status_code == 400
    assert "Type d’organisation inconnu" in html.unescape(response.get_data(as_text=True))
    response = client.get("/registre.json?depuis=hier")
    assert response.status_code == 400
    assert "AAAA-MM-JJ" in response.get_json()["error"]["message"]
    assert client.get("/registre.pdf?odd=99").status_code == 400
    assert client.get("/registre.csv?q=" + "x" * 10_000).status_code == 400


def test_streaming_reads_the_database_after_the_view_returned(app, signatories):
    """As in production: the request runs without the test's app context, and the body is
    read after the view has returned, with its own database session."""
    outcome = {}

    def download():
        with app.test_client() as client:
            response = client.get("/registre.csv")
            outcome["streamed"] = response.is_streamed
            outcome["rows"] = parse_csv(response)

    thread = threading.Thread(target=download)
    thread.start()
    thread.join(30)
    assert outcome["streamed"]
    assert len(outcome["rows"]) == 7


def test_small_pdf_is_rendered_at_once_with_date_filters_licence_and_pages(client, signatories):
    response = client.get("/registre.pdf?departement=69")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].endswith('.pdf"')
    text = pdf_text(response.get_data())
    assert "Registre des signataires de la Charte du faire alliance" in text
    assert re.search(r"Extraction : \d\d?(er)? \w+ \d{4} à \d\d:\d\d \(heure de Paris\)", text)
    assert "Département : 69 – Rhône" in text
    assert "Licence Ouverte / Etalab 2.0" in text
    assert "Page 1 / 1" in text
    assert "Élan Solidaire, « Lyon »" in text
    assert "Saint-Étienne" not in text.split("Filtres")[1]
    for row in expected(parse_selection({"departement": "69"})[0]):
        assert row["name"] in text


def _row(number: int) -> dict:
    return {"name": f"Signataire {number:05d}" + (" au nom très long" * 5 if number == 3 else ""),
            "slug": f"s-{number}", "kind": "entreprise", "siren": "732829320",
            "commune": "Villefranche-sur-Saône", "departement_code": "69", "region_code": "84",
            "charter_version": 2, "signed_on": date(2026, 5, 1),
            "certificate_number": f"CFA-2026-{number:06d}", "public_commitments": number % 4}


def test_page_numbers_run_across_chunks(app, monkeypatch):
    monkeypatch.setattr(pdf, "CHUNK_PAGES", 2)
    total = pdf.FIRST_PAGE_LINES + 3 * pdf.PAGE_LINES + 3  # row 3 takes three lines
    pages = 5
    seen = []
    data = pdf.render_rows((_row(n) for n in range(total)), total,
                           pdf.header_data(queries.Selection(), total, now=_now(),
                                           source_url="http://localhost/registre"),
                           progress=lambda done, of: seen.append((done, of)))
    assert seen[-1] == (total, total) and len(seen) == 3
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    for number in range(1, pages + 1):
        text = pdf_text(data, "-f", str(number), "-l", str(number))
        assert f"Page {number} / {pages}" in text
    assert "Page 6" not in pdf_text(data)
    text = pdf_text(data)
    assert all(f"Signataire {n:05d}" in text for n in range(total))
    assert "…" not in text and "Villefranche-sur-Saône" in text
    assert text.split().count("long") == 5  # the long name, wrapped, all there


def test_rows_disagreeing_with_the_count_are_detected(app):
    header = pdf.header_data(queries.Selection(), 3, now=_now(), source_url="")
    with pytest.raises(pdf.SelectionChanged):
        pdf.render_rows((_row(n) for n in range(4)), 3, header)
    with pytest.raises(pdf.SelectionChanged):
        pdf.render_rows((_row(n) for n in range(2)), 3, header)


def _now():
    from datetime import UTC, datetime

    return datetime(2026, 11, 30, 21, 5, tzinfo=UTC)
