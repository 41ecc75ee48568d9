"""Merging duplicates: everything moves to the organisation kept, audited; conflicts refused."""

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from charter_service.audit.models import AuditEntry
from charter_service.audit.services import verify
from charter_service.charters.models import VersionStatus
from charter_service.commitments.models import (
    Category,
    Commitment,
    CommitmentPartner,
    PartnerStatus,
    ProgressUpdate,
    Scale,
    UpdateConfirmation,
)
from charter_service.extensions import db
from charter_service.organisations.models import Invitation, MemberRole, Membership, Organisation
from charter_service.signatures.models import Signature, SignatureStatus

from .conftest import audit_count, last_seq, text

S = SignatureStatus


@pytest.fixture
def people(make):
    return {name: make.user(f"{name}@example.org", full_name=name.title())
            for name in ("alice", "bruno", "chloe", "dora")}


@pytest.fixture
def pair(make, people):
    """Two records of one association: Chloé is a member of both (owner of the second)."""
    kept = make.organisation(name="Jardins partagés de Lyon", owner=people["alice"],
                             members=[people["chloe"]], rna="W691000001")
    removed = make.organisation(name="Les Jardins Partages de Lyon", owner=people["bruno"],
                                members=[people["dora"]])
    db.session.add(Membership(user=people["chloe"], organisation=removed, role=MemberRole.OWNER))
    db.session.add(Invitation(organisation=removed, email="eve@example.org",
                              role=MemberRole.MEMBER, invited_by=people["bruno"]))
    db.session.commit()
    return kept, removed


def _merge(client, kept, removed, keep=None):
    return client.post(f"/moderation/organisations/fusion?a={kept.id}&b={removed.id}",
                       data={"keep": str((keep or kept).id)})


def _roles(organisation_id):
    return {m.user.email: m.role for m in db.session.scalars(
        select(Membership).where(Membership.organisation_id == organisation_id))}


def test_the_comparison_page_shows_both(as_moderator, pair):
    kept, removed = pair
    page = text(as_moderator.get(f"/moderation/organisations/fusion?a={kept.id}&b={removed.id}"))
    assert "Jardins partagés de Lyon" in page and "Les Jardins Partages de Lyon" in page
    assert f'value="{kept.id}"' in page and f'value="{removed.id}"' in page


def test_merge_moves_members_signatures_invitations_and_is_audited(
        as_moderator, moderator, pair, make, version, people):
    kept, removed = pair
    old = make.version(number=2, status=VersionStatus.ARCHIVED)
    moved_signature = make.signature(removed, version)
    closed = make.signature(removed, old, status=S.REJECTED)
    kept_id, removed_id = kept.id, removed.id
    start = last_seq()

    response = _merge(as_moderator, kept, removed)

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, removed_id) is None
    assert _roles(kept_id) == {"alice@example.org": MemberRole.OWNER,
                               "chloe@example.org": MemberRole.OWNER,  # the stronger role
                               "bruno@example.org": MemberRole.OWNER,
                               "dora@example.org": MemberRole.MEMBER}
    assert {s.id for s in db.session.scalars(
        select(Signature).where(Signature.organisation_id == kept_id))} == {
        moved_signature.id, closed.id}
    assert db.session.scalar(select(Invitation.organisation_id)) == kept_id
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.seq > start)).one()
    assert (entry.action, entry.object_type, entry.object_id) == (
        "organisation.merge", "organisation", str(kept_id))
    assert entry.actor_id == moderator.id
    before, after = json.loads(entry.before), json.loads(entry.after)
    assert before["removed"] == {"members": 3, "signatures": 2, "invitations": 1}
    assert before["kept"] == {"members": 2, "signatures": 0, "invitations": 0}
    assert after == {"kept_id": kept_id, "removed_id": removed_id, "members": 4,
                     "signatures": 2, "invitations": 1, "members_moved": 2,
                     "memberships_merged": 1, "signatures_moved": 2, "invitations_moved": 1}
    assert verify().ok
    assert "a été fusionnée dans" in text(as_moderator.get(response.location))


def test_the_moderator_chooses_which_one_is_kept(as_moderator, pair):
    kept, removed = pair
    kept_id, removed_id = kept.id, removed.id
    _merge(as_moderator, kept, removed, keep=removed)
    db.session.expire_all()
    assert db.session.get(Organisation, kept_id) is None
    assert db.session.get(Organisation, removed_id).name == "Les Jardins Partages de Lyon"
    assert len(_roles(removed_id)) == 4


@pytest.mark.parametrize("other_status", [S.PENDING, S.APPROVED, S.CHANGES_REQUESTED,
                                          S.SUSPENDED])
def test_two_live_signatures_on_one_version_refuse_the_merge(as_moderator, pair, make, version,
                                                             other_status):
    kept, removed = pair
    first = make.signature(kept, version, status=S.APPROVED)
    second = make.signature(removed, version, status=other_status)
    start = last_seq()

    response = _merge(as_moderator, kept, removed)

    page = text(response)
    assert response.status_code == 200 and "Fusion impossible" in page
    assert f"signature n° {first.id}" in page and f"signature n° {second.id}" in page
    assert "version 1" in page
    db.session.expire_all()
    assert db.session.get(Organisation, removed.id) is not None
    assert _roles(removed.id)["bruno@example.org"] == MemberRole.OWNER
    assert db.session.get(Signature, second.id).organisation_id == removed.id
    assert audit_count(after=start) == 0


def test_a_closed_signature_on_the_same_version_does_not_block(as_moderator, pair, make,
                                                               version):
    kept, removed = pair
    make.signature(kept, version, status=S.APPROVED)
    make.signature(removed, version, status=S.WITHDRAWN)
    assert _merge(as_moderator, kept, removed).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 1


def test_commitments_and_partnerships_follow(as_moderator, pair, make, version, people):
    kept, removed = pair
    third = make.organisation(name="Ville voisine")
    commitment = Commitment(organisation=removed, charter_version=version, title="Compost",
                            category=Category.PRATIQUES_RESPONSABLES, scale=Scale.LOCAL,
                            start_on=date(2026, 1, 1))
    joint = Commitment(organisation=third, charter_version=version, title="Fête des jardins",
                       category=Category.COOPERATION_ECONOMIQUE, scale=Scale.LOCAL,
                       start_on=date(2026, 1, 1))
    db.session.add_all([commitment, joint])
    db.session.flush()
    for partner in (kept, removed):  # both records were invited: one partnership remains
        db.session.add(CommitmentPartner(commitment=joint, organisation=partner,
                                         status=PartnerStatus.INVITED))
    db.session.commit()

    _merge(as_moderator, kept, removed)

    db.session.expire_all()
    assert db.session.get(Commitment, commitment.id).organisation_id == kept.id
    partners = db.session.scalars(select(CommitmentPartner)).all()
    assert [p.organisation_id for p in partners] == [kept.id]
    after = json.loads(db.session.scalars(select(AuditEntry)).one().after)
    assert after["commitments_moved"] == 1
    assert after["commitment_partners_merged"] == 1


@pytest.mark.parametrize("query", ["a=1&b=1", "a=987654&b=1", "a=x&b=2", ""])
def test_forged_or_identical_ids_answer_404(as_moderator, pair, query):
    kept, _ = pair
    query = query.replace("b=1", f"b={kept.id}").replace("a=1", f"a={kept.id}")
    assert as_moderator.get(f"/moderation/organisations/fusion?{query}").status_code == 404
    assert as_moderator.post(f"/moderation/organisations/fusion?{query}",
                             data={"keep": str(kept.id)}).status_code == 404


def test_a_choice_outside_the_pair_changes_nothing(as_moderator, pair, make):
    kept, removed = pair
    stranger = make.organisation()
    response = as_moderator.post(f"/moderation/organisations/fusion?a={kept.id}&b={removed.id}",
                                 data={"keep": str(stranger.id)})
    assert response.status_code == 200 and 'aria-describedby="keep-error"' in text(response)
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 3
    assert audit_count() == 0


def test_a_commitment_the_kept_record_was_partner_of_has_no_partnership_with_its_owner(
        as_moderator, pair, make, version):
    """The kept record, invited as partner of the removed record's commitment, owns it after
    the merge: an organisation is not its own partner, nor does it confirm its own updates."""
    kept, removed = pair
    commitment = Commitment(organisation=removed, charter_version=version, title="Compost",
                            category=Category.PRATIQUES_RESPONSABLES, scale=Scale.LOCAL,
                            start_on=date(2026, 1, 1))
    db.session.add(commitment)
    db.session.flush()
    db.session.add(CommitmentPartner(commitment=commitment, organisation=kept,
                                     status=PartnerStatus.CONFIRMED,
                                     decided_at=datetime(2026, 2, 1, tzinfo=UTC)))
    update = ProgressUpdate(commitment_id=commitment.id, reported_on=date(2026, 3, 1),
                            text="Premier bilan")
    db.session.add(update)
    db.session.flush()
    db.session.add(UpdateConfirmation(update_id=update.id, organisation_id=kept.id))
    db.session.commit()

    assert _merge(as_moderator, kept, removed).status_code == 302

    db.session.expire_all()
    assert db.session.get(Commitment, commitment.id).organisation_id == kept.id
    assert db.session.scalars(select(CommitmentPartner)).all() == []
    assert db.session.scalars(select(UpdateConfirmation)).all() == []
    after = json.loads(db.session.scalars(select(AuditEntry)).one().after)
    assert (after["own_partnerships_dropped"], after["own_confirmations_dropped"]) == (1, 1)
    assert verify().ok
