"""The directory's rows as its page shows them, composed in Python once per page (as the
register's, register/rows.py: each translation looked up once, URLs built from a pattern)."""

from dataclasses import dataclass

from flask_babel import get_locale, gettext

from ..commitments.models import Category, CommitmentStatus, Scale
from ..commitments.sdgs import sdg_label
from ..organisations import geo
from ..register.rows import _long_date, _Memo, _url_pattern
from .queries import principle_choices, sdgs_of

EXCERPT = 280


@dataclass(frozen=True, slots=True)
class ShownEntry:
    title: str
    excerpt: str
    organisation: str
    organisation_url: str
    place: str  # « Association · Rhône (69) · Auvergne-Rhône-Alpes »
    facts: str  # « Coopération économique · Régionale · En cours · depuis le 3 mars 2025 »
    principles: list[str]
    sdgs: list[str]
    partners: str
    progress_on: str | None
    progress: str


def excerpt(text: str, limit: int = EXCERPT) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def shown_entries(rows: list[dict]) -> list[ShownEntry]:
    since, scale = gettext("depuis le %(date)s"), gettext("échelle %(name)s")
    locale = str(get_locale())
    days = _Memo(lambda day: _long_date(day, locale))
    labels = _Memo(lambda member: str(member.label))
    departements = _Memo(lambda code: f"{geo.departement_name(code)} ({code})")
    regions = _Memo(geo.region_name)
    sdgs = _Memo(sdg_label)
    principles = principle_choices()
    page_url = _url_pattern("signatories.page", "slug")
    shown = []
    for row in rows:
        facts = [labels[Category(row["category"])],
                 scale % {"name": labels[Scale(row["scale"])].lower()},
                 labels[CommitmentStatus(row["status"])],
                 since % {"date": days[row["start_on"]]}]
        shown.append(ShownEntry(
            title=row["title"], excerpt=excerpt(row["description"]),
            organisation=row["organisation_name"],
            organisation_url=page_url(row["organisation_slug"]),
            place=" · ".join((labels[row["kind"]], departements[row["departement_code"]],
                              regions[row["region_code"]])),
            facts=" · ".join(facts),
            principles=[principles.get(code, code) for code in row["principles"].split()],
            sdgs=[sdgs[n] for n in sdgs_of(row["sdg_mask"])],
            partners=row["partners"],
            progress_on=days[row["progress_on"]] if row["progress_on"] else None,
            progress=excerpt(row["progress_text"])))
    return shown
