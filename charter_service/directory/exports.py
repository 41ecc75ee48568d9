"""The directory's selection as CSV and JSON, streamed in constant memory by the register's
writers, one record per public commitment: the fields of data/directory_schema.json."""

from collections.abc import Iterator

from ..register.exports.streams import _json_value, csv_rows, json_document
from . import queries

FIELDS = ("id", "title", "description", "organisation_name", "organisation_slug",
          "organisation_kind", "departement_code", "region_code", "charter_version",
          "principles", "sdgs",
          "category", "domains", "scale", "status", "start_on", "end_on", "joint", "partners",
          "latest_progress_on", "latest_progress", "sdg_targets", "budget_eur", "in_kind_eur",
          "skills_days", "volunteers", "deliverables", "target_on")


def record(row: dict) -> dict:
    """A read-model row as an export record (plain values, as the JSON writes them)."""
    return {
        "id": row["commitment_id"], "title": row["title"], "description": row["description"],
        "organisation_name": row["organisation_name"],
        "organisation_slug": row["organisation_slug"],
        "organisation_kind": _json_value(row["kind"]),
        "departement_code": row["departement_code"], "region_code": row["region_code"],
        "charter_version": row["charter_version"], "principles": row["principles"],
        "sdgs": " ".join(str(n) for n in queries.sdgs_of(row["sdg_mask"])),
        "category": _json_value(row["category"]),
        "domains": " ".join(d.value for d in queries.domains_of(row["domain_mask"])),
        "scale": _json_value(row["scale"]), "status": _json_value(row["status"]),
        "start_on": _json_value(row["start_on"]), "end_on": _json_value(row["end_on"]),
        "joint": bool(row["joint"]), "partners": row["partners"],
        "latest_progress_on": _json_value(row["progress_on"]),
        "latest_progress": row["progress_text"],
        "sdg_targets": row["sdg_targets"],
        **{column: _number(row[column])
           for column in ("budget_eur", "in_kind_eur", "skills_days", "volunteers")},
        "deliverables": row["deliverables"], "target_on": _json_value(row["target_on"]),
    }


def _number(value):
    """A total as the JSON writes it: a whole number when it is one (« 12500 », « 2.5 »)."""
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def csv_lines(selection: queries.Selection) -> Iterator[str]:
    return csv_rows(map(record, queries.iter_rows(selection)), FIELDS)


def json_chunks(selection: queries.Selection) -> Iterator[str]:
    return json_document(map(record, queries.iter_rows(selection)), selection, keys=FIELDS)
