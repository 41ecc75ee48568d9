"""Dates as French readers see them: the day in Europe/Paris, written out (« 1er mai 2026 »)."""

from datetime import date, datetime

from .db_types import PARIS

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


def local_date(moment: datetime) -> date:
    return moment.astimezone(PARIS).date()


def french_date(moment: datetime) -> str:
    day = local_date(moment)
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"
