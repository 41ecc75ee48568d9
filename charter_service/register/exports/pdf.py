"""The register as a PDF, rendered in chunks of pages and joined, so that 10,000 rows stay fast
and small in memory (one WeasyPrint document of 10,000 rows takes about a minute and 1 GiB).

Every page holds a fixed number of text lines; a row takes as many lines as its longest value
needs (pdf_lines.py wraps them), and never breaks across pages. The rows are laid out in lines
before rendering, so the page count is known and each chunk starts its page counter where the
previous one ended.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO

from flask_babel import force_locale

from ...dates import numeric_date, written_datetime
from ...organisations.models import OrganisationKind
from ...rendering import jinja, layout, lock
from .. import queries
from . import pdf_lines
from .streams import LICENCE

FIRST_PAGE_LINES = 26
PAGE_LINES = 33
CHUNK_PAGES = 30
# (label, row key, width in cells, right-aligned); register.css sets the monospaced font.
COLUMNS = (("Nom", "name", 48, False), ("Type", "kind", 17, False), ("SIREN", "siren", 9, False),
           ("Commune", "commune", 26, False), ("Dép", "departement_code", 3, False),
           ("Rég", "region_code", 3, False), ("Version", "charter_version", 7, True),
           ("Signée le", "signed_on", 10, False), ("Attestation", "certificate_number", 15, False),
           ("Engagements", "public_commitments", 11, True))
_WIDTHS = [width for _label, _key, width, _right in COLUMNS]
_RIGHTS = [right for _label, _key, _width, right in COLUMNS]
TITLE = "Registre des signataires de la Charte du faire alliance"

Progress = Callable[[int, int], None]


class SelectionChanged(RuntimeError):
    """The register changed while the PDF was being rendered: its page count no longer holds."""


@dataclass
class Page:
    lines: list[str]
    rows: int = 0


def pages_of(rows: Iterable[list[str]]) -> list[Page]:
    """Rows (each a list of lines) by page: FIRST_PAGE_LINES lines on page 1 (even if it has no
    row), PAGE_LINES after; a row that does not fit in what is left of a page starts the next."""
    pages, room = [Page([])], FIRST_PAGE_LINES
    for row in rows:
        if len(row) > room and pages[-1].rows:
            pages.append(Page([]))
            room = PAGE_LINES
        pages[-1].lines.extend(row)
        pages[-1].rows += 1
        room -= len(row)
    return pages


def _columns_line() -> str:
    return pdf_lines.lines([label for label, *_ in COLUMNS], _WIDTHS, _RIGHTS)[0]


def row_lines(row: dict) -> list[str]:
    """One row as lines of fixed-width columns, each value in full."""
    values = {**row,
              "kind": str(OrganisationKind(row["kind"]).label),
              "signed_on": numeric_date(row["signed_on"]) if row["signed_on"] else ""}
    return pdf_lines.lines([str(values[key]) if values[key] is not None else ""
                            for _label, key, _width, _right in COLUMNS], _WIDTHS, _RIGHTS)


def _render_chunk(pages: list[Page], *, first_page: int, total_pages: int,
                  header: dict | None) -> bytes:
    html = jinja().get_template("register.html").render(
        title=TITLE, pages=[page.lines for page in pages], first_page=first_page,
        total_pages=total_pages, header=header, columns=_columns_line())
    with lock:  # held one chunk at a time
        return layout(html, ("register.css",)).write_pdf()


def header_data(selection: "queries.Selection", count: int, *, now: datetime,
                source_url: str) -> dict:
    with force_locale("fr"):
        filters = [(str(label), str(value)) for label, value in selection.describe()]
    return {"extracted_at": f"{written_datetime(now, 'fr')} (heure de Paris)",
            "count": f"{count:,}".replace(",", "\u202f"), "filters": filters,
            "licence_url": LICENCE["url"], "source_url": source_url}


def render_rows(rows: Iterable[dict], total: int, header: dict,
                progress: Progress | None = None) -> bytes:
    """`total` rows (exactly) as one PDF; raises SelectionChanged when the rows disagree."""
    from pypdf import PdfWriter

    pages = pages_of(row_lines(row) for row in rows)
    if sum(page.rows for page in pages) != total:
        raise SelectionChanged
    writer = PdfWriter()
    done = 0
    with force_locale("fr"):
        for first in range(0, len(pages), CHUNK_PAGES):
            chunk = pages[first:first + CHUNK_PAGES]
            pdf = _render_chunk(chunk, first_page=first + 1, total_pages=len(pages),
                                header=header if first == 0 else None)
            writer.append(BytesIO(pdf))
            done += sum(page.rows for page in chunk)
            if progress:
                progress(done, total)
    writer.add_metadata({"/Title": TITLE, "/Producer": "charter-service"})
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def render_selection(selection: "queries.Selection", *, source_url: str,
                     progress: Progress | None = None, attempts: int = 3) -> bytes:
    """The selection as a PDF; rendered again if the register changes during the rendering."""
    for attempt in range(attempts):
        total = queries.count(selection)
        header = header_data(selection, total, now=datetime.now(UTC), source_url=source_url)
        try:
            return render_rows(queries.iter_rows(selection), total, header, progress)
        except SelectionChanged:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")
