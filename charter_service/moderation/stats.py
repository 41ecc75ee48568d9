"""Anonymised moderation statistics for the public transparency page.

Computed from the signatures: each decided signature counts once, by its current outcome, in
the month of its decision; the delay runs from its signature to that decision.
"""

import math
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..db_types import utcnow
from ..extensions import db
from ..signatures.models import Signature, SignatureStatus

MONTHS = 12
OUTCOMES = (SignatureStatus.APPROVED, SignatureStatus.REJECTED,
            SignatureStatus.CHANGES_REQUESTED)
OUTCOME_LABELS = {
    SignatureStatus.APPROVED: _l("Approuvées"),
    SignatureStatus.REJECTED: _l("Refusées"),
    SignatureStatus.CHANGES_REQUESTED: _l("Modifications demandées"),
}
_SECONDS_PER_DAY = 86400
CACHE_FOR = timedelta(minutes=5)


@dataclass
class MonthStats:
    month: date
    counts: dict[SignatureStatus, int] = field(
        default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    delays: list[float] = field(default_factory=list, repr=False)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.delays) if self.delays else None


@dataclass
class ModerationStats:
    months: list[MonthStats]

    @property
    def total(self) -> int:
        return sum(month.total for month in self.months)

    @property
    def median_days(self) -> float | None:
        delays = [delay for month in self.months for delay in month.delays]
        return statistics.median(delays) if delays else None

    @property
    def busiest(self) -> int:
        return max((month.total for month in self.months), default=0)


def _month_starts(today: date) -> list[date]:
    """The first day of the current month and of the eleven before it, oldest first."""
    index = today.year * 12 + today.month - 1
    return [date((i // 12), (i % 12) + 1, 1) for i in range(index - MONTHS + 1, index + 1)]


def cached_moderation_stats(now: datetime) -> ModerationStats:
    """The public page's figures, computed at most every few minutes per application."""
    cached = current_app.extensions.get("moderation_stats")
    if cached is None or now - cached[0] > CACHE_FOR or now < cached[0]:
        cached = (now, moderation_stats(now))
        current_app.extensions["moderation_stats"] = cached
    return cached[1]


def moderation_stats(now: datetime) -> ModerationStats:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    months = {start: MonthStats(start) for start in _month_starts(now.astimezone(zone).date())}
    window_start = datetime.combine(min(months), datetime.min.time(), tzinfo=zone)
    rows = db.session.execute(
        select(Signature.status, Signature.signed_at, Signature.decided_at)
        .where(Signature.decided_at >= window_start, Signature.decided_at <= now,
               Signature.status.in_(OUTCOMES))
    )
    for status, signed_at, decided_at in rows:
        local = decided_at.astimezone(zone)
        month = months.get(date(local.year, local.month, 1))
        if month is None:
            continue
        month.counts[status] += 1
        month.delays.append(max((decided_at - signed_at).total_seconds(), 0) / _SECONDS_PER_DAY)
    return ModerationStats(list(months.values()))


def usual_delay_days() -> int | None:
    """The median delay before a decision over the last twelve months, in whole days rounded
    up, as the transparency page states it; None before any decision. For the signatories'
    status panel and their acknowledgement e-mail."""
    median = cached_moderation_stats(utcnow()).median_days
    return None if median is None else max(1, math.ceil(median))
