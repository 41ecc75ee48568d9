"""Reporting: the due date per kind of organisation, the reporting status at every boundary,
where it is shown, and the e-mailed reminders."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from charter_service.certificates.models import Certificate
from charter_service.commitments import moderation, progress
from charter_service.commitments.models import ProgressUpdate, ReminderKind, ReminderSent
from charter_service.commitments.progress import local_today
from charter_service.commitments.reporting import (
    ReportingStatus,
    ReportStatus,
    add_months,
    reporting_status,
    send_reminders,
    status_of,
    status_ranges,
)
from charter_service.dates import written_date
from charter_service.extensions import db
from charter_service.organisations.models import OrganisationKind
from charter_service.register.readmodel.models import RegisterEntry
from charter_service.register.readmodel.sync import rebuild
from charter_service.signatures import workflow
from charter_service.signatures.models import SignatureStatus

from .helpers import add_commitment, count, text

APPROVED = date(2024, 1, 10)


def at_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def approved_on(signatories, day: date, **kwargs):
    """A signatory approved through the workflow at noon UTC on `day`."""
    return signatories.new(decided_at=at_noon(day), **kwargs)


@pytest.fixture
def alpha(signatories):
    """A company: it reports yearly, due on 2025-01-10."""
    return approved_on(signatories, APPROVED, name="Alpha Coopérative",
                       kind=OrganisationKind.ENTREPRISE)


def filed_update(commitment, filed: date, reported: date | None = None) -> ProgressUpdate:
    update = ProgressUpdate(commitment=commitment, reported_on=reported or filed,
                            text="Bilan", created_at=at_noon(filed))
    db.session.add(update)
    db.session.commit()
    return update


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2024, 1, 10), 12, date(2025, 1, 10)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2024, 8, 31), 6, date(2025, 2, 28)),
    (date(2024, 12, 15), 1, date(2025, 1, 15)),
])
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def _boundaries(due: date) -> list[tuple[date, ReportStatus, date | None]]:
    """(today, status, since) at every boundary around a due date."""
    non_communicating = add_months(due, 12)
    return [
        (due - timedelta(days=31), ReportStatus.UP_TO_DATE, None),
        (due - timedelta(days=30), ReportStatus.DUE, None),
        (due - timedelta(days=1), ReportStatus.DUE, None),
        (due, ReportStatus.DUE, None),
        (due + timedelta(days=1), ReportStatus.LATE, due + timedelta(days=1)),
        (non_communicating - timedelta(days=1), ReportStatus.LATE, due + timedelta(days=1)),
        (non_communicating, ReportStatus.NON_COMMUNICATING, non_communicating),
    ]


@pytest.mark.parametrize(("kind", "due"), [
    (OrganisationKind.ENTREPRISE, date(2025, 1, 10)),  # yearly
    (OrganisationKind.COLLECTIVITE, date(2026, 1, 10)),  # every two years
])
def test_the_status_at_every_boundary_for_each_cadence(signatories, kind, due):
    org = approved_on(signatories, APPROVED, kind=kind)
    for today, status, since in _boundaries(due):
        assert reporting_status(org.organisation, today) == ReportingStatus(
            due, status, since), today


def test_the_status_ranges_are_the_status_every_day(app):
    """The register filters on the ranges (status_condition); over two years around a 29
    February (the month-end clamp), each due date falls in exactly the range status_of names."""
    dues = [date(2024, 2, 27) + timedelta(days=n) for n in range(5)]
    for offset in range(0, 800, 3):
        today = date(2023, 12, 1) + timedelta(days=offset)
        ranges = status_ranges(today)
        for due in dues:
            inside = [status for status, (first, last) in ranges.items()
                      if (first is None or due >= first) and (last is None or due <= last)]
            assert inside == [status_of(due, today).status], (today, due)
    assert status_of(date(2024, 2, 29), date(2025, 2, 28)).status == (
        ReportStatus.NON_COMMUNICATING)


def test_the_cadence_and_the_delay_are_settings(app, signatories):
    app.config["REPORTING_CADENCE_MONTHS"] = {**app.config["REPORTING_CADENCE_MONTHS"],
                                              "entreprise": 6}
    app.config["REPORTING_NON_COMMUNICATING_MONTHS"] = 3
    try:
        org = approved_on(signatories, APPROVED, kind=OrganisationKind.ENTREPRISE)
        assert reporting_status(org.organisation, date(2024, 10, 10)) == ReportingStatus(
            date(2024, 7, 10), ReportStatus.NON_COMMUNICATING, date(2024, 10, 10))
    finally:
        app.config["REPORTING_CADENCE_MONTHS"] = {**app.config["REPORTING_CADENCE_MONTHS"],
                                                  "entreprise": 12}
        app.config["REPORTING_NON_COMMUNICATING_MONTHS"] = 12


def test_each_update_restarts_the_year_from_the_day_it_was_filed(alpha):
    commitment = add_commitment(alpha)
    filed_update(commitment, date(2024, 11, 5), reported=date(2024, 2, 1))

    status = reporting_status(alpha.organisation, date(2025, 12, 1))

    assert status == ReportingStatus(date(2025, 11, 5), ReportStatus.LATE, date(2025, 11, 6))


def test_a_backdated_late_report_does_not_hide_the_delay(alpha):
    filed_update(add_commitment(alpha), date(2025, 6, 1), reported=date(2024, 12, 1))
    assert reporting_status(alpha.organisation, date(2025, 6, 2)).due_on == date(2026, 6, 1)


def test_hidden_updates_and_updates_of_hidden_commitments_do_not_count(alpha, make):
    moderator = make.user(role="moderator")
    commitment, hidden_commitment = add_commitment(alpha), add_commitment(alpha, title="Masqué")
    moderation.hide(filed_update(commitment, date(2024, 10, 1)), "Hors sujet", moderator)
    filed_update(hidden_commitment, date(2024, 11, 1))
    moderation.hide(hidden_commitment, "Contenu trompeur", moderator)
    db.session.commit()

    assert reporting_status(alpha.organisation, date(2025, 2, 1)).due_on == date(2025, 1, 10)


def test_only_approved_signatories_owe_a_report(signatories):
    for status in (SignatureStatus.PENDING, SignatureStatus.SUSPENDED, None):
        org = signatories.new(status=status)
        assert reporting_status(org.organisation, date(2030, 1, 1)) is None


def test_the_first_approval_counts_not_a_later_reinstatement(signatories, make):
    org = signatories.new(status=SignatureStatus.PENDING)
    moderator = make.user(role="moderator")
    workflow.apply(org.signature, workflow.Transition.APPROVE, actor=moderator)
    db.session.commit()
    # The approval day as the French service counts it (at 23:30 UTC it is already tomorrow).
    first_approval = org.signature.decided_at.astimezone(ZoneInfo("Europe/Paris")).date()
    make.decide(org.signature, workflow.Transition.SUSPEND, workflow.Transition.REINSTATE,
                by=moderator, at=at_noon(first_approval + timedelta(days=200)))

    status = reporting_status(org.organisation, first_approval)

    assert status.due_on == add_months(first_approval, 24)  # an association: every two years


def _register_rows(client) -> dict[str, str]:
    """{name: the row's text} of the register's first page."""
    body = client.get("/registre").get_data(as_text=True)
    rows = re.findall(r'<li class="register-row">(.*?)</li>', body, re.DOTALL)
    return {re.search(r"<a [^>]+>([^<]+)</a>", row).group(1): row for row in rows}


def company_due_on(signatories, due: date, name: str):
    """A company (yearly) whose report is due on `due`."""
    return approved_on(signatories, add_months(due, -12), name=name,
                       kind=OrganisationKind.ENTREPRISE)


def test_the_register_badges_each_status_until_a_report_is_filed(client, signatories, make):
    today = local_today()  # in Paris, when the test runs
    late = company_due_on(signatories, today - timedelta(days=1), "En retard")
    company_due_on(signatories, today, "Attendu")
    company_due_on(signatories, today + timedelta(days=31), "A jour")
    company_due_on(signatories, add_months(today, -12), "Muet")
    commitment = add_commitment(late)
    rows = _register_rows(client)
    assert "en retard" in rows["En retard"]
    assert "bilan attendu" in rows["Attendu"]
    assert "non communicant" in rows["Muet"]
    assert 'class="status' not in rows["A jour"]

    update = progress.add_progress(commitment, progress.ProgressData(today, "Bilan de l’année"),
                                   late.owner)
    db.session.commit()
    assert 'class="status' not in _register_rows(client)["En retard"]

    moderation.hide(update, "Contenu hors sujet", make.user(role="moderator"))
    db.session.commit()
    assert "en retard" in _register_rows(client)["En retard"]


def _facet_counts(body: str) -> dict[str, int]:
    select_html = re.search(r'<select id="f-bilan" name="bilan">(.*?)</select>', body,
                            re.DOTALL).group(1)
    return {value: int(number) for value, number in re.findall(
        r'<option value="([a-z-]+)"[^>]*>[^<]*\((\d+)\)</option>', select_html)}


def test_the_register_filters_and_counts_by_status(client, signatories):
    today = local_today()
    company_due_on(signatories, today - timedelta(days=1), "Retard Un")
    company_due_on(signatories, today - timedelta(days=40), "Retard Deux")
    company_due_on(signatories, today + timedelta(days=30), "Attendu")
    company_due_on(signatories, add_months(today, -12), "Muet")
    approved_on(signatories, add_months(today, -12), name="Collectivité à jour",
                kind=OrganisationKind.COLLECTIVITE)  # due in 12 months: every two years

    body = client.get("/registre").get_data(as_text=True)
    assert _facet_counts(body) == {"a-jour": 1, "attendu": 1, "en-retard": 2,
                                   "non-communicant": 1}

    late = client.get("/registre?bilan=en-retard").get_data(as_text=True)
    names = re.findall(r'<h3><a [^>]+>([^<]+)</a></h3>', late)
    assert sorted(names) == ["Retard Deux", "Retard Un"]
    # The other filters count within the status, the status within the other filters.
    assert re.search(r'<option value="entreprise"[^>]*>[^<]*\(2\)', late)
    only_companies = client.get("/registre?type=entreprise").get_data(as_text=True)
    assert _facet_counts(only_companies)["a-jour"] == 0
    assert "Filtrer (1)" in late

    refused = client.get("/registre?bilan=perdu").get_data(as_text=True)
    assert "Statut de bilan inconnu." in refused
    assert len(re.findall(r'<li class="register-row">', refused)) == 5


def test_the_public_page_says_the_status(client, signatories):
    today = local_today()
    late = company_due_on(signatories, today - timedelta(days=1), "En retard")
    mute = company_due_on(signatories, add_months(today - timedelta(days=3), -12), "Muet")
    fine = company_due_on(signatories, today + timedelta(days=60), "A jour")

    assert "Bilan en retard : il était attendu le" in text(
        client.get(f"/organisations/{late.organisation.slug}"))
    assert "Non communicante depuis le" in text(
        client.get(f"/organisations/{mute.organisation.slug}"))
    assert "Bilan à jour" in text(client.get(f"/organisations/{fine.organisation.slug}"))


def test_the_register_stores_the_due_date_by_kind_and_the_rebuild_too(signatories):
    company = approved_on(signatories, APPROVED, kind=OrganisationKind.ENTREPRISE)
    town = approved_on(signatories, APPROVED, kind=OrganisationKind.COLLECTIVITE)

    def stored() -> list[date]:
        db.session.expire_all()
        return [db.session.get(RegisterEntry, org.id).report_due_on for org in (company, town)]

    assert stored() == [date(2025, 1, 10), date(2026, 1, 10)]
    filed_update(add_commitment(town), date(2024, 6, 3))  # written directly: no signal
    rebuild()
    db.session.commit()
    assert stored() == [date(2025, 1, 10), date(2026, 6, 3)]
    progress.add_progress(add_commitment(company), progress.ProgressData(
        local_today(), "Bilan"), company.owner)  # through the service: the row follows
    db.session.commit()
    assert stored()[0] == add_months(local_today(), 12)


def test_the_api_gives_the_status_its_label_its_due_date_and_since_when(client, signatories):
    today = local_today()
    late = company_due_on(signatories, today - timedelta(days=1), "En retard")
    company_due_on(signatories, today + timedelta(days=90), "A jour")

    detail = client.get(f"/api/v1/signatories/{late.organisation.slug}",
                        headers={"Accept-Language": "en"}).get_json()
    assert (detail["report_status"], detail["report_status_label"], detail["report_due_on"],
            detail["report_status_since"]) == (
        "en-retard", "en retard", (today - timedelta(days=1)).isoformat(), today.isoformat())
    listing = client.get("/api/v1/signatories?bilan=a-jour").get_json()["items"]
    assert [(item["name"], item["report_status"], item["report_status_since"])
            for item in listing] == [("A jour", "a-jour", None)]
    assert client.get("/api/v1/signatories?bilan=perdu").status_code == 422


def test_the_feed_entries_say_the_status_today(client, signatories):
    today = local_today()
    company_due_on(signatories, add_months(today, -12), "Muet")
    feed = client.get("/registre/changements.atom").get_data(as_text=True)
    assert 'term="non-communicant" label="non communicant"' in feed
    assert "Statut de bilan aujourd’hui : non communicant." in feed


def test_the_verification_page_says_the_status(client, signatories):
    today = local_today()
    fine = company_due_on(signatories, today + timedelta(days=60), "A jour")
    mute = company_due_on(signatories, add_months(today - timedelta(days=3), -12), "Muet")

    def verdict(org) -> str:
        number = db.session.scalar(select(Certificate.number).where(
            Certificate.signature_id == org.signature.id))
        return text(client.get(f"/verifier/{number}"))

    assert "Attestation valide — bilan à jour." in verdict(fine)
    since = today - timedelta(days=3)
    assert (f"Attestation valide — non communicant depuis le {written_date(since)}."
            in verdict(mute))


class TestReminders:
    @pytest.fixture
    def app_config(self, smtp_app_config):
        return smtp_app_config

    @pytest.fixture
    def alpha(self, alpha, smtp_server):
        smtp_server.deliver_set_up()
        return alpha

    def send(self, app, day: date) -> str:
        result = app.test_cli_runner().invoke(args=["reminders", "send", "--today",
                                                    day.isoformat()])
        assert result.exit_code == 0, result.output
        db.session.expire_all()
        return result.output

    def test_30_then_7_days_before_each_once(self, app, alpha, smtp_server):
        assert self.send(app, date(2024, 12, 10)).startswith("0 organisation")
        assert "1 organisation(s) relancée(s)" in self.send(app, date(2024, 12, 11))
        first = smtp_server.wait_for(1)[0]
        assert first["To"] == alpha.owner.email
        assert "10 janvier 2025" in first["Subject"]
        assert f"/espace/organisations/{alpha.id}/engagements" in first.get_content()
        assert "dans 30 jours" in first.get_content()

        self.send(app, date(2024, 12, 11))
        self.send(app, date(2024, 12, 20))
        assert self.send(app, date(2025, 1, 3)).startswith("1 organisation")
        self.send(app, date(2025, 1, 3))
        self.send(app, date(2025, 1, 9))
        self.send(app, date(2025, 1, 20))  # overdue: no more reminders, the badge takes over

        messages = smtp_server.wait_for(2)
        assert len(messages) == 2
        assert messages[1]["Subject"].startswith("Dernier rappel")
        assert [(r.due_on, r.kind) for r in db.session.scalars(select(ReminderSent))] == [
            (date(2025, 1, 10), ReminderKind.DAYS_30), (date(2025, 1, 10), ReminderKind.DAYS_7)]

    def test_a_run_that_missed_the_30_day_window_sends_only_the_7_day_one(self, app, alpha,
                                                                          smtp_server):
        self.send(app, date(2025, 1, 5))
        assert [r.kind for r in db.session.scalars(select(ReminderSent))] == [ReminderKind.DAYS_7]
        assert len(smtp_server.wait_for(1)) == 1

    def test_a_reminder_recorded_by_a_concurrent_run_is_skipped(self, app, alpha, smtp_server):
        db.session.add(ReminderSent(organisation_id=alpha.id, due_on=date(2025, 1, 10),
                                    kind=ReminderKind.DAYS_30))
        db.session.commit()

        assert send_reminders(date(2024, 12, 20)) == 0
        assert count(ReminderSent) == 1

    def test_a_new_update_moves_the_due_date_and_the_reminders(self, app, alpha, smtp_server):
        self.send(app, date(2024, 12, 11))
        filed_update(add_commitment(alpha), date(2024, 12, 15))
        self.send(app, date(2025, 1, 5))
        assert count(ReminderSent) == 1
        self.send(app, date(2025, 11, 20))
        assert [(r.due_on, r.kind) for r in db.session.scalars(
            select(ReminderSent).order_by(ReminderSent.id))][-1] == (
            date(2025, 12, 15), ReminderKind.DAYS_30)

    def test_a_malformed_date_is_refused(self, app):
        result = app.test_cli_runner().invoke(args=["reminders", "send", "--today", "demain"])
        assert result.exit_code == 2 and "AAAA-MM-JJ" in result.output

    def test_one_reminder_30_days_after_the_due_date_never_twice(self, app, alpha, smtp_server):
        for day in (date(2025, 1, 11), date(2025, 2, 8)):  # 1 and 29 days late: nothing yet
            assert self.send(app, day).startswith("0 organisation")
        assert "1 organisation(s) relancée(s)" in self.send(app, date(2025, 2, 9))
        self.send(app, date(2025, 2, 9))
        self.send(app, date(2025, 6, 1))

        late = smtp_server.wait_for(1)
        assert len(late) == 1
        assert late[0]["Subject"].startswith("Bilan en retard")
        assert "il y a 30 jours" in late[0].get_content()
        assert "10 janvier 2026" in late[0].get_content()  # non-communicating from then
        assert [r.kind for r in db.session.scalars(select(ReminderSent))] == [
            ReminderKind.AFTER_30]

    def test_a_late_run_sends_the_reminder_after_the_due_date_the_next_days(self, app, alpha,
                                                                           smtp_server):
        assert self.send(app, date(2025, 3, 20)).startswith("1 organisation")  # cron was down
        assert [r.kind for r in db.session.scalars(select(ReminderSent))] == [
            ReminderKind.AFTER_30]

    def test_no_reminder_once_non_communicating(self, app, alpha, smtp_server):
        assert self.send(app, date(2026, 1, 10)).startswith("0 organisation")
        assert count(ReminderSent) == 0
