"""The annual reporting campaign (« campagne des bilans »): its window, participation by région
and organisation kind, and the reports it collected (the page /bilans).

A campaign ends on the charter's anniversary (the Paris day the first version was published),
or on the day `REPORTING_CAMPAIGN_END` (« MM-DD ») names, and opens `REPORTING_CAMPAIGN_DAYS`
before. It collects every annual report submitted since the previous campaign ended: a report
filed early counts for the next campaign. Participation counts the register's signatories (one
row per organisation with an approved signature) that submitted one.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import exists, func, select

from ...charters.models import CharterVersion
from ...commitments.annual.models import AnnualReport, AnnualReportStatus, ReportMode
from ...db_types import PARIS
from ...extensions import db
from ...organisations import geo
from ...organisations.models import OrganisationKind
from ..readmodel.cache import cached_public
from ..readmodel.models import RegisterEntry
from ..readmodel.text import fold

DEFAULT_DAYS = 60
PER_PAGE = 50


@dataclass(frozen=True)
class Campaign:
    year: int
    opens_on: date
    ends_on: date  # included
    collects_after: date  # the previous campaign's last day: reports filed after it count

    @property
    def collects_from(self) -> date:
        return self.collects_after + timedelta(days=1)

    def is_open(self, today: date) -> bool:
        return self.opens_on <= today <= self.ends_on

    def days_left(self, today: date) -> int:
        return (self.ends_on - today).days


@dataclass(frozen=True)
class Participation:
    key: str
    label: str
    signatories: int
    reported: int

    @property
    def percent(self) -> int:
        return round(100 * self.reported / self.signatories) if self.signatories else 0


@dataclass(frozen=True)
class CampaignFigures:
    total: Participation
    by_region: tuple[Participation, ...]
    by_kind: tuple[Participation, ...]
    reports: int  # every report collected, signatories today or not
    listed: int  # the reports of today's signatories: the list's length


@dataclass(frozen=True)
class CollectedReport:
    name: str
    slug: str
    kind: OrganisationKind
    region_code: str
    submitted_at: datetime
    mode: ReportMode
    document_number: str | None


def _anniversary() -> tuple[int, int] | None:
    """(month, day) the campaign ends: the setting, or the first publication's Paris day."""
    setting = current_app.config.get("REPORTING_CAMPAIGN_END")
    if setting:
        month, day = (int(part) for part in str(setting).split("-"))
        return month, day
    first = db.session.scalar(select(func.min(CharterVersion.published_at)))
    if first is None:
        return None
    first = first.astimezone(PARIS).date()
    return first.month, first.day


def _day_in(year: int, month: int, day: int) -> date:
    """The anniversary in `year`: a 29 February is the 28th in other years."""
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, day - 1)


def campaign_of(year: int, anniversary: tuple[int, int]) -> Campaign:
    days = int(current_app.config.get("REPORTING_CAMPAIGN_DAYS", DEFAULT_DAYS))
    ends_on = _day_in(year, *anniversary)
    return Campaign(year=year, opens_on=ends_on - timedelta(days=days - 1), ends_on=ends_on,
                    collects_after=_day_in(year - 1, *anniversary))


def campaigns(today: date) -> tuple[Campaign | None, Campaign | None]:
    """(the campaign open today or the last one that ended, the next one to open); (None, None)
    before any version is published."""
    anniversary = _anniversary()
    if anniversary is None:
        return None, None
    this_year = campaign_of(today.year, anniversary)
    if today < this_year.opens_on:
        return campaign_of(today.year - 1, anniversary), this_year
    return this_year, campaign_of(today.year + 1, anniversary)


def _bounds(campaign: Campaign, today: date) -> tuple[datetime, datetime]:
    """The instants a campaign collects reports between: after its predecessor's last day, up
    to the end of its own last day (or of today, while it runs)."""
    last = min(campaign.ends_on, today)
    return (datetime.combine(campaign.collects_from, time(), PARIS),
            datetime.combine(last + timedelta(days=1), time(), PARIS))


def _collected(campaign: Campaign, today: date):
    start, end = _bounds(campaign, today)
    return (AnnualReport.status == AnnualReportStatus.SUBMITTED,
            AnnualReport.submitted_at >= start, AnnualReport.submitted_at < end)


def compute(campaign: Campaign, today: date) -> CampaignFigures:
    reported = exists().where(AnnualReport.organisation_id == RegisterEntry.organisation_id,
                              *_collected(campaign, today))
    counted = (func.count(), func.count().filter(reported))
    per_region = {code: (n, r) for code, n, r in db.session.execute(
        select(RegisterEntry.region_code, *counted).group_by(RegisterEntry.region_code))}
    per_kind = {kind: (n, r) for kind, n, r in db.session.execute(
        select(RegisterEntry.kind, *counted).group_by(RegisterEntry.kind))}
    regions = [Participation(code, geo.region_name(code) or code, *per_region.get(code, (0, 0)))
               for code in geo.regions()]
    regions += [Participation(code, code, n, r) for code, (n, r) in per_region.items()
                if code not in geo.regions()]
    regions.sort(key=lambda p: (-p.signatories, fold(p.label)))
    kinds = [Participation(kind.value, str(kind.label), *per_kind.get(kind, (0, 0)))
             for kind in OrganisationKind]
    total = Participation("", "", sum(p.signatories for p in regions),
                          sum(p.reported for p in regions))
    reports = db.session.scalar(select(func.count()).select_from(AnnualReport)
                                .where(*_collected(campaign, today)))
    listed = db.session.scalar(
        select(func.count()).select_from(AnnualReport)
        .join(RegisterEntry, RegisterEntry.organisation_id == AnnualReport.organisation_id)
        .where(*_collected(campaign, today)))
    return CampaignFigures(total, tuple(regions), tuple(kinds), reports, listed)


def figures(campaign: Campaign, today: date) -> CampaignFigures:
    """Kept until a public change (a submitted report is one: `report_filed`)."""
    return cached_public("campaign", campaign, today, compute=lambda: compute(campaign, today))


def collected_reports(campaign: Campaign, today: date, page: int) -> list[CollectedReport]:
    """The reports of current signatories the campaign collected, newest first, a page of
    PER_PAGE."""
    rows = db.session.execute(
        select(RegisterEntry.name, RegisterEntry.slug, RegisterEntry.kind,
               RegisterEntry.region_code, AnnualReport.submitted_at, AnnualReport.mode,
               AnnualReport.document_number)
        .join(AnnualReport, AnnualReport.organisation_id == RegisterEntry.organisation_id)
        .where(*_collected(campaign, today))
        .order_by(AnnualReport.submitted_at.desc(), AnnualReport.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    return [CollectedReport(*row) for row in rows]
