"""The reporting campaign (/bilans): its window around the charter's anniversary, participation
by région and organisation kind, the reports it collected, and the page's cache."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from charter_service.commitments.annual.models import AnnualReport, AnnualReportStatus, ReportMode
from charter_service.extensions import db
from charter_service.organisations.models import OrganisationKind
from charter_service.register.statistics import campaign
from charter_service.signatures.models import Signature, SignatureStatus
from charter_service.signatures.workflow import Transition, apply

PARIS = ZoneInfo("Europe/Paris")
URL = "/bilans"


def paris_today() -> date:
    return datetime.now(PARIS).date()


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), PARIS)


@pytest.fixture
def app_config():
    # A campaign of 60 days ending 20 days from today: open, whatever the day the tests run.
    end = paris_today() + timedelta(days=20)
    return {"REPORTING_CAMPAIGN_END": end.strftime("%m-%d"), "REPORTING_CAMPAIGN_DAYS": 60}


@pytest.fixture
def signatory(make):
    version = make.version()

    def _signatory(name, kind=OrganisationKind.ASSOCIATION, departement="69", region="84"):
        organisation = make.organisation(name=name, kind=kind, departement_code=departement,
                                         region_code=region)
        make.signature(organisation, version, status=SignatureStatus.APPROVED)
        return organisation

    return _signatory


def report(organisation, *, submitted_at=None, period=None, status=AnnualReportStatus.SUBMITTED,
           mode=ReportMode.FORM, number=None):
    submitted_at = submitted_at or at_noon(paris_today())
    row = AnnualReport(organisation_id=organisation.id, period=period or submitted_at.year,
                       status=status, mode=mode, document_number=number,
                       submitted_at=None if status == AnnualReportStatus.DRAFT else submitted_at)
    if mode == ReportMode.UPLOAD:
        row.document_filename, row.document_sha256 = "rapport.pdf", "0" * 64
    db.session.add(row)
    db.session.commit()
    return row


def figure(page: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">([^<]*)<', page)
    return found.group(1).replace("\u202f", " ").replace("\xa0", " ")


def row_of(page: str, table: str, key: str) -> list[str]:
    body = page.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    found = re.search(rf'<tr data-key="{key}">(.*?)</tr>', body, re.S)
    assert found, f"no row {key} in {table}"
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", found.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", cell).replace("\u202f", " ").strip() for cell in cells]


# The window ------------------------------------------------------------------------------

@pytest.mark.parametrize(("today", "current", "is_open", "upcoming"), [
    (date(2027, 1, 14), 2026, False, 2027),  # the day before it opens
    (date(2027, 1, 15), 2027, True, 2028),   # its first day (60 days up to 15 March, included)
    (date(2027, 3, 15), 2027, True, 2028),   # its last day
    (date(2027, 3, 16), 2027, False, 2028),  # the day after: its results stay shown
])
def test_the_campaign_ends_on_the_anniversary_and_opens_its_days_before(
        app, today, current, is_open, upcoming):
    app.config.update(REPORTING_CAMPAIGN_END="03-15", REPORTING_CAMPAIGN_DAYS=60)
    shown, following = campaign.campaigns(today)
    assert (shown.year, shown.is_open(today), following.year) == (current, is_open, upcoming)
    assert shown.collects_from == date(current - 1, 3, 16)
    assert following.ends_on == date(upcoming, 3, 15)
    assert (following.ends_on - following.opens_on).days == 59  # 60 days, both ends included


def test_by_default_the_campaign_ends_on_the_first_publication_day(app, make):
    app.config.update(REPORTING_CAMPAIGN_END=None)
    version = make.version()
    version.published_at = datetime(2024, 2, 29, 23, 30, tzinfo=ZoneInfo("UTC"))  # 1 March, Paris
    db.session.commit()
    shown, _ = campaign.campaigns(date(2027, 6, 1))
    assert shown.ends_on == date(2027, 3, 1)
    app.config.update(REPORTING_CAMPAIGN_END="02-29")
    assert campaign.campaigns(date(2027, 6, 1))[0].ends_on == date(2027, 2, 28)


def test_before_any_publication_there_is_no_campaign(app, client):
    app.config.update(REPORTING_CAMPAIGN_END=None)
    assert campaign.campaigns(paris_today()) == (None, None)
    page = client.get(URL).get_data(as_text=True)
    assert "première campagne des bilans s’ouvrira après sa publication" in page


# Participation ---------------------------------------------------------------------------

def test_participation_by_region_and_kind_counts_reports_the_campaign_collected(
        client, signatory):
    lyon = signatory("Commune de Lyon", OrganisationKind.COLLECTIVITE)
    relais = signatory("Relais Solidaire")
    signatory("Atelier du Rhône", OrganisationKind.ENTREPRISE)
    nantes = signatory("Ville de Nantes", OrganisationKind.COLLECTIVITE, "44", "52")
    report(lyon)
    report(nantes, mode=ReportMode.UPLOAD, number="RAA-2026-000001")
    shown, _ = campaign.campaigns(paris_today())
    # Before the campaign collects (on the previous one's last day), and drafts: not counted.
    report(relais, submitted_at=at_noon(shown.collects_after), period=shown.year - 1)
    report(relais, status=AnnualReportStatus.DRAFT, period=shown.year)

    page = client.get(URL).get_data(as_text=True)
    assert 'data-campaign="open"' in page
    assert figure(page, "reports") == "2"
    assert figure(page, "reported") == "2"
    assert figure(page, "percent") == "50 %"
    assert row_of(page, "bilans-regions", "84")[1:] == ["3", "1", "33 %"]
    assert row_of(page, "bilans-regions", "52")[1:] == ["1", "1", "100 %"]
    assert row_of(page, "bilans-types", "collectivite")[1:] == ["2", "2", "100 %"]
    assert row_of(page, "bilans-types", "association")[1:] == ["1", "0", "0 %"]
    listed = page.split('id="bilans-liste"', 1)[1].split("</table>", 1)[0]
    assert "Commune de Lyon" in listed and "Ville de Nantes" in listed
    assert "Relais Solidaire" not in listed
    assert 'href="/verifier/RAA-2026-000001"' in listed
    assert "document déposé" in listed


def test_a_signatory_suspended_since_leaves_the_list_but_its_report_was_received(
        client, make, signatory):
    lyon = signatory("Commune de Lyon", OrganisationKind.COLLECTIVITE)
    report(lyon)
    signature = db.session.scalar(select(Signature).where(Signature.organisation_id == lyon.id))
    apply(signature, Transition.SUSPEND, actor=make.moderator(), reason="Vérification.")
    db.session.commit()
    page = client.get(URL).get_data(as_text=True)
    assert figure(page, "reports") == "1"
    assert figure(page, "reported") == "0"
    assert "Commune de Lyon" not in page.split('id="bilans-recus"', 1)[1]


def test_the_list_is_paginated_and_a_page_out_of_range_is_not_found(client, signatory,
                                                                     monkeypatch):
    monkeypatch.setattr(campaign, "PER_PAGE", 1)
    first, second = signatory("Première Association"), signatory("Seconde Association")
    report(first, submitted_at=at_noon(paris_today()) - timedelta(hours=2))
    report(second)
    page = client.get(URL).get_data(as_text=True)
    assert "Seconde Association" in page and "Première Association" not in page
    assert 'href="/bilans?page=2"' in page
    assert "Première Association" in client.get(URL + "?page=2").get_data(as_text=True)
    assert client.get(URL + "?page=3").status_code == 404
    assert client.get(URL + "?page=0").status_code == 404


def test_outside_the_window_the_last_campaign_and_the_next_opening_are_shown(
        app, client, signatory):
    end = paris_today() - timedelta(days=3)
    app.config.update(REPORTING_CAMPAIGN_END=end.strftime("%m-%d"))
    report(signatory("Commune de Lyon", OrganisationKind.COLLECTIVITE))
    page = client.get(URL).get_data(as_text=True)
    assert 'data-campaign="closed"' in page
    assert "s’ouvrira le" in page
    # Filed after the last campaign ended: it counts for the next one.
    assert figure(page, "reports") == "0"


def test_a_report_filed_shows_on_the_cached_page_at_once(client, signatory):
    lyon = signatory("Commune de Lyon", OrganisationKind.COLLECTIVITE)
    assert figure(client.get(URL).get_data(as_text=True), "reports") == "0"
    from charter_service import signals
    report(lyon)
    signals.report_filed.send(lyon, actor=None)
    db.session.commit()
    assert figure(client.get(URL).get_data(as_text=True), "reports") == "1"


def test_the_page_in_english(client, signatory):
    report(signatory("Commune de Lyon", OrganisationKind.COLLECTIVITE))
    page = client.get(URL, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Annual report campaign" in page


def test_on_its_last_day_the_campaign_says_so(app, client, signatory):
    app.config.update(REPORTING_CAMPAIGN_END=paris_today().strftime("%m-%d"))
    report(signatory("Commune de Lyon", OrganisationKind.COLLECTIVITE))  # a change: a new page
    page = client.get(URL).get_data(as_text=True)
    assert 'data-campaign="open"' in page and "c’est son dernier jour" in page
    assert "il reste 0" not in page
