"""Every transition tried from every state: allowed ones move and are audited, others change
nothing."""

import itertools

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from charter_service.accounts.models import Role
from charter_service.audit.models import AuditEntry
from charter_service.audit.services import verify
from charter_service.extensions import db
from charter_service.signatures.models import Signature, SignatureStatus
from charter_service.signatures.workflow import (
    InvalidTransition,
    ReasonRequired,
    StaleDecision,
    Transition,
    apply,
)

S, T = SignatureStatus, Transition
# Written out by hand from the design, not read from workflow.RULES: from each state, the
# transitions allowed and the state each leads to; every transition not listed is refused.
EXPECTED = {
    S.PENDING: {T.APPROVE: S.APPROVED, T.REJECT: S.REJECTED,
                T.REQUEST_CHANGES: S.CHANGES_REQUESTED, T.WITHDRAW: S.WITHDRAWN},
    S.CHANGES_REQUESTED: {T.RESUBMIT: S.PENDING, T.WITHDRAW: S.WITHDRAWN},
    S.APPROVED: {T.SUSPEND: S.SUSPENDED, T.WITHDRAW: S.WITHDRAWN},
    S.SUSPENDED: {T.REINSTATE: S.APPROVED, T.WITHDRAW: S.WITHDRAWN},
    S.REJECTED: {},
    S.WITHDRAWN: {},
    # Before moderation: the representative's link, not the workflow, moves these.
    S.AWAITING_REPRESENTATIVE: {},
    S.DECLINED: {},
}
# The decisions that need a reason, and a state each one starts from.
REASON_REQUIRED = {T.REJECT: S.PENDING, T.REQUEST_CHANGES: S.PENDING, T.SUSPEND: S.APPROVED}


def _audit_count(after: int = 0) -> int:
    """Entries about the signature itself (a decision may also issue or revoke a certificate),
    those after seq `after`: the set-up's decisions are audited too."""
    return db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.object_type == "signature",
                                                           AuditEntry.seq > after))


def _last_seq() -> int:
    return db.session.scalar(select(func.coalesce(func.max(AuditEntry.seq), 0)))


@pytest.fixture
def setup(make):
    moderator = make.user(role=Role.MODERATOR)
    organisation = make.organisation(owner=make.user())
    version = make.version()
    return moderator, organisation, version


def test_the_table_names_every_state():
    assert set(EXPECTED) == set(SignatureStatus)


@pytest.mark.parametrize("state,transition", list(itertools.product(SignatureStatus, Transition)))
def test_every_transition_from_every_state(setup, make, state, transition):
    moderator, organisation, version = setup
    signature = make.signature(organisation, version, status=state)
    start = _last_seq()
    target = EXPECTED[state].get(transition)
    if target is not None:
        apply(signature, transition, actor=moderator, reason="Motif précis", reason_code="autre",
              seen_version=signature.lock_version)
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(Signature, signature.id).status == target
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "signature",
                                     AuditEntry.seq > start)).one()
        assert entry.action == f"signature.{transition.value}"
        assert (entry.before, entry.after) == (f'{{"status":"{state.value}"}}',
                                               f'{{"status":"{target.value}"}}')
        assert verify().ok
    else:
        with pytest.raises(InvalidTransition):
            apply(signature, transition, actor=moderator, reason="Motif précis")
        db.session.rollback()
        assert db.session.get(Signature, signature.id).status == state
        assert _audit_count(after=start) == 0


@pytest.mark.parametrize("transition", list(REASON_REQUIRED))
def test_a_decision_without_its_required_reason_changes_nothing(setup, make, transition):
    moderator, organisation, version = setup
    state = REASON_REQUIRED[transition]
    signature = make.signature(organisation, version, status=state)
    start = _last_seq()
    with pytest.raises(ReasonRequired):
        apply(signature, transition, actor=moderator, reason="   ")
    db.session.rollback()
    assert db.session.get(Signature, signature.id).status == state
    assert _audit_count(after=start) == 0


@pytest.mark.parametrize("state,transition", [
    (state, transition) for state, allowed in EXPECTED.items() for transition in allowed
    if transition not in REASON_REQUIRED])
def test_the_other_transitions_need_no_reason(setup, make, state, transition):
    moderator, organisation, version = setup
    signature = make.signature(organisation, version, status=state)
    apply(signature, transition, actor=moderator)
    db.session.commit()
    assert db.session.get(Signature, signature.id).status == EXPECTED[state][transition]


def test_a_stale_form_is_refused(setup, make):
    moderator, organisation, version = setup
    signature = make.signature(organisation, version)
    seen = signature.lock_version
    apply(signature, Transition.APPROVE, actor=moderator, seen_version=seen)
    db.session.commit()
    with pytest.raises(StaleDecision):
        apply(signature, Transition.SUSPEND, actor=moderator, reason="x", seen_version=seen)
    db.session.rollback()
    assert db.session.get(Signature, signature.id).status == SignatureStatus.APPROVED
    assert _audit_count() == 1


def test_two_moderators_at_once_one_wins(app, setup, make):
    """Two sessions load the same pending signature; the second flush finds the row changed."""
    moderator, organisation, version = setup
    signature_id = make.signature(organisation, version).id
    with Session(db.engine) as second:
        theirs = second.get(Signature, signature_id)
        apply(db.session.get(Signature, signature_id), Transition.APPROVE, actor=moderator)
        db.session.commit()
        theirs.status = SignatureStatus.REJECTED
        with pytest.raises(StaleDataError):
            second.flush()
        second.rollback()
    db.session.expire_all()
    assert db.session.get(Signature, signature_id).status == SignatureStatus.APPROVED
