import pytest
from sqlalchemy import select

from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage
from charter_service.mailing.services import queue, retry_due


@pytest.fixture
def app_config(smtp_app_config):
    return smtp_app_config


def _queue_test_mail(app, locale="fr"):
    with app.test_request_context():
        message = queue("alice@example.org", "test_message", locale=locale, name="Alice")
        db.session.commit()
        return message.id


def test_smtp_failure_is_recorded_then_retried(app, smtp_server):
    smtp_server.fail_with = "451 Try again later"
    message_id = _queue_test_mail(app)  # delivered (and deferred) by the job after the commit
    message = db.session.get(OutboxMessage, message_id)
    assert message.sent_at is None and message.attempts == 1 and "451" in message.last_error

    smtp_server.fail_with = None
    message.next_attempt_at = message.created_at
    db.session.commit()
    assert retry_due() == (1, 0)
    received = smtp_server.wait_for(1)
    assert received[0]["To"] == "alice@example.org"
    assert "Alice" in received[0].get_content()
    assert db.session.scalar(select(OutboxMessage.sent_at)) is not None
    assert retry_due() == (0, 0)  # never sent twice
