"""Figures for the statistics page: signatories by month, kind and région, from register_entries.

Three GROUP BY queries over the register's indexes; the result is kept per app until the
register's generation changes (`readmodel/sync.py` bumps it on every change to the register).
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from ...db_types import PARIS
from ...extensions import db
from ...organisations import geo
from ...organisations.models import OrganisationKind
from ..readmodel.cache import cached
from ..readmodel.models import RegisterEntry
from ..readmodel.text import fold


@dataclass(frozen=True)
class MonthCount:
    month: date  # first day of the month
    new: int
    total: int  # cumulative, up to the end of this month


@dataclass(frozen=True)
class Statistics:
    total: int
    by_month: tuple[MonthCount, ...]  # every month from the first signature to this one
    by_kind: tuple[tuple[OrganisationKind, int], ...]  # every kind, in the enum's order
    by_region: tuple[tuple[str, int], ...]  # every INSEE région code, most signatories first

    @property
    def regions_represented(self) -> int:
        return sum(1 for _, count in self.by_region if count)


def compute(today: date | None = None) -> Statistics:
    today = today or datetime.now(PARIS).date()
    per_day = db.session.execute(
        select(RegisterEntry.signed_on, func.count())
        .group_by(RegisterEntry.signed_on).order_by(RegisterEntry.signed_on)).all()
    per_kind = dict(db.session.execute(
        select(RegisterEntry.kind, func.count()).group_by(RegisterEntry.kind)).all())
    per_region = dict(db.session.execute(
        select(RegisterEntry.region_code, func.count())
        .group_by(RegisterEntry.region_code)).all())
    regions = geo.regions()
    by_region = [(code, per_region.get(code, 0)) for code in regions]
    # A code outside the INSEE list would be a data error; still counted, never hidden.
    by_region += [(code, n) for code, n in per_region.items() if code not in regions]
    by_region.sort(key=lambda item: (-item[1], fold(geo.region_name(item[0]) or item[0])))
    return Statistics(
        total=sum(n for _, n in per_day),
        by_month=tuple(_months(per_day, today)),
        by_kind=tuple((kind, per_kind.get(kind, 0)) for kind in OrganisationKind),
        by_region=tuple(by_region),
    )


def _months(per_day: list[tuple[date, int]], today: date) -> list[MonthCount]:
    """Folds daily counts into calendar months, with empty months kept, up to this month."""
    if not per_day:
        return []
    per_month: dict[date, int] = {}
    for day, count in per_day:
        key = day.replace(day=1)
        per_month[key] = per_month.get(key, 0) + count
    month = min(per_month)
    last = max(max(per_month), today.replace(day=1))
    result, total = [], 0
    while month <= last:
        new = per_month.get(month, 0)
        total += new
        result.append(MonthCount(month, new, total))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return result


def statistics() -> Statistics:
    """The figures, recomputed only when the register has changed (or the day, which extends
    the time axis)."""
    return cached("statistics", datetime.now(PARIS).date(), compute=compute)
