"""Moderators hide a commitment or an update with a reason: audited, gone from public views."""

from datetime import date

import pytest
from sqlalchemy import func, select

from charter_service.accounts.models import Role
from charter_service.audit.models import AuditEntry
from charter_service.audit.services import verify
from charter_service.commitments import progress
from charter_service.commitments.models import Commitment, ProgressUpdate
from charter_service.extensions import db

from .helpers import add_commitment, text


@pytest.fixture
def moderator(make):
    return make.user(role=Role.MODERATOR)


@pytest.fixture
def published(alpha):
    commitment = add_commitment(alpha, title="Engagement contesté")
    update = progress.add_progress(commitment, progress.ProgressData(
        reported_on=date(2025, 2, 1), text="Avancement douteux"), alpha.owner)
    db.session.commit()
    return commitment, update


@pytest.fixture
def since(published) -> int:
    """The audit chain's last seq once set up (the approval is audited too)."""
    return db.session.scalar(select(func.coalesce(func.max(AuditEntry.seq), 0)))


def public_views(client, alpha, version) -> str:
    return (text(client.get(f"/organisations/{alpha.organisation.slug}"))
            + client.get("/api/v1/commitments").get_data(as_text=True)
            + text(client.get("/charte")))


def audit_actions(after: int) -> list[tuple[str, str, str]]:
    return [(e.action, e.object_type, e.object_id) for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq))]


def test_hiding_a_commitment_removes_it_from_page_api_and_counts(client, login, alpha, version,
                                                                 moderator, published, since):
    commitment, _ = published
    assert "Engagement contesté" in public_views(client, alpha, version)
    assert "1 engagement public" in text(client.get("/charte"))
    login(moderator)

    response = client.post(f"/moderation/engagements/{commitment.id}/masquer",
                           data={"engagement-reason": "Allégation invérifiable"})

    assert response.status_code == 302
    db.session.expire_all()
    hidden = db.session.get(Commitment, commitment.id)
    assert hidden.hidden_reason == "Allégation invérifiable" and hidden.hidden_by_id == moderator.id
    assert audit_actions(since) == [("commitment.hide", "commitment", str(commitment.id))]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.seq > since)).one()
    assert "Allégation invérifiable" in entry.personal
    assert verify().ok
    views = public_views(client, alpha, version)
    assert "Engagement contesté" not in views and "Avancement douteux" not in views
    assert "1 engagement public" not in text(client.get("/charte"))
    login(alpha.owner)
    space = text(client.get(f"{alpha.base}/{commitment.id}"))
    assert "masqué cet engagement" in space and "Allégation invérifiable" in space

    login(moderator)
    client.post(f"/moderation/engagements/{commitment.id}/afficher")

    assert audit_actions(since)[-1] == ("commitment.unhide", "commitment", str(commitment.id))
    assert "Engagement contesté" in public_views(client, alpha, version)


def test_hiding_an_update(client, login, alpha, version, moderator, published, since):
    commitment, update = published
    login(moderator)
    page = text(client.get(f"/moderation/engagements/{commitment.id}"))
    assert "Avancement douteux" in page

    client.post(f"/moderation/avancements/{update.id}/masquer",
                data={f"avancement-{update.id}-reason": "Données personnelles"})

    db.session.expire_all()
    assert db.session.get(ProgressUpdate, update.id).hidden_at is not None
    assert audit_actions(since) == [("progress.hide", "progress_update", str(update.id))]
    views = public_views(client, alpha, version)
    assert "Avancement douteux" not in views and "Engagement contesté" in views
    assert "Données personnelles" in text(client.get("/moderation/engagements"))

    client.post(f"/moderation/avancements/{update.id}/afficher")
    assert "Avancement douteux" in public_views(client, alpha, version)
    assert audit_actions(since)[-1][0] == "progress.unhide"


def test_a_reason_is_required(client, login, moderator, published, since):
    commitment, _ = published
    login(moderator)

    response = client.post(f"/moderation/engagements/{commitment.id}/masquer",
                           data={"engagement-reason": "   "})

    assert response.status_code == 200
    assert "Indiquez le motif" in text(response)
    db.session.expire_all()
    assert db.session.get(Commitment, commitment.id).hidden_at is None
    assert audit_actions(since) == []


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/moderation/engagements"),
    ("GET", "/moderation/engagements/{c}"),
    ("POST", "/moderation/engagements/{c}/masquer"),
    ("POST", "/moderation/engagements/{c}/afficher"),
    ("POST", "/moderation/avancements/{u}/masquer"),
    ("POST", "/moderation/avancements/{u}/afficher"),
])
def test_members_cannot_moderate(client, login, alpha, published, since, method, path):
    commitment, update = published
    login(alpha.owner)

    response = client.open(path.format(c=commitment.id, u=update.id), method=method,
                           data={"engagement-reason": "x", f"avancement-{update.id}-reason": "x"})

    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Commitment, commitment.id).hidden_at is None
    assert audit_actions(since) == []


def test_forged_ids_answer_404_to_moderators(client, login, moderator):
    login(moderator)
    for path in ("/moderation/engagements/987654/masquer",
                 "/moderation/avancements/987654/afficher"):
        assert client.post(path, data={"engagement-reason": "x"}).status_code == 404
