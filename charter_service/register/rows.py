"""The register's rows as its page shows them, composed in Python once per page.

Written in the template, each of a page's 50 rows looked up four translations, a long date,
two URLs and a plural on its own (~800 template calls a page, most of the time of a page that
is not in the cache). Here each translation is looked up once per page, each date and plural
once per distinct value, and the two URLs are built from a pattern. The page reads the same.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from urllib.parse import quote

from flask import url_for
from flask_babel import get_locale, gettext, ngettext

from ..dates import written_date
from ..organisations import geo

_MARKER = "__value__"


def _url_pattern(endpoint: str, argument: str):
    """url_for(endpoint, argument=value), for values that are one path segment."""
    before, _, after = url_for(endpoint, **{argument: _MARKER}).partition(_MARKER)
    return lambda value: f"{before}{quote(str(value), safe='')}{after}"


@dataclass(frozen=True, slots=True)
class ShownRow:
    name: str
    url: str
    place: str  # « Association · Lyon · Rhône (69) · Auvergne-Rhône-Alpes »
    since: str
    version: str
    commitments: str
    report_status: str | None  # the status code, for CSS: only when not « à jour »
    report_label: str | None
    certificate_url: str | None
    certificate_label: str | None


class _Memo(dict):
    """Computes each distinct key once."""

    def __init__(self, compute) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key):
        value = self[key] = self.compute(key)
        return value


@lru_cache(maxsize=8192)
def _long_date(day: date, locale: str) -> str:
    """« 3 mars 2025 »: a few thousand distinct days across the whole register."""
    return written_date(day, locale)


def shown_rows(rows: list[dict], reports: dict) -> list[ShownRow]:
    """`reports`: {organisation id: its ReportStatus}, for the rows that show a badge."""
    # Looked up without variables, the translations come back with their %(…)s placeholders.
    since, version, certificate = (gettext("Signataire depuis le %(date)s"),
                                   gettext("version %(number)s"),
                                   gettext("attestation %(number)s"))
    locale = str(get_locale())
    signed = _Memo(lambda day: _long_date(day, locale))
    commitments = _Memo(lambda count: ngettext("%(count)s engagement public",
                                               "%(count)s engagements publics", count,
                                               count=count))
    departements = _Memo(lambda code: f"{geo.departement_name(code)} ({code})")
    regions = _Memo(geo.region_name)
    kinds = _Memo(lambda kind: str(kind.label))
    report_labels = _Memo(lambda status: str(status.label))
    page_url = _url_pattern("signatories.page", "slug")
    status_url = _url_pattern("certificates.status", "number")
    shown = []
    for row in rows:
        place = [kinds[row["kind"]]]
        if row["commune"]:
            place.append(row["commune"])
        place += [departements[row["departement_code"]], regions[row["region_code"]]]
        number = row["certificate_number"]
        report = reports.get(row["organisation_id"])
        shown.append(ShownRow(
            name=row["name"], url=page_url(row["slug"]), place=" · ".join(place),
            since=since % {"date": signed[row["signed_on"]]},
            version=version % {"number": row["charter_version"]},
            commitments=commitments[row["public_commitments"]],
            report_status=report.value if report else None,
            report_label=report_labels[report] if report else None,
            certificate_url=status_url(number) if number else None,
            certificate_label=certificate % {"number": number} if number else None))
    return shown
