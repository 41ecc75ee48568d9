"""Escalation of a missing report: the moderators' list of non-communicating signatories, the
suspension « pour défaut de bilan » through the workflow, and its lifting by the next report."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from charter_service.audit.models import AuditEntry
from charter_service.certificates.models import Certificate, CertificateStatus
from charter_service.commitments import moderation, progress
from charter_service.commitments.models import ProgressUpdate, ReminderKind, ReminderSent
from charter_service.commitments.progress import local_today
from charter_service.commitments.reporting import add_months
from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage
from charter_service.moderation.missing_reports import ReportSuspension
from charter_service.organisations.models import OrganisationKind
from charter_service.signatures import workflow
from charter_service.signatures.models import SignatureStatus
from charter_service.signatures.revocation import RevocationLabel

from .helpers import add_commitment, count, text

URL = "/moderation/bilans-manquants"


def at_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def company_due_on(signatories, due: date, name: str):
    """A company (yearly report) whose report is due on `due`."""
    return signatories.new(decided_at=at_noon(add_months(due, -12)), name=name,
                           kind=OrganisationKind.ENTREPRISE)


@pytest.fixture
def moderator(make):
    return make.user(role="moderator")


@pytest.fixture
def mute(signatories):
    """Non-communicating for 3 days: due 12 months and 3 days ago, in Paris, today."""
    return company_due_on(signatories, add_months(local_today() - timedelta(days=3), -12),
                          "Muet Industries")


def suspend(client, login, moderator, signatory):
    login(moderator)
    signature = signatory.signature
    return client.post(f"{URL}/{signature.id}/suspendre",
                       data={f"s{signature.id}-lock_version": str(signature.lock_version)})


def actions(signature) -> list[tuple[str, int | None, str]]:
    return [(e.action, e.actor_id, e.reason) for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "signature",
                                 AuditEntry.object_id == str(signature.id))
        .order_by(AuditEntry.seq))]


def certificates(signature) -> list[tuple[CertificateStatus, RevocationLabel | None]]:
    return [(c.status, c.revocation_label) for c in db.session.scalars(
        select(Certificate).where(Certificate.signature_id == signature.id)
        .order_by(Certificate.id))]


def test_the_list_shows_the_non_communicating_only(client, login, moderator, signatories,
                                                   mute):
    today = local_today()
    company_due_on(signatories, today - timedelta(days=10), "Retard Simple")
    db.session.add(ReminderSent(organisation_id=mute.id, due_on=mute_due(mute),
                                kind=ReminderKind.AFTER_30))
    db.session.commit()
    login(moderator)
    page = text(client.get(URL))
    assert "Muet Industries" in page and "Retard Simple" not in page
    assert "1 signataire non communicant" in page
    assert "aucun" in page  # no report ever
    assert "1 rappel" in page
    assert "Suspendre pour défaut de bilan" in page
    assert 'href="/moderation/bilans-manquants"' in text(client.get("/moderation/"))


def mute_due(mute) -> date:
    return add_months(mute.signature.decided_at.date(), 12)


def test_members_and_visitors_cannot_reach_it(client, login, mute):
    assert client.get(URL).status_code == 302  # to the log-in page
    login(mute.owner)
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}/{mute.signature.id}/suspendre").status_code == 403
    assert mute.signature.status == SignatureStatus.APPROVED


def test_the_suspension_goes_through_the_workflow_and_the_next_report_lifts_it(
        client, login, moderator, mute):
    commitment = add_commitment(mute)
    response = suspend(client, login, moderator, mute)
    assert response.status_code == 302
    db.session.expire_all()
    signature = mute.signature
    assert signature.status == SignatureStatus.SUSPENDED
    assert actions(signature)[-1] == ("signature.suspend", moderator.id, "missing_report")
    # The neutral public wording, the attestation revoked, the organisation told.
    assert certificates(signature)[-1] == (CertificateStatus.REVOKED, RevocationLabel.SUSPENDED)
    assert "Signature suspendue par la Fondation des Territoires" in text(
        client.get(f"/organisations/{mute.organisation.slug}"))
    mails = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.body_text.contains("défaut de bilan"))).all()
    assert mute.owner.email in {m.recipient for m in mails}
    assert count(ReportSuspension) == 1
    assert "Muet Industries" in text(client.get(URL))  # among those suspended

    progress.add_progress(commitment, progress.ProgressData(local_today(), "Bilan de l’année."),
                          mute.owner)
    db.session.commit()
    db.session.expire_all()
    assert signature.status == SignatureStatus.APPROVED
    assert actions(signature)[-1][:2] == ("signature.reinstate", mute.owner.id)
    assert [a for a, _actor, _reason in actions(signature)].count("signature.reinstate") == 1
    assert certificates(signature)[-1][0] in (CertificateStatus.VALID, CertificateStatus.ISSUING)
    assert count(ReportSuspension) == 0
    # Up to date again: the clock runs from the report.
    assert "Bilan à jour" in text(client.get(f"/organisations/{mute.organisation.slug}"))


def test_a_moderators_other_suspension_is_not_lifted_by_a_report(make, moderator, mute):
    commitment = add_commitment(mute)
    make.decide(mute.signature, workflow.Transition.SUSPEND, by=moderator, reason="Vérification")
    progress.add_progress(commitment, progress.ProgressData(local_today(), "Bilan."), mute.owner)
    db.session.commit()
    assert mute.signature.status == SignatureStatus.SUSPENDED


def test_a_manual_reinstatement_ends_the_cause(client, login, make, moderator, mute):
    commitment = add_commitment(mute)
    suspend(client, login, moderator, mute)
    db.session.expire_all()
    make.decide(mute.signature, workflow.Transition.REINSTATE, by=moderator)
    assert count(ReportSuspension) == 0
    make.decide(mute.signature, workflow.Transition.SUSPEND, by=moderator, reason="Autre motif")
    progress.add_progress(commitment, progress.ProgressData(local_today(), "Bilan."), mute.owner)
    db.session.commit()
    assert mute.signature.status == SignatureStatus.SUSPENDED


def test_showing_a_hidden_report_again_lifts_it_the_system_acting(client, login, moderator,
                                                                  mute):
    commitment = add_commitment(mute)
    update = ProgressUpdate(commitment=commitment, reported_on=local_today(), text="Bilan",
                            created_at=at_noon(local_today()))
    db.session.add(update)
    db.session.commit()
    moderation.hide(update, "Hors sujet", moderator)
    db.session.commit()
    suspend(client, login, moderator, mute)
    db.session.expire_all()
    assert mute.signature.status == SignatureStatus.SUSPENDED
    moderation.unhide(update, moderator)
    db.session.commit()
    db.session.expire_all()
    assert mute.signature.status == SignatureStatus.APPROVED
    assert actions(mute.signature)[-1][:2] == ("signature.reinstate", None)


def test_a_signatory_no_longer_non_communicating_is_not_suspended(client, login, moderator,
                                                                  mute):
    commitment = add_commitment(mute)
    progress.add_progress(commitment, progress.ProgressData(local_today(), "Bilan."), mute.owner)
    db.session.commit()
    response = suspend(client, login, moderator, mute)
    assert response.status_code == 302
    db.session.expire_all()
    assert mute.signature.status == SignatureStatus.APPROVED
    assert "n’est plus non communicante" in text(client.get(URL))
    assert count(ReportSuspension) == 0


def test_a_stale_form_changes_nothing(client, login, moderator, mute):
    login(moderator)
    signature = mute.signature
    client.post(f"{URL}/{signature.id}/suspendre",
                data={f"s{signature.id}-lock_version": str(signature.lock_version - 1)})
    db.session.expire_all()
    assert signature.status == SignatureStatus.APPROVED
    assert count(ReportSuspension) == 0
