"""The thread backend of `make run` (JOBS_BACKEND=thread, the default) runs several jobs at
once: a slow register PDF does not hold the e-mails queued after it."""

import threading

import pytest

from charter_service import jobs
from charter_service.extensions import db
from charter_service.mailing.services import queue
from charter_service.register.exports import export_jobs


@pytest.fixture
def app_config(smtp_app_config):
    return {**smtp_app_config, "JOBS_BACKEND": "thread"}


def test_a_slow_job_does_not_hold_the_mail_queued_after_it(app, smtp_server, monkeypatch):
    release = threading.Event()
    monkeypatch.setattr(export_jobs, "run_pdf_job", lambda token: release.wait(30))
    try:
        jobs.enqueue("charter_service.register.exports.export_jobs:run_pdf_job", "slow-export")
        with app.test_request_context():
            queue("alice@example.org", "test_message", name="Alice")
            db.session.commit()
        [message] = smtp_server.wait_for(1)
        assert str(message["To"]) == "alice@example.org" and not release.is_set()
    finally:
        release.set()
