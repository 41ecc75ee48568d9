"""move_commitments(): merging a duplicate organisation keeps its commitments and partnerships."""

from datetime import date

from sqlalchemy import select

from charter_service.commitments import partners, progress
from charter_service.commitments.models import (
    Commitment,
    CommitmentPartner,
    PartnerStatus,
    ReminderKind,
    ReminderSent,
    UpdateConfirmation,
)
from charter_service.commitments.services import move_commitments
from charter_service.extensions import db

from .helpers import add_commitment


def confirm(commitment, organisation_id):
    for partner in commitment.partners:
        if partner.organisation_id == organisation_id:
            partner.status, partner.decided_at = PartnerStatus.CONFIRMED, commitment.created_at


def test_move_commitments_merges_ownership_partnerships_and_confirmations(alpha, beta,
                                                                         signatories):
    duplicate, other = signatories.new(name="Alpha bis"), signatories.new(name="Autre")
    owned = add_commitment(duplicate, title="Du doublon")
    # The target was partner of the duplicate's commitment: it now owns it.
    partners.invite_partner(owned, alpha.id, duplicate.owner)
    # Both were partners of another commitment: one partnership remains.
    shared = add_commitment(other, title="Partagé")
    partners.invite_partner(shared, duplicate.id, other.owner)
    partners.invite_partner(shared, alpha.id, other.owner)
    # Only the duplicate was partner here, and confirmed an update.
    joint = add_commitment(beta, title="Avec Béta")
    partners.invite_partner(joint, duplicate.id, beta.owner)
    confirm(joint, duplicate.id)
    update = progress.add_progress(joint, progress.ProgressData(date(2025, 1, 1), "Bilan"),
                                   beta.owner)
    db.session.flush()
    progress.confirm_update(update, duplicate.organisation, duplicate.owner)
    db.session.add(ReminderSent(organisation_id=duplicate.id, due_on=date(2025, 1, 1),
                                kind=ReminderKind.DAYS_30))
    db.session.commit()

    moved = move_commitments(duplicate.organisation, alpha.organisation)
    db.session.commit()

    assert moved == 1
    assert db.session.get(Commitment, owned.id).organisation_id == alpha.id
    rows = {(p.commitment_id, p.organisation_id)
            for p in db.session.scalars(select(CommitmentPartner))}
    assert rows == {(shared.id, alpha.id), (joint.id, alpha.id)}
    assert [(c.update_id, c.organisation_id)
            for c in db.session.scalars(select(UpdateConfirmation))] == [(update.id, alpha.id)]
    assert db.session.scalars(select(ReminderSent)).all() == []
