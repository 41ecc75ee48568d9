"""Counts per filter value for the register's form: for each filter, how many signatories
each of its values would give, the selection's other filters staying as they are."""

from dataclasses import dataclass, replace

from flask_babel import get_locale
from sqlalchemy import case, func, select

from ..commitments.models import Category
from ..commitments.sdgs import SDG_NUMBERS, sdg_label
from ..extensions import db
from ..organisations import geo
from ..organisations.models import OrganisationKind
from .queries import Selection, conditions
from .readmodel.cache import cached
from .readmodel.models import RegisterEntry, category_bit, sdg_bit


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


def _place_counts(selection: Selection) -> tuple[dict, dict, dict]:
    """Counts by type, région and département, each with the selection's other filters: one
    GROUP BY (type, région, département) without those three filters, then sums in Python."""
    base = replace(selection, kind=None, region=None, departement=None, sort="nom")

    def compute():
        return db.session.execute(
            select(RegisterEntry.kind, RegisterEntry.region_code,
                   RegisterEntry.departement_code, func.count())
            .where(*conditions(base))
            .group_by(RegisterEntry.kind, RegisterEntry.region_code,
                      RegisterEntry.departement_code)).all()
    # Shared by every selection that differs only by type, région, département or order.
    cells = cached("cells", base, compute=compute)
    kinds: dict = {}
    regions: dict = {}
    departements: dict = {}
    for kind, region, departement, number in cells:
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


def _commitment_counts(selection: Selection) -> tuple[dict, dict]:
    """Signatories of the selection with a public commitment under each SDG (without the
    selection's own SDG filter) and under each category (without its category filter)."""
    def bit_count(mask_column, bit):
        return func.coalesce(func.sum(case((mask_column.op("&")(bit) == bit, 1), else_=0)), 0)

    def counted(columns, without):
        # Keyed by the selection less its own filter and its order: shared, for instance,
        # by every SDG of one category, and by both orders.
        base = replace(selection, sort="nom", **{without: None})
        return cached(f"bits-{without}", base, compute=lambda: tuple(db.session.execute(
            select(*columns).where(*conditions(base))).one()))

    sdg_row = counted([bit_count(RegisterEntry.sdg_mask, sdg_bit(n)) for n in SDG_NUMBERS],
                      "sdg")
    category_row = counted([bit_count(RegisterEntry.category_mask, category_bit(c))
                            for c in Category], "category")
    return (dict(zip(SDG_NUMBERS, sdg_row, strict=True)),
            dict(zip(Category, category_row, strict=True)))


def facets(selection: Selection) -> dict[str, list[FacetValue]]:
    """For each filter, its values and how many signatories each would give, the other
    filters staying as they are."""
    def compute():
        kinds, regions, departements = _place_counts(selection)
        sdgs, categories = _commitment_counts(selection)
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
        }
    # Labels depend on the language: the cache key carries it.
    return cached("facets", selection, str(get_locale()), compute=compute)
