import html

import pytest
from sqlalchemy import func, select

from charter_service.charters.services import current_version
from charter_service.commitments.completeness import criteria
from charter_service.commitments.models import (
    Commitment,
    CommitmentPartner,
    PartnerStatus,
    ProgressUpdate,
    Visibility,
)
from charter_service.commitments.progress import local_today
from charter_service.commitments.queries import approved_organisation_ids, public_commitment_counts
from charter_service.commitments.reporting import ReportStatus, reporting_statuses
from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage
from charter_service.organisations.models import Organisation

from .test_demo_load import demo_load

COUNTED = (Commitment, CommitmentPartner, ProgressUpdate)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def loaded(read_only_world):
    """The demo's output, loaded once for the tests of this module that only read it."""
    return read_only_world(demo_load)


def test_commitments_are_recorded_for_about_ten_approved_signatories(loaded):
    commitments = list(db.session.scalars(select(Commitment)))
    owners = {c.organisation_id for c in commitments}
    approved = set(db.session.scalars(approved_organisation_ids()))
    assert len(commitments) >= 10 and 8 <= len(owners) <= 14
    assert owners <= approved
    assert "Engagements créés : 14." in loaded
    version = current_version()
    for c in commitments:
        assert c.charter_version_id == version.id and c.principles and c.sdgs and c.domains
        assert c.indicators and all(i.target is not None for i in c.indicators)
        for update in c.updates:
            assert c.created_at <= update.created_at, c.title
    assert {c.visibility for c in commitments} == set(Visibility)
    assert sum(c.visibility == Visibility.PRIVATE for c in commitments) <= 2
    assert count(ProgressUpdate) >= 10
    assert sum(public_commitment_counts(version).values()) >= 10


def test_a_few_commitments_say_what_they_mobilise(loaded):
    """Resources, deliverables, a target date and SDG targets, each complete by the hint."""
    resourced = [c for c in db.session.scalars(select(Commitment)) if c.resources]
    assert len(resourced) == 3
    for c in resourced:
        assert c.deliverables and c.target_on and c.target_on >= c.start_on
        assert c.sdg_targets and {int(code.split(".")[0]) for code in c.sdg_targets} <= set(
            c.sdgs)
        met = {criterion.key: criterion.met for criterion in criteria(c)}
        assert met["resourced"] and met["dated"] and met["measurable"], c.title


def test_joint_commitments_are_confirmed_and_an_outside_partner_is_named(loaded):
    rows = list(db.session.scalars(select(CommitmentPartner)))
    confirmed = [p for p in rows if p.status == PartnerStatus.CONFIRMED]
    assert len(confirmed) == 2
    for partner in confirmed:
        assert partner.decided_at > partner.invited_at
        assert partner.organisation_id != partner.commitment.organisation_id
    assert [p.outside_name for p in rows if p.status is None] == [
        "Groupement des maraîchers des Monts du Lyonnais"]
    assert count(OutboxMessage) == 0  # no invitation e-mail to the fictional addresses


def test_public_page_shows_public_commitments_only(loaded, client):
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.slug == "commune-de-montclair-en-lyonnais"))
    by_visibility = {c.visibility: c for c in db.session.scalars(
        select(Commitment).where(Commitment.organisation_id == organisation.id))}

    response = client.get(f"/organisations/{organisation.slug}")

    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert by_visibility[Visibility.PUBLIC].title in page
    assert "Jardins de la Colline rousse" in page
    assert by_visibility[Visibility.PRIVATE].title not in page


def test_one_approved_signatory_is_late_with_its_report(loaded):
    organisation_ids = list(db.session.scalars(approved_organisation_ids().distinct()))
    statuses = reporting_statuses(organisation_ids, local_today())
    late = {i for i, s in statuses.items() if s.late}
    slugs = dict(db.session.execute(select(Organisation.id, Organisation.slug)).all())
    assert {slugs[i] for i in late} == {"atelier-tisserand-et-fils"}
    status = statuses[next(iter(late))]
    assert status.status == ReportStatus.LATE  # « en retard », not yet « non communicant »
    assert (local_today() - status.due_on).days > 100


def test_loading_twice_creates_no_commitment(app):
    demo_load(app)
    before = {model.__name__: count(model) for model in COUNTED}

    second = demo_load(app)

    assert {model.__name__: count(model) for model in COUNTED} == before
    assert "Engagements créés : 0." in second
