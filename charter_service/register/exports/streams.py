"""The register's selection as CSV and JSON, streamed row by row in constant memory."""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime

from ...db_types import iso_utc
from .. import queries

LICENCE = {"name": "Licence Ouverte / Etalab 2.0",
           "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}
# Spreadsheets run a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel, which most French spreadsheet users open CSV files with, reads a UTF-8 file without
# a byte order mark as Windows-1252 and garbles every accent; LibreOffice, pandas, R and
# csvkit all skip the mark.
BOM = "\ufeff"


def neutralise(value) -> str:
    """A cell as text, prefixed with an apostrophe when a spreadsheet would run it."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _json_value(value):
    if isinstance(value, date):
        return value.isoformat()
    return value.value if hasattr(value, "value") else value


def csv_rows(rows: Iterable[dict], keys: tuple[str, ...] = queries.ROW_KEYS) -> Iterator[str]:
    """Header then one CSV line per row, each written through a small buffer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield BOM + line(keys)
    for row in rows:
        yield line(neutralise(_json_value(row[key])) for key in keys)


def json_document(rows: Iterable[dict], selection, extracted_at: datetime | None = None,
                  keys: tuple[str, ...] = queries.ROW_KEYS) -> Iterator[str]:
    """One JSON object, items written one by one; `total` (named as in the API) comes last,
    after the items it counts, so it matches them even if the register changes meanwhile."""
    moment = iso_utc(extracted_at or datetime.now(UTC))
    head = {"licence": LICENCE, "extracted_at": moment,
            "filters": selection.query_args()}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "items": ['
    count = 0
    for row in rows:
        item = {key: _json_value(row[key]) for key in keys}
        yield ("," if count else "") + "\n" + json.dumps(item, ensure_ascii=False)
        count += 1
    yield f'\n], "total": {count}}}\n'


def csv_lines(selection: "queries.Selection") -> Iterator[str]:
    return csv_rows(queries.iter_rows(selection))


def json_chunks(selection: "queries.Selection") -> Iterator[str]:
    return json_document(queries.iter_rows(selection), selection)
