"""Counts per filter value for the directory's form: for each filter, how many public
commitments each of its values would give, the selection's other filters staying as they are.

Five statements for a new selection: one GROUP BY for the commitment's own fields, one for the
organisation's place and kind (each summed in Python per filter), one for the principles and
one each for the SDG and domain bits; each is cached by the part of the selection it reads."""

from dataclasses import dataclass, replace

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from ..commitments.models import Category, CommitmentStatus, Domain, Scale
from ..commitments.sdgs import SDG_NUMBERS, sdg_label
from ..extensions import db
from ..organisations import geo
from ..organisations.models import OrganisationKind
from ..register.readmodel.cache import cached_public
from ..register.readmodel.models import sdg_bit
from .models import DirectoryEntry, DirectoryPrinciple, domain_bit
from .queries import EQUALITIES, Selection, conditions, principle_choices

OWN = ("category", "scale", "status", "joint")
PLACE = ("kind", "region", "departement")


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


def _cells(selection: Selection, names: tuple[str, ...]) -> list[dict]:
    """Per filter in `names`: {value: count}, each with the selection's other filters."""
    base = replace(selection, **dict.fromkeys(names))
    columns = [EQUALITIES[name] for name in names]

    def compute():
        return [tuple(row) for row in db.session.execute(
            select(*columns, func.count()).where(*conditions(base)).group_by(*columns))]
    counts: list[dict] = [{} for _ in names]
    for *values, number in cached_public("directory-cells", names, base, compute=compute):
        for index, value in enumerate(values):
            others_ok = all(getattr(selection, name) in (None, values[other])
                            for other, name in enumerate(names) if other != index)
            if others_ok:
                counts[index][value] = counts[index].get(value, 0) + number
    return counts


def _bits(selection: Selection, name: str, column, bits: dict) -> dict:
    base = replace(selection, **{name: None})

    def compute():
        sums = [func.coalesce(func.sum(case((column.op("&")(bit) == bit, 1), else_=0)), 0)
                for bit in bits.values()]
        return tuple(db.session.execute(select(*sums).where(*conditions(base))).one())
    return dict(zip(bits, cached_public(f"directory-bits-{name}", base, compute=compute),
                    strict=True))


def _principles(selection: Selection) -> dict[str, int]:
    base = replace(selection, principle=None)

    def compute():
        statement = select(DirectoryPrinciple.code, func.count())
        others = conditions(base)
        if others:  # with no other filter, the principles' own table (its primary key) alone
            statement = statement.join(
                DirectoryEntry, DirectoryEntry.commitment_id == DirectoryPrinciple.commitment_id
            ).where(*others)
        return dict(db.session.execute(statement.group_by(DirectoryPrinciple.code)).all())
    return cached_public("directory-principle-counts", base, compute=compute)


def _enum_values(enum, counts: dict) -> list[FacetValue]:
    return [FacetValue(member.value, str(member.label), counts.get(member, 0)) for member in enum]


def facets(selection: Selection) -> dict[str, list[FacetValue]]:
    """For each filter (by its URL argument), its values and their counts."""
    def compute():
        category, scale, status, joint = _cells(selection, OWN)
        kinds, regions, departements = _cells(selection, PLACE)
        sdgs = _bits(selection, "sdg", DirectoryEntry.sdg_mask,
                     {n: sdg_bit(n) for n in SDG_NUMBERS})
        domains = _bits(selection, "domain", DirectoryEntry.domain_mask,
                        {d: domain_bit(d) for d in Domain})
        principles = _principles(selection)
        return {
            "principe": [FacetValue(code, label, principles.get(code, 0))
                         for code, label in principle_choices().items()],
            "odd": [FacetValue(str(n), sdg_label(n), sdgs[n]) for n in SDG_NUMBERS],
            "categorie": _enum_values(Category, category),
            "domaine": _enum_values(Domain, domains),
            "echelle": _enum_values(Scale, scale),
            "statut": _enum_values(CommitmentStatus, status),
            "type": _enum_values(OrganisationKind, kinds),
            "region": [FacetValue(code, name, regions.get(code, 0))
                       for code, name in geo.region_choices()],
            "departement": [FacetValue(d.code, f"{d.code} – {d.name}",
                                       departements.get(d.code, 0))
                            for d in geo.departements().values()],
            "conjoint": [FacetValue("oui", str(_l("Oui, avec d’autres signataires")),
                                    joint.get(True, 0)),
                         FacetValue("non", str(_l("Non")), joint.get(False, 0))],
        }
    return cached_public("directory-facets", selection, str(get_locale()), compute=compute)
