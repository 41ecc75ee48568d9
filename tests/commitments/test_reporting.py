"""Annual reporting: the due date, lateness, « bilan en retard », and the e-mailed reminders."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from charter_service.commitments import moderation, progress
from charter_service.commitments.models import ProgressUpdate, ReminderKind, ReminderSent
from charter_service.commitments.progress import local_today
from charter_service.commitments.reporting import (
    ReportingStatus,
    add_months,
    reporting_status,
    send_reminders,
)
from charter_service.extensions import db
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
    return approved_on(signatories, APPROVED, name="Alpha Coopérative")  # due on 2025-01-10


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


@pytest.mark.parametrize(("today", "days_late", "late"), [
    (date(2024, 6, 1), 0, False),
    (date(2025, 1, 10), 0, False),
    (date(2025, 1, 11), 1, False),
    (date(2025, 4, 10), 90, False),
    (date(2025, 4, 11), 91, True),
])
def test_due_a_year_after_approval_and_late_beyond_90_days(alpha, today, days_late, late):
    assert reporting_status(alpha.organisation, today) == ReportingStatus(
        date(2025, 1, 10), days_late, late)


def test_each_update_restarts_the_year_from_the_day_it_was_filed(alpha):
    commitment = add_commitment(alpha)
    filed_update(commitment, date(2024, 11, 5), reported=date(2024, 2, 1))

    status = reporting_status(alpha.organisation, date(2025, 12, 1))

    assert status.due_on == date(2025, 11, 5)
    assert status.days_late == 26


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

    assert status.due_on == add_months(first_approval, 12)


def _register_rows(client) -> dict[str, str]:
    """{name: the row's text} of the register's first page."""
    body = client.get("/registre").get_data(as_text=True)
    rows = re.findall(r'<li class="register-row">(.*?)</li>', body, re.DOTALL)
    return {re.search(r"<a [^>]+>([^<]+)</a>", row).group(1): row for row in rows}


def test_the_register_labels_late_signatories_until_a_report_is_filed(client, signatories, make):
    today = local_today()
    late = approved_on(signatories, add_months(today - timedelta(days=91), -12), name="En retard")
    approved_on(signatories, add_months(today - timedelta(days=89), -12), name="Presque")
    commitment = add_commitment(late)
    rows = _register_rows(client)
    assert "bilan en retard" in rows["En retard"]
    assert "bilan en retard" not in rows["Presque"]

    update = progress.add_progress(commitment, progress.ProgressData(today, "Bilan de l'année"),
                                   late.owner)
    db.session.commit()
    assert "bilan en retard" not in _register_rows(client)["En retard"]

    moderation.hide(update, "Contenu hors sujet", make.user(role="moderator"))
    db.session.commit()
    assert "bilan en retard" in _register_rows(client)["En retard"]


def test_late_badge_on_the_public_page_only_after_90_days(client, signatories):
    today = date.today()
    due_91_days_ago = add_months(today - timedelta(days=91), -12)
    late = approved_on(signatories, due_91_days_ago, name="En retard")
    due_89_days_ago = add_months(today - timedelta(days=89), -12)
    slow = approved_on(signatories, due_89_days_ago, name="Presque")

    assert "bilan en retard" in text(client.get(f"/organisations/{late.organisation.slug}"))
    assert "bilan en retard" not in text(client.get(f"/organisations/{slow.organisation.slug}"))


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
