"""Selections of the directory: filters, full-text search, keyset pages, counts. The page and
the exports go through here (their arguments become a Selection in selection.py).

As in the register (register/queries.py), the first key of every page of a selection is
computed once per generation of the public pages and kept: page N starts at its key, so a deep
page costs the same as the first, never an OFFSET scan. Newest commitments first.
"""

from collections.abc import Iterator
from dataclasses import dataclass, fields

from sqlalchemy import false, func, select, tuple_

from ..charters.models import CharterVersion, Principle, VersionStatus
from ..commitments.models import Category, CommitmentStatus, Domain, Scale
from ..extensions import db
from ..organisations.models import OrganisationKind
from ..register.queries import Page
from ..register.readmodel.cache import cached_public
from ..register.readmodel.models import sdg_bit
from .models import DirectoryEntry, DirectoryPrinciple, domain_bit
from .search import matching

ROW_KEYS = ("commitment_id", "title", "description", "organisation_name", "organisation_slug",
            "kind", "departement_code", "region_code", "charter_version", "principles",
            "category", "scale", "status", "start_on", "end_on", "sdg_mask", "domain_mask",
            "joint", "partners", "progress_on", "progress_text", "budget_eur", "in_kind_eur",
            "skills_days", "volunteers", "deliverables", "target_on", "sdg_targets")
_ROW_COLUMNS = [getattr(DirectoryEntry, key) for key in ROW_KEYS]
_KEYS = (DirectoryEntry.start_on, DirectoryEntry.commitment_id)
_ORDER = (DirectoryEntry.start_on.desc(), DirectoryEntry.commitment_id.desc())
# Selection attribute → URL argument (French), in the form's order.
ARGUMENTS = {"q": "q", "principle": "principe", "sdg": "odd", "category": "categorie",
             "domain": "domaine", "scale": "echelle", "status": "statut", "kind": "type",
             "region": "region", "departement": "departement", "joint": "conjoint",
             "version": "version"}
# The filters that compare one column with their value.
EQUALITIES = {"category": DirectoryEntry.category, "scale": DirectoryEntry.scale,
              "status": DirectoryEntry.status, "kind": DirectoryEntry.kind,
              "region": DirectoryEntry.region_code,
              "departement": DirectoryEntry.departement_code, "joint": DirectoryEntry.joint}


@dataclass(frozen=True)
class Selection:
    q: str = ""
    principle: str | None = None
    sdg: int | None = None
    category: Category | None = None
    domain: Domain | None = None
    scale: Scale | None = None
    status: CommitmentStatus | None = None
    kind: OrganisationKind | None = None
    region: str | None = None
    departement: str | None = None
    joint: bool | None = None
    version: int | None = None

    def query_args(self) -> dict[str, str]:
        """The URL arguments of this selection, defaults left out."""
        values = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value in (None, ""):
                continue
            if isinstance(value, bool):
                value = "oui" if value else "non"
            values[ARGUMENTS[field.name]] = str(getattr(value, "value", value))
        return values

    @property
    def is_filtered(self) -> bool:
        return bool(self.query_args())


def conditions(selection: Selection) -> list:
    found = []
    if selection.q:
        condition = matching(selection.q, db.engine.dialect.name)
        # No letter or digit in the search: nothing matches, rather than everything.
        found.append(false() if condition is None else condition)
    if selection.principle:
        found.append(DirectoryEntry.commitment_id.in_(
            select(DirectoryPrinciple.commitment_id)
            .where(DirectoryPrinciple.code == selection.principle)))
    if selection.sdg:
        bit = sdg_bit(selection.sdg)
        found.append(DirectoryEntry.sdg_mask.op("&")(bit) == bit)
    if selection.domain:
        bit = domain_bit(selection.domain)
        found.append(DirectoryEntry.domain_mask.op("&")(bit) == bit)
    for name, column in EQUALITIES.items():
        value = getattr(selection, name)
        if value is not None:
            found.append(column == value)
    if selection.version:
        found.append(DirectoryEntry.charter_version == selection.version)
    return found


def count(selection: Selection) -> int:
    return cached_public("directory-count", selection, compute=lambda: db.session.scalar(
        select(func.count()).select_from(DirectoryEntry).where(*conditions(selection))) or 0)


def _page_starts(selection: Selection, per_page: int) -> list[tuple]:
    """The key of the first row of every page, from one pass over the selection's index."""
    def compute():
        numbered = (select(*_KEYS, func.row_number().over(order_by=_ORDER).label("position"))
                    .where(*conditions(selection)).subquery())
        rows = db.session.execute(
            select(numbered.c[0], numbered.c[1])
            .where((numbered.c.position - 1) % per_page == 0).order_by(numbered.c.position))
        return [tuple(row) for row in rows]
    return cached_public("directory-starts", selection, per_page, compute=compute)


def _rows(statement) -> list[dict]:
    return [dict(zip(ROW_KEYS, row[:len(ROW_KEYS)], strict=True))
            for row in db.session.execute(statement)]


def page(selection: Selection, number: int, per_page: int) -> Page:
    total = count(selection)
    result = Page([], total, number, per_page)
    if number < 1 or total == 0 or result.past_the_end:
        return result
    statement = select(*_ROW_COLUMNS).where(*conditions(selection))
    if number > 1:
        start = _page_starts(selection, per_page)[number - 1]
        statement = statement.where(tuple_(*_KEYS) <= tuple_(*start))
    result.rows = _rows(statement.order_by(*_ORDER).limit(per_page))
    return result


def iter_rows(selection: Selection, batch: int = 1000) -> Iterator[dict]:
    """Every row of the selection in order, read in keyset batches (constant memory)."""
    after: tuple | None = None
    while True:
        statement = select(*_ROW_COLUMNS).where(*conditions(selection))
        if after is not None:
            statement = statement.where(tuple_(*_KEYS) < tuple_(*after))
        rows = _rows(statement.order_by(*_ORDER).limit(batch))
        yield from rows
        if len(rows) < batch:
            return
        after = (rows[-1]["start_on"], rows[-1]["commitment_id"])


def sdgs_of(mask: int) -> list[int]:
    return [n for n in range(1, 18) if mask & sdg_bit(n)]


def domains_of(mask: int) -> list[Domain]:
    return [domain for domain in Domain if mask & domain_bit(domain)]


def principle_choices() -> dict[str, str]:
    """{code: « P1 – title »} of the principles of the charter's public versions, the newest
    version's title first, in the charter's order."""
    def compute():
        rows = db.session.execute(
            select(Principle.code, Principle.title, Principle.position)
            .join(CharterVersion, CharterVersion.id == Principle.version_id)
            .where(CharterVersion.status != VersionStatus.DRAFT)
            .order_by(CharterVersion.published_at.desc(), Principle.position)).all()
        choices: dict[str, tuple] = {}
        for code, title, position in rows:
            choices.setdefault(code, (position, f"{code} – {title}"))
        return {code: label for code, (_, label) in sorted(
            choices.items(), key=lambda item: (item[1][0], item[0]))}
    return cached_public("directory-principles", compute=compute)
