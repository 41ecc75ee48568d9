"""`jobs.after_commit`: a job asked for inside a transaction runs once it commits, never if it
rolls back, and a queue that cannot be reached leaves the committed work in place."""

import pytest
from sqlalchemy import func, select

from charter_service import jobs
from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage

# A real job: it writes a password-reset e-mail to the outbox when the address has an account.
JOB = "charter_service.accounts.mail_jobs:send_password_reset"


@pytest.fixture
def app_config():
    return {"JOBS_BACKEND": "sync"}


def _outbox(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage.recipient)))


def test_the_job_runs_after_the_commit_and_sees_what_it_wrote(app, make):
    with app.test_request_context():
        user = make.user("claire@example.org")
        db.session.commit()
        user.full_name = "Claire Dubois"
        jobs.after_commit(JOB, "claire@example.org")
        assert _outbox(app) == []  # not before the commit
        db.session.commit()
    assert _outbox(app) == ["claire@example.org"]


def test_a_rolled_back_transaction_enqueues_nothing(app, make):
    with app.test_request_context():
        make.user("claire@example.org")
        db.session.commit()
        jobs.after_commit(JOB, "claire@example.org")
        db.session.rollback()
        db.session.commit()  # a later commit does not resurrect the dropped job
    assert _outbox(app) == []


def test_a_savepoint_rolled_back_keeps_the_outer_transactions_jobs(app, make):
    with app.test_request_context():
        make.user("claire@example.org")
        db.session.commit()
        jobs.after_commit(JOB, "claire@example.org")
        with db.session.begin_nested() as savepoint:
            savepoint.rollback()
        db.session.commit()
    assert _outbox(app) == ["claire@example.org"]


def test_a_released_savepoint_waits_for_the_outer_commit(app, make):
    """SQLAlchemy tells `after_commit` of a savepoint's release too: a job asked for before
    it (an annual report's PDF, reserved before a savepoint) must still wait for the real
    commit, or it runs against rows not committed yet (on SQLite, blocked by its own caller
    for the whole busy timeout)."""
    with app.test_request_context():
        user = make.user("claire@example.org")
        db.session.commit()
        jobs.after_commit(JOB, "claire@example.org")
        with db.session.begin_nested():
            user.full_name = "Claire Dubois"
        assert _outbox(app) == []  # the outer transaction is still open
        db.session.rollback()
    assert _outbox(app) == []  # and its rollback dropped the job


def test_an_unreachable_queue_leaves_the_commit_standing(app, make, caplog):
    app.config.update(JOBS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:9/0")
    with app.test_request_context():
        make.user("claire@example.org", full_name="Claire Martin")
        jobs.after_commit(JOB, "claire@example.org")
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert "could not enqueue" in caplog.text
    with app.app_context():
        from charter_service.accounts.models import User
        assert db.session.scalar(select(User.full_name)) == "Claire Martin"


def test_a_wrong_job_name_fails_in_the_caller(app):
    with app.app_context(), pytest.raises(ValueError):
        jobs.after_commit("os:system", "true")
