"""The register as a PDF, rendered in chunks of pages and joined, so that 10,000 rows stay fast
and small in memory (one WeasyPrint document of 10,000 rows takes about a minute and 1 GiB).

Every page holds a fixed number of one-line rows (long values are clipped), so the page count
is known before rendering and each chunk starts its page counter where the previous one ended.
"""

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from io import BytesIO
from itertools import islice

from flask_babel import force_locale

from ..certificates import render
from ..db_types import PARIS
from ..organisations.labels import KIND_LABELS
from ..organisations.models import OrganisationKind
from . import queries
from .exports import LICENCE

FIRST_PAGE_ROWS = 26
PAGE_ROWS = 33
CHUNK_PAGES = 30
# (label, row key, width in characters, right-aligned); register.css sets the monospaced font.
COLUMNS = (("Nom", "name", 48, False), ("Type", "kind", 12, False), ("SIREN", "siren", 9, False),
           ("Commune", "commune", 26, False), ("Dép", "departement_code", 3, False),
           ("Rég", "region_code", 3, False), ("Version", "charter_version", 7, True),
           ("Signée le", "signed_on", 10, False), ("Attestation", "certificate_number", 15, False),
           ("Engagements", "public_commitments", 11, True))
SEPARATOR = "  "
TITLE = "Registre des signataires de la Charte du faire alliance"

Progress = Callable[[int, int], None]


class SelectionChanged(RuntimeError):
    """The register changed while the PDF was being rendered: its page count no longer holds."""


@dataclass(frozen=True)
class Layout:
    rows: int

    @property
    def pages(self) -> int:
        if self.rows <= FIRST_PAGE_ROWS:
            return 1
        return 1 + math.ceil((self.rows - FIRST_PAGE_ROWS) / PAGE_ROWS)


def pages_of(rows: Iterable) -> Iterator[list]:
    """Rows grouped by page: FIRST_PAGE_ROWS on page 1 (even if empty), PAGE_ROWS after."""
    rows = iter(rows)
    yield list(islice(rows, FIRST_PAGE_ROWS))
    while page := list(islice(rows, PAGE_ROWS)):
        yield page


@cache
def _stylesheet():
    from weasyprint import CSS

    renderer = render._renderer()
    return CSS(filename=str(render.TEMPLATES_DIR / "register.css"),
               base_url=render.TEMPLATES_DIR.as_uri() + "/",
               url_fetcher=renderer.fetcher, font_config=renderer.font_config)


def _cell(value: str, width: int, right: bool) -> str:
    value = " ".join(value.split())  # no line break or tab may reach the preformatted block
    if len(value) > width:
        value = value[:width - 1] + "…"
    return value.rjust(width) if right else value.ljust(width)


def _columns_line() -> str:
    return SEPARATOR.join(_cell(label, width, right)
                          for label, _key, width, right in COLUMNS).rstrip()


def row_line(row: dict) -> str:
    """One row as a line of fixed-width columns, long values cut with an ellipsis."""
    values = {**row,
              "kind": str(KIND_LABELS.get(OrganisationKind(row["kind"]), row["kind"])),
              "signed_on": row["signed_on"].strftime("%d/%m/%Y") if row["signed_on"] else ""}
    return SEPARATOR.join(_cell(str(values[key] if values[key] is not None else ""), width, right)
                          for _label, key, width, right in COLUMNS).rstrip()


def _render_chunk(pages: list[list[str]], *, first_page: int, total_pages: int,
                  header: dict | None) -> bytes:
    from weasyprint import HTML

    html = render._jinja().get_template("register.html").render(
        title=TITLE, pages=pages, first_page=first_page, total_pages=total_pages, header=header,
        columns=_columns_line())
    renderer = render._renderer()
    with render._lock:  # WeasyPrint is not thread-safe; the lock is held one chunk at a time
        document = HTML(string=html, base_url=render.TEMPLATES_DIR.as_uri() + "/",
                        url_fetcher=renderer.fetcher).render(
            stylesheets=[_stylesheet()], font_config=renderer.font_config)
        return document.write_pdf()


def header_data(selection: "queries.Selection", count: int, *, now: datetime,
                source_url: str) -> dict:
    with force_locale("fr"):
        filters = [(str(label), str(value)) for label, value in selection.describe()]
    return {"extracted_at": now.astimezone(PARIS).strftime("%d/%m/%Y à %H:%M (heure de Paris)"),
            "count": f"{count:,}".replace(",", "\u202f"), "filters": filters,
            "licence_url": LICENCE["url"], "source_url": source_url}


def render_rows(rows: Iterable[dict], total: int, header: dict,
                progress: Progress | None = None) -> bytes:
    """`total` rows (exactly) as one PDF; raises SelectionChanged when the rows disagree."""
    from pypdf import PdfWriter

    total_pages = Layout(total).pages
    writer = PdfWriter()
    done, page_number = 0, 1
    pages = pages_of(row_line(row) for row in rows)
    with force_locale("fr"):
        while chunk := list(islice(pages, CHUNK_PAGES)):
            if page_number + len(chunk) - 1 > total_pages:
                raise SelectionChanged
            pdf = _render_chunk(chunk, first_page=page_number, total_pages=total_pages,
                                header=header if page_number == 1 else None)
            writer.append(BytesIO(pdf))
            page_number += len(chunk)
            done += sum(len(page) for page in chunk)
            if progress:
                progress(done, total)
    if done != total:
        raise SelectionChanged
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
