"""No GET request commits: mail gateways, prefetchers and crawlers open links, so a GET must
leave the database as it found it. Every route the permission matrix visits is opened with
GET by every role, with each log-in session due for its activity record and the register PDF
sent to a background job; a commit on any connection, inside the request, fails the test."""

from datetime import timedelta

import pytest
from flask import has_request_context, request
from sqlalchemy import event, update

from charter_service import jobs
from charter_service.accounts.models import LoginSession
from charter_service.db_types import utcnow
from charter_service.extensions import db

from . import test_permission_matrix as matrix
from .test_permission_matrix import MATRIX, ROLES, _url, client_as

# The matrix's world and what it is built from.
small_logo, world = matrix.small_logo, matrix.world


@pytest.fixture
def app_config(signing_pair_config):
    """The run's signing pair; every register PDF goes to a background job, which runs on
    a thread of its own (as in `make run`), so that its commits are not the request's."""
    return {**signing_pair_config, "EXPORT_PDF_INLINE_ROWS": 0,
            "JOBS_BACKEND": "thread"}


@pytest.fixture
def commits_in_get(app):
    """The GET requests during which a connection committed (requests only: a background job
    runs on a thread of its own, outside any request)."""
    found = []

    def record(connection) -> None:
        if has_request_context() and request.method == "GET":
            found.append(request.full_path.rstrip("?"))

    engine = db.engine
    event.listen(engine, "commit", record)
    yield found
    jobs.wait_for_threads()
    event.remove(engine, "commit", record)


def _sessions_due_for_activity() -> None:
    db.session.execute(update(LoginSession).values(last_seen_at=utcnow() - timedelta(minutes=10)))
    db.session.commit()


def test_the_watch_sees_a_commit_in_a_get(app, commits_in_get):
    @app.get("/test-commit")
    def _commit():
        db.session.execute(update(LoginSession).values(last_seen_at=utcnow()))
        db.session.commit()
        return "ok"

    app.test_client().get("/test-commit")
    assert commits_in_get == ["/test-commit"]


def test_no_get_of_any_route_commits_as_any_role(app, world, commits_in_get):
    current = world()
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.endpoint):
        if "GET" not in rule.methods or rule.endpoint not in MATRIX:
            continue
        url = _url(app, rule, current)
        for role in ROLES:
            client = client_as(app, current, role)
            _sessions_due_for_activity()
            client.get(url).close()
    assert sorted(set(commits_in_get)) == []
