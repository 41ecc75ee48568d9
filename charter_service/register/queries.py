"""Selections of the register: filtering, full-text search, keyset pages, counts per filter
value. The page, the exports, the API and the CLI all go through here (their arguments become
a Selection in selection.py).

Pages are read by keyset: the first key of every page of a selection is computed once per
register generation (one pass over an index) and kept; page N then starts at its key, so a
deep page costs the same as the first, never an OFFSET scan.
"""

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, func, select, tuple_

from ..commitments.models import Category
from ..commitments.progress import local_today
from ..commitments.reporting import ReportStatus, status_condition
from ..commitments.sdgs import sdg_label
from ..extensions import db
from ..organisations import geo
from ..organisations.models import OrganisationKind
from .readmodel.cache import cached, cached_item
from .readmodel.models import RegisterEntry, category_bit, sdg_bit
from .readmodel.search import matching

ROW_KEYS = ("name", "slug", "kind", "siren", "commune", "departement_code", "region_code",
            "charter_version", "signed_on", "certificate_number", "public_commitments")
_ROW_COLUMNS = [getattr(RegisterEntry, key) for key in ROW_KEYS]


@dataclass(frozen=True)
class Selection:
    q: str = ""
    kind: OrganisationKind | None = None
    region: str | None = None
    departement: str | None = None
    sdg: int | None = None
    category: Category | None = None
    since: date | None = None
    until: date | None = None
    report: ReportStatus | None = None
    sort: str = "nom"

    def query_args(self) -> dict[str, str]:
        """The URL arguments of this selection (French names), defaults left out."""
        values = {
            "q": self.q, "type": self.kind.value if self.kind else "",
            "region": self.region or "", "departement": self.departement or "",
            "odd": str(self.sdg) if self.sdg else "",
            "categorie": self.category.value if self.category else "",
            "depuis": self.since.isoformat() if self.since else "",
            "jusqu_a": self.until.isoformat() if self.until else "",
            "bilan": self.report.value if self.report else "",
            "tri": "" if self.sort == "nom" else self.sort,
        }
        return {key: value for key, value in values.items() if value}

    def describe(self) -> list[tuple[str, str]]:
        """(label, value) pairs for people: the PDF header, the page's summary."""
        parts: list[tuple[str, str]] = []
        if self.q:
            parts.append((str(_l("Recherche")), self.q))
        if self.kind:
            parts.append((str(_l("Type")), str(self.kind.label)))
        if self.region:
            parts.append((str(_l("Région")), geo.region_name(self.region)))
        if self.departement:
            parts.append((str(_l("Département")),
                          f"{self.departement} – {geo.departement_name(self.departement)}"))
        if self.sdg:
            parts.append((str(_l("ODD")), sdg_label(self.sdg)))
        if self.category:
            parts.append((str(_l("Catégorie de partenariat")),
                          str(self.category.label)))
        if self.since:
            parts.append((str(_l("Signé depuis le")), self.since.isoformat()))
        if self.until:
            parts.append((str(_l("Signé jusqu’au")), self.until.isoformat()))
        if self.report:
            parts.append((str(_l("Bilan")), str(self.report.label)))
        parts.append((str(_l("Tri")), str(_l("par date de signature, la plus récente d’abord"))
                      if self.sort == "date" else str(_l("par nom"))))
        return parts

    @property
    def is_filtered(self) -> bool:
        return bool(set(self.query_args()) - {"tri"})


def conditions(selection: Selection, in_order: bool = False) -> list:
    conditions = []
    if selection.q:
        condition = matching(selection.q, db.engine.dialect.name, in_order)
        # A search with no letter or digit in it (only punctuation, or a script that does not
        # fold to Latin letters) matches nothing, rather than everything.
        conditions.append(false() if condition is None else condition)
    if selection.kind:
        conditions.append(RegisterEntry.kind == selection.kind)
    if selection.region:
        conditions.append(RegisterEntry.region_code == selection.region)
    if selection.departement:
        conditions.append(RegisterEntry.departement_code == selection.departement)
    if selection.sdg:
        bit = sdg_bit(selection.sdg)
        conditions.append(RegisterEntry.sdg_mask.op("&")(bit) == bit)
    if selection.category:
        bit = category_bit(selection.category)
        conditions.append(RegisterEntry.category_mask.op("&")(bit) == bit)
    if selection.since:
        conditions.append(RegisterEntry.signed_on >= selection.since)
    if selection.until:
        conditions.append(RegisterEntry.signed_on <= selection.until)
    if selection.report:
        # Relative to today: every cache of the register is keyed by the day (readmodel/cache).
        conditions.append(status_condition(RegisterEntry.report_due_on, selection.report,
                                           local_today()))
    return conditions


def _order(selection: Selection):
    if selection.sort == "date":
        return (RegisterEntry.signed_on.desc(), RegisterEntry.organisation_id.desc())
    return (RegisterEntry.sort_name, RegisterEntry.organisation_id)


def _key_columns(selection: Selection):
    if selection.sort == "date":
        return (RegisterEntry.signed_on, RegisterEntry.organisation_id)
    return (RegisterEntry.sort_name, RegisterEntry.organisation_id)


def _from(selection: Selection, key):
    """Rows at or after `key` in the selection's order (None: from the start)."""
    if key is None:
        return []
    columns = tuple_(*_key_columns(selection))
    bound = tuple_(*key)
    return [columns <= bound] if selection.sort == "date" else [columns >= bound]


# -- counting, pages, rows ---------------------------------------------------------------------

def count(selection: Selection) -> int:
    unordered = replace(selection, sort="nom")  # both orders count the same rows

    def compute():
        return db.session.scalar(select(func.count()).select_from(RegisterEntry)
                                 .where(*conditions(unordered))) or 0
    return cached("count", unordered, compute=compute)


def remember_count(selection: Selection, total: int) -> None:
    """Keep a count computed elsewhere (the filter form's counts add up to it)."""
    cached("count", replace(selection, sort="nom"), compute=lambda: total)


def _page_starts(selection: Selection, per_page: int) -> list[tuple]:
    """The key of the first row of every page, from one pass over the selection's index."""
    keys = _key_columns(selection)
    numbered = (select(*keys, func.row_number().over(order_by=_order(selection))
                       .label("position"))
                .where(*conditions(selection)).subquery())
    rows = db.session.execute(
        select(numbered.c[0], numbered.c[1])
        .where((numbered.c.position - 1) % per_page == 0)
        .order_by(numbered.c.position))
    return [tuple(row) for row in rows]


@dataclass
class Page:
    rows: list[dict]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def past_the_end(self) -> bool:
        return self.page > self.pages


_PAGE_KEYS = (*ROW_KEYS, "organisation_id", "report_due_on")


def _rows(statement) -> list[dict]:
    return [dict(zip(_PAGE_KEYS, row, strict=True)) for row in db.session.execute(statement)]


def page(selection: Selection, number: int, per_page: int) -> Page:
    total = count(selection)
    result = Page([], total, number, per_page)
    if number < 1 or total == 0 or result.past_the_end:
        return result
    start = None
    if number > 1:
        start = cached_item("starts", selection, per_page, index=number - 1,
                            compute=lambda: _page_starts(selection, per_page))
    result.rows = _rows(select(*_ROW_COLUMNS, RegisterEntry.organisation_id,
                               RegisterEntry.report_due_on)
                        .where(*conditions(selection, _in_order(selection, total, per_page)),
                               *_from(selection, start))
                        .order_by(*_order(selection)).limit(per_page))
    return result


def _in_order(selection: Selection, total: int, per_page: int) -> bool:
    """Walk the order's index when a page is met within fewer rows than the search matches:
    the rows of a page of a selection holding `total` of the register's N come within
    per_page·N/total rows, against `total` rows fetched and sorted the other way."""
    return bool(selection.q) and total * total > per_page * count(Selection())


def iter_rows(selection: Selection, batch: int = 1000) -> Iterator[dict]:
    """Every row of the selection in order, read in keyset batches (constant memory)."""
    keys = _key_columns(selection)
    after = None
    while True:
        statement = select(*_ROW_COLUMNS, *keys).where(*conditions(selection))
        if after is not None:
            bound = tuple_(*after)
            statement = statement.where(tuple_(*keys) < bound if selection.sort == "date"
                                        else tuple_(*keys) > bound)
        rows = db.session.execute(statement.order_by(*_order(selection)).limit(batch)).all()
        for row in rows:
            yield dict(zip(ROW_KEYS, row[:len(ROW_KEYS)], strict=True))
        if len(rows) < batch:
            return
        after = tuple(rows[-1][len(ROW_KEYS):])
