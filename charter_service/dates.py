"""Dates as readers see them, one format per language and only here: the day in Europe/Paris,
written out (« 1er décembre 2026 », « 1 December 2026 »). Templates use the `date`, `datetime`
and `month` filters (i18n.register), Python code these functions."""

from datetime import date, datetime

from babel import dates as babel_dates
from flask_babel import get_locale

from .db_types import PARIS

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


def local_date(moment: datetime) -> date:
    return moment.astimezone(PARIS).date()


def _language(locale: str | None) -> str:
    if locale is None:
        current = get_locale()
        return current.language if current is not None else "fr"
    return str(locale).split("_")[0].split("-")[0]


def written_date(value: date | datetime, locale: str | None = None) -> str:
    """The day in the reader's language (the request's unless `locale` is given)."""
    day = local_date(value) if isinstance(value, datetime) else value
    language = _language(locale)
    if language == "fr":
        return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"
    return babel_dates.format_date(day, "d MMMM y", locale=language)


def written_datetime(moment: datetime, locale: str | None = None) -> str:
    """The day and the time in Paris: « 1er décembre 2026 à 09:05 », « 1 December 2026, 09:05 »."""
    local = moment.astimezone(PARIS)
    joint = " à " if _language(locale) == "fr" else ", "
    return f"{written_date(local.date(), locale)}{joint}{local.hour:02d}:{local.minute:02d}"


def written_month(value: date | datetime, locale: str | None = None) -> str:
    """A month and its year: « décembre 2026 », « December 2026 »."""
    day = local_date(value) if isinstance(value, datetime) else value
    return babel_dates.format_date(day, "LLLL y", locale=_language(locale))


def month_abbreviation(value: date, locale: str | None = None) -> str:
    """« déc. », « Dec »: a chart's axis."""
    return babel_dates.format_date(value, "MMM", locale=_language(locale))


def numeric_date(day: date) -> str:
    """« 01/12/2026 »: only for the register PDF's fixed-width column."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def french_date(moment: date | datetime) -> str:
    """Always French: what an attestation, a CLI line or a public wording prints."""
    return written_date(moment, "fr")
