"""The open-data page and the register's Table Schema, checked against the rows themselves."""

import html
import json
import re
from html.parser import HTMLParser

import jsonschema

from charter_service.organisations import geo
from charter_service.register import queries
from charter_service.register.exports.opendata_views import SCHEMA_PATH

from . import signatory_world

TABLE_SCHEMA_TYPES = ["string", "number", "integer", "boolean", "object", "array", "date",
                      "time", "datetime", "year", "yearmonth", "duration", "geopoint",
                      "geojson", "any"]
# The required structure of https://specs.frictionlessdata.io/table-schema/ (fields, field
# descriptors, constraints, primaryKey, missingValues).
TABLE_SCHEMA_META = {
    "type": "object",
    "required": ["fields"],
    "properties": {
        "fields": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["name"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "title": {"type": "string"}, "description": {"type": "string"},
                "type": {"enum": TABLE_SCHEMA_TYPES}, "format": {"type": "string"},
                "example": {},
                "constraints": {"type": "object", "additionalProperties": False, "properties": {
                    "required": {"type": "boolean"}, "unique": {"type": "boolean"},
                    "minLength": {"type": "integer"}, "maxLength": {"type": "integer"},
                    "minimum": {}, "maximum": {}, "pattern": {"type": "string"},
                    "enum": {"type": "array", "minItems": 1, "uniqueItems": True}}},
            }}},
        "primaryKey": {"oneOf": [{"type": "string"},
                                 {"type": "array", "items": {"type": "string"}}]},
        "missingValues": {"type": "array", "items": {"type": "string"}},
        "licenses": {"type": "array", "minItems": 1, "items": {
            "type": "object", "anyOf": [{"required": ["name"]}, {"required": ["path"]}]}},
    },
}


def _schema(client) -> dict:
    response = client.get("/registre/schema.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def test_table_schema_is_valid(client):
    schema = _schema(client)
    assert schema == json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validate(schema, TABLE_SCHEMA_META)
    names = [field["name"] for field in schema["fields"]]
    assert len(set(names)) == len(names)
    assert schema["primaryKey"] in names
    for field in schema["fields"]:
        assert field["title"] and field["description"] and "example" in field
        if "pattern" in field.get("constraints", {}):
            re.compile(field["constraints"]["pattern"])
    assert schema["licenses"][0]["path"] == \
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


def test_geographic_codes_follow_the_insee_file(client):
    fields = {field["name"]: field for field in _schema(client)["fields"]}
    assert fields["departement_code"]["constraints"]["enum"] == list(geo.departements())
    assert fields["region_code"]["constraints"]["enum"] == list(geo.regions())


def _cell(value) -> str:
    """A value as it appears in the CSV."""
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _check(field: dict, cell: str) -> None:
    constraints = field.get("constraints", {})
    if cell == "":
        assert not constraints.get("required"), field["name"]
        return
    if field["type"] == "integer":
        assert re.fullmatch(r"-?[0-9]+", cell) and int(cell) >= constraints.get("minimum", 0)
    if field["type"] == "date":
        assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", cell)
    if "pattern" in constraints:
        assert re.fullmatch(constraints["pattern"], cell), (field["name"], cell)
    if "enum" in constraints:
        assert cell in constraints["enum"], (field["name"], cell)
    if "maxLength" in constraints:
        assert len(cell) <= constraints["maxLength"]


def test_field_names_are_the_row_keys_and_rows_satisfy_the_schema(client, make):
    signatory_world.build(make)
    schema = _schema(client)
    names = [field["name"] for field in schema["fields"]]
    assert names == list(queries.ROW_KEYS)
    rows = list(queries.iter_rows(queries.Selection()))
    assert len(rows) == 7
    for row in rows:
        assert list(row) == names
        for field in schema["fields"]:
            _check(field, _cell(row[field["name"]]))
    slugs = [row["slug"] for row in rows]
    assert len(set(slugs)) == len(slugs)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.header_cells = [], []
        self._in_th = self._after_wbr = False

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href"))
        self._in_th = tag == "th" or (self._in_th and tag in ("code", "br", "small", "wbr"))
        self._after_wbr = tag == "wbr"  # a field name goes on after its line-break opportunity

    def handle_endtag(self, tag):
        if tag == "th":
            self._in_th = False

    def handle_data(self, data):
        if self._in_th and data.strip():
            if self._after_wbr:
                self.header_cells[-1] += data.strip()
            else:
                self.header_cells.append(data.strip())
            self._after_wbr = False


def test_open_data_page_documents_everything(client):
    response = client.get("/registre/donnees")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    parser = _Links()
    parser.feed(page)
    for href in ("https://www.etalab.gouv.fr/licence-ouverte-open-licence/", "/registre.csv",
                 "/registre.json", "/registre.pdf", "/registre/schema.json",
                 "/registre/changements.atom", "/api/v1/openapi.json"):
        assert href in parser.hrefs, href
    for field in _schema(client)["fields"]:
        assert field["name"] in parser.header_cells
        assert field["description"] in html.unescape(page)
    assert "Licence Ouverte" in page and "jamais réattribué" in page
    for href in ("/registre/schema.json", "/registre/changements.atom", "/api/v1/openapi.json"):
        assert client.get(href).status_code == 200, href
