"""Counts per filter value for the register's form: for each filter, how many signatories
each of its values would give, the selection's other filters staying as they are.

Everything comes from one grouped query, `cells`: for the selection less its place filters
(type, région, département), one row per (type, région, département) with its number of
signatories, for each SDG and each category how many of them have a public commitment under
it, and how many are due to report by each of the reporting statuses' boundaries today. The
place counts, the selection's total and the SDG, category and reporting status counts are sums
of those rows in Python (see `counts` for the SDG and category filters, `report_counts` for
the status). Each result is kept per register generation and day, and shared: every type ×
région combination reads the cells of the whole register, every SDG × category combination the
cells of its SDG and of its category.
"""

from dataclasses import dataclass, replace

from flask_babel import get_locale
from sqlalchemy import case, func, select

from ..commitments.models import Category
from ..commitments.progress import local_today
from ..commitments.reporting import ReportStatus, status_case, status_ranges
from ..commitments.sdgs import SDG_NUMBERS, sdg_label
from ..extensions import db
from ..organisations import geo
from ..organisations.models import OrganisationKind
from .queries import Selection, conditions, remember_count
from .readmodel.cache import cached
from .readmodel.models import RegisterEntry, category_bit, sdg_bit

PLACE = ("kind", "region", "departement")


def _has(column, bit: int):
    """1 where the mask has the bit, else 0: `(mask >> n) & 1`, the same on both databases."""
    return column.op(">>")(bit.bit_length() - 1).op("&")(1)


# Built once: the expressions are the same for every selection, only the WHERE changes.
_CELL_COLUMNS = (
    RegisterEntry.kind, RegisterEntry.region_code, RegisterEntry.departement_code, func.count(),
    *(func.sum(_has(RegisterEntry.sdg_mask, sdg_bit(n))) for n in SDG_NUMBERS),
    *(func.sum(_has(RegisterEntry.category_mask, category_bit(c))) for c in Category))
_SDGS = slice(4, 4 + len(SDG_NUMBERS))
_CATEGORIES = slice(_SDGS.stop, _SDGS.stop + len(Category))
# The statuses in the order of their due dates, the earliest first; the cells count the
# signatories due on or before the last day of each but the last (`_due_by`).
_BY_DUE_DATE = (ReportStatus.NON_COMMUNICATING, ReportStatus.LATE, ReportStatus.DUE,
                ReportStatus.UP_TO_DATE)
_DUE_BY = slice(_CATEGORIES.stop, None)


def _due_by(today) -> list:
    """Signatories due on or before the last day of each status but « à jour », today."""
    ranges = status_ranges(today)
    return [func.sum(case((RegisterEntry.report_due_on <= ranges[status][1], 1), else_=0))
            for status in _BY_DUE_DATE[:-1]]


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


def cells(selection: Selection, *without: str) -> list[tuple]:
    """(type, région, département, signatories, *per SDG, *per category) for the selection
    less its place filters and the filters named in `without`."""
    base = replace(selection, sort="nom", **dict.fromkeys((*PLACE, *without)))

    def compute():
        return [tuple(row) for row in db.session.execute(
            select(*_CELL_COLUMNS, *_due_by(local_today())).where(*conditions(base))
            .group_by(RegisterEntry.kind, RegisterEntry.region_code,
                      RegisterEntry.departement_code))]
    # Keyed by the day too. The kind names the cells' columns: after a deployment that
    # changes them, the shared cache's cells of the release before are not read as these.
    return cached("facet-cells+due-by", base, compute=compute)


def _in_place(selection: Selection, cell: tuple) -> bool:
    return (selection.kind in (None, cell[0]) and selection.region in (None, cell[1])
            and selection.departement in (None, cell[2]))


def _place_counts(selection: Selection, rows: list[tuple], column: int) -> tuple[dict, ...]:
    """Counts by type, région and département (the cells' `column`), each with the
    selection's other filters."""
    kinds: dict = {}
    regions: dict = {}
    departements: dict = {}
    for row in rows:
        kind, region, departement, number = row[0], row[1], row[2], row[column]
        kind_ok = selection.kind in (None, kind)
        region_ok = selection.region in (None, region)
        departement_ok = selection.departement in (None, departement)
        if region_ok and departement_ok:
            kinds[kind] = kinds.get(kind, 0) + number
        if kind_ok and departement_ok:
            regions[region] = regions.get(region, 0) + number
        if kind_ok and region_ok:
            departements[departement] = departements.get(departement, 0) + number
    return kinds, regions, departements


def _sums(selection: Selection, rows: list[tuple], part: slice, keys) -> dict:
    """{key: sum of its column} over the cells in the selection's place."""
    columns = [row[part] for row in rows if _in_place(selection, row)] or [(0,) * len(keys)]
    return dict(zip(keys, map(sum, zip(*columns, strict=True)), strict=True))


def counts(selection: Selection) -> tuple[int, tuple[dict, ...], dict, dict]:
    """The selection's total, its place counts, its signatories per SDG (without its own SDG
    filter) and per category (without its own category filter).

    A category filter is read as a column of the cells without it: every category of one
    selection, and every SDG × category combination, share the cells of one SDG."""
    categories = list(Category)
    if selection.category:
        main = cells(selection, "category")
        column = _CATEGORIES.start + categories.index(selection.category)
    else:
        main, column = cells(selection), 3
    total = sum(row[column] for row in main if _in_place(selection, row))
    if selection.sdg:
        sdg_rows = cells(selection, "sdg")
    else:
        sdg_rows = cells(selection) if selection.category else main
    return (total, _place_counts(selection, main, column),
            _sums(selection, sdg_rows, _SDGS, SDG_NUMBERS),
            _sums(selection, main, _CATEGORIES, categories))


def report_counts(selection: Selection) -> dict[str, int]:
    """{status code: signatories} for the selection less its own reporting-status filter.

    From the cells of the selection (or of the selection less that filter), unless it has a
    category filter, whose cells count every category: then one grouped query on the due
    date's index (the status is a range of due dates)."""
    if selection.category is None:
        rows = cells(selection, "report") if selection.report else cells(selection)
        in_place = [(*row[_DUE_BY], row[3]) for row in rows if _in_place(selection, row)]
        bounds = [0, *(map(sum, zip(*in_place, strict=True)) if in_place
                       else [0] * len(_BY_DUE_DATE))]
        return {status.value: bounds[index + 1] - bounds[index]
                for index, status in enumerate(_BY_DUE_DATE)}
    base = replace(selection, sort="nom", report=None)

    def compute():
        status = status_case(RegisterEntry.report_due_on, local_today())
        return dict(db.session.execute(select(status, func.count()).where(*conditions(base))
                                       .group_by(status)).all())
    return cached("report-counts", base, compute=compute)


def facets(selection: Selection) -> dict[str, list[FacetValue]]:
    """For each filter, its values and how many signatories each would give, the other
    filters staying as they are."""
    def compute():
        total, (kinds, regions, departements), sdgs, categories = counts(selection)
        remember_count(selection, total)  # the page's count, from the same query
        reports = report_counts(selection)
        return {
            "type": [FacetValue(k.value, str(k.label), kinds.get(k, 0))
                     for k in OrganisationKind],
            "region": [FacetValue(code, name, regions.get(code, 0))
                       for code, name in geo.region_choices()],
            "departement": [FacetValue(d.code, f"{d.code} – {d.name}",
                                       departements.get(d.code, 0))
                            for d in geo.departements().values()],
            "odd": [FacetValue(str(n), sdg_label(n), sdgs.get(n, 0)) for n in SDG_NUMBERS],
            "categorie": [FacetValue(c.value, str(c.label), categories.get(c, 0))
                          for c in Category],
            "bilan": [FacetValue(s.value, str(s.label), reports.get(s.value, 0))
                      for s in ReportStatus],
        }
    # Labels depend on the language: the cache key carries it.
    return cached("facets", selection, str(get_locale()), compute=compute)
