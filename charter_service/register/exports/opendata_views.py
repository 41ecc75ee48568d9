"""Open data: the page that documents the register's data, its Table Schema and its Atom feed."""

import json
from functools import cache

from flask import Response, render_template, url_for
from flask_babel import lazy_gettext as _l

from ...links import base_url, external_url
from ...paths import PACKAGE_DIR
from ..blueprint import bp
from . import feed
from .streams import LICENCE

SCHEMA_PATH = PACKAGE_DIR / "data" / "register_schema.json"


@cache
def _schema_text() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


def load_table_schema() -> dict:
    """The register's Table Schema (https://specs.frictionlessdata.io/table-schema/)."""
    return json.loads(_schema_text())


def field_names() -> list[str]:
    return [field["name"] for field in load_table_schema()["fields"]]


def _constraints(field: dict) -> list[tuple]:
    """A field's constraints as short phrases for the page (values are data, left as is)."""
    constraints = field.get("constraints", {})
    parts = []
    if constraints.get("required"):
        parts.append((_l("obligatoire"), None))
    if constraints.get("unique"):
        parts.append((_l("unique"), None))
    if "enum" in constraints:
        parts.append((_l("valeurs"), ", ".join(constraints["enum"])))
    if "pattern" in constraints:
        parts.append((_l("motif"), constraints["pattern"]))
    if "maxLength" in constraints:
        parts.append((_l("longueur maximale"), str(constraints["maxLength"])))
    if "minimum" in constraints:
        parts.append((_l("minimum"), str(constraints["minimum"])))
    return parts


@bp.get("/registre/donnees")
def open_data():
    schema = load_table_schema()
    fields = [dict(field, constraint_list=_constraints(field)) for field in schema["fields"]]
    exports = [(fmt, url_for(f"register.export_{fmt}")) for fmt in ("csv", "json", "pdf")]
    return render_template(
        "register/open_data.html", schema=schema, fields=fields, exports=exports,
        licence_url=LICENCE["url"], openapi_url=url_for("api-docs.openapi_json"))


@bp.get("/registre/schema.json")
def table_schema():
    response = Response(_schema_text(), mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/registre/changements.atom")
def changes_feed():
    body = feed.render(feed.latest_changes(), base_url=base_url(),
                       self_url=external_url("register.changes_feed"))
    response = Response(body, content_type="application/atom+xml; charset=utf-8")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
