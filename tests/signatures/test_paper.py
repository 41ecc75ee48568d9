"""A signature received outside the site, recorded by a moderator (signatures/paper.py): what is
stored, audited and sent; its refusals; its decisions through the one workflow; the channel on
the attestation and in the audit trail."""

import json
import shutil
import subprocess
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from charter_service.accounts.models import Role
from charter_service.audit.models import AuditEntry
from charter_service.certificates.data import signatory_facts
from charter_service.certificates.models import Certificate
from charter_service.charters.models import VersionStatus
from charter_service.dates import local_date
from charter_service.db_types import utcnow
from charter_service.domain import DomainError
from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage
from charter_service.signatures import paper
from charter_service.signatures.models import (
    Identification,
    PaperChannel,
    Signature,
    SignatureStatus,
)
from charter_service.signatures.notifications import recipients
from charter_service.signatures.workflow import Transition, apply
from tests.conftest import require


@pytest.fixture
def moderator(make):
    return make.user("moderatrice@fondation.example.org", role=Role.MODERATOR,
                     full_name="Mona Modératrice")


@pytest.fixture
def version(make):
    version = make.version(number=1)
    version.published_at = utcnow() - timedelta(days=30)
    db.session.commit()
    return version


@pytest.fixture
def bare(make):
    """An organisation without any member, as a moderator creates it from paper."""
    return make.organisation(name="Commune de Papier-sur-Loire")


def _paper(small_pdf, days_ago=3, **changes) -> paper.PaperSignature:
    data = {"channel": PaperChannel.DELIBERATION,
            "signed_on": local_date(utcnow()) - timedelta(days=days_ago),
            "signatory_name": "Jeanne Martin", "signatory_function": "Maire",
            "signatory_email": "", "proof_filename": "deliberation.pdf", "proof_pdf": small_pdf,
            "owner_emails": ("secretariat@papier.example.org",)}
    data.update(changes)
    return paper.PaperSignature(**data)


def _entries(signature) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "signature", AuditEntry.object_id == str(signature.id))
        .order_by(AuditEntry.seq)))


def test_recording_stores_a_pending_paper_signature_audited_with_who_recorded_it(
        bare, version, moderator, small_pdf):
    signature = paper.record(bare, version, _paper(small_pdf), moderator)
    db.session.commit()
    assert signature.status == SignatureStatus.PENDING
    assert (signature.identification, signature.paper_channel) == (
        Identification.PAPER, PaperChannel.DELIBERATION)
    assert signature.deliberation_pdf == small_pdf
    assert local_date(signature.signed_at) == local_date(utcnow()) - timedelta(days=3)
    [entry] = _entries(signature)
    assert (entry.action, entry.actor_id) == ("signature.record_paper", moderator.id)
    assert json.loads(entry.after)["channel"] == "deliberation"
    assert json.loads(entry.personal)["message"].startswith(
        "Signée par Jeanne Martin, Maire, le ")
    assert json.loads(entry.personal)["message"].endswith(
        "(signature reçue par délibération du conseil) ; enregistrée par Mona Modératrice")


def test_the_future_owners_are_invited_and_nothing_goes_to_a_missing_address(
        bare, version, moderator, small_pdf):
    paper.record(bare, version, _paper(small_pdf, owner_emails=(
        "a@papier.example.org", "A@papier.example.org", "b@papier.example.org")), moderator)
    db.session.commit()
    sent = db.session.scalars(select(OutboxMessage)).all()
    invited = sorted(m.recipient for m in sent if "Prenez en main" in m.subject
                     or "prenez en main" in m.subject)
    assert invited == ["a@papier.example.org", "b@papier.example.org"]
    assert all(m.recipient for m in sent)


def test_a_signature_made_today_is_not_dated_in_the_future(bare, version, moderator,
                                                           small_pdf):
    signature = paper.record(bare, version, _paper(small_pdf, days_ago=0), moderator)
    assert signature.signed_at <= utcnow()
    assert local_date(signature.signed_at) == local_date(utcnow())


@pytest.mark.parametrize(("days_ago", "message"), [
    (-1, "ne peut pas être dans le futur"),
    (31, "a été publiée le"),
])
def test_a_date_in_the_future_or_before_publication_is_refused(bare, version, moderator,
                                                               small_pdf, days_ago, message):
    with pytest.raises(DomainError, match=message) as refused:
        paper.record(bare, version, _paper(small_pdf, days_ago=days_ago), moderator)
    assert refused.value.field == "signed_on"


@pytest.mark.parametrize("status", [VersionStatus.ARCHIVED, VersionStatus.DRAFT])
def test_only_the_published_version_can_be_recorded(make, bare, version, moderator,
                                                    small_pdf, status):
    other = make.version(number=2, status=status)
    with pytest.raises(DomainError, match="n’est pas celle qui est publiée") as refused:
        paper.record(bare, other, _paper(small_pdf), moderator)
    assert refused.value.field == "version"


def test_an_organisation_without_owner_needs_someone_to_invite(bare, version, moderator,
                                                               small_pdf):
    with pytest.raises(DomainError, match="au moins une personne") as refused:
        paper.record(bare, version, _paper(small_pdf, owner_emails=()), moderator)
    assert refused.value.field == "owner_emails"


def test_a_live_signature_of_the_version_is_named_in_the_refusal(make, bare, version,
                                                                 moderator, small_pdf):
    existing = make.signature(bare, version)
    with pytest.raises(DomainError, match=f"n° {existing.id}") as refused:
        paper.record(bare, version, _paper(small_pdf), moderator)
    assert refused.value.field == "organisation"
    assert "Dominique Durand" in str(refused.value)


def test_it_is_decided_through_the_same_workflow_one_entry_per_state_change(
        bare, version, moderator, small_pdf):
    signature = paper.record(bare, version, _paper(small_pdf), moderator)
    db.session.commit()
    apply(signature, Transition.REQUEST_CHANGES, actor=moderator, reason="Page 2 manquante")
    db.session.commit()
    assert [e.action for e in _entries(signature)] == ["signature.record_paper",
                                                       "signature.request_changes"]


def test_the_attestation_facts_name_the_channel_and_no_preparer(bare, version, moderator,
                                                                small_pdf):
    signature = paper.record(bare, version, _paper(small_pdf, channel=PaperChannel.EVENT),
                             moderator)
    facts = signatory_facts(signature)
    assert facts["identification"] == "signature reçue lors d’un événement de signature"
    assert facts["prepared_by"] == ""


def test_the_decision_goes_to_the_owners_and_not_to_a_missing_address(make, bare, version,
                                                                      moderator, small_pdf):
    signature = paper.record(bare, version, _paper(small_pdf), moderator)
    assert recipients(signature) == []
    signature.signatory_email = "maire@papier.example.org"
    assert recipients(signature) == [("maire@papier.example.org", "fr")]


@pytest.mark.real_pdf
def test_the_approved_attestation_shows_the_channel(bare, version, moderator, small_pdf):
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    signature = paper.record(bare, version, _paper(small_pdf), moderator)
    db.session.commit()
    apply(signature, Transition.APPROVE, actor=moderator)
    db.session.commit()
    certificate = db.session.scalars(select(Certificate)).one()
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=certificate.pdf,
                                   capture_output=True, check=True).stdout.decode().split())
    assert "Jeanne Martin" in text and "Maire" in text
    assert "(signature reçue par délibération du conseil)" in text
    assert "préparée par" not in text


def test_the_database_requires_a_channel_exactly_for_paper_signatures(bare, version,
                                                                      moderator, small_pdf):
    signature = paper.record(bare, version, _paper(small_pdf), moderator)
    db.session.commit()
    signature.paper_channel = None
    with pytest.raises(IntegrityError, match="channel_if_paper"):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(Signature.paper_channel)) == PaperChannel.DELIBERATION
