"""The outbox never jams: a message that can never go out is marked failed, the others go."""

import socket

import pytest
from sqlalchemy import select

from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage
from charter_service.mailing.services import queue


@pytest.fixture
def app_config(smtp_app_config):
    return smtp_app_config


def _outbox(recipient: str, subject: str = "Bonjour") -> int:
    message = OutboxMessage(recipient=recipient, subject=subject, body_text="Texte du message.")
    db.session.add(message)
    db.session.commit()
    return message.id


def _retry(app):
    return app.test_cli_runner().invoke(args=["mail", "retry"])


def _reload(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def test_broken_messages_are_failed_and_the_others_arrive(app, smtp_server):
    smtp_server.refuse_recipients = {"inconnu@example.org"}
    first = _outbox("alice@example.org")
    broken = {
        _outbox("bob@example.org", "Bonjour\r\nBcc: victime@example.org"): "ValueError",
        _outbox("carol@example.org", "Bonjour\x1b[2J"): "U+001B",
        _outbox("pas une adresse"): "no domain",
        _outbox("inconnu@example.org"): "550",
    }
    last = _outbox("dave@example.org")

    result = _retry(app)

    assert result.exit_code == 0, result.output
    assert "2 message(s) envoyé(s), 0 en attente d’un nouvel essai, 4 en échec définitif" \
        in result.output
    received = smtp_server.wait_for(2)
    assert sorted(str(m["To"]) for m in received) == ["alice@example.org", "dave@example.org"]
    assert _reload(first).sent_at and _reload(last).sent_at
    for message_id, reason in broken.items():
        message = _reload(message_id)
        assert message.sent_at is None and message.failed_at is not None
        assert reason in message.last_error
    assert not smtp_server.to("victime@example.org")

    db.session.execute(OutboxMessage.__table__.update().values(next_attempt_at=OutboxMessage.created_at))
    db.session.commit()
    again = _retry(app)
    assert again.exit_code == 0 and "0 message(s) envoyé(s)" in again.output
    assert all(_reload(message_id).attempts == 1 for message_id in broken)  # never retried


def test_a_transient_refusal_keeps_the_backoff(app, smtp_server):
    smtp_server.fail_with = "451 4.3.0 Try again later"
    message_id = _outbox("alice@example.org")
    result = _retry(app)
    assert result.exit_code == 0
    message = _reload(message_id)
    assert message.failed_at is None and message.sent_at is None
    assert "451" in message.last_error and message.next_attempt_at > message.created_at


def test_server_down_exits_non_zero_and_loses_nothing(app, smtp_server):
    ids = [_outbox(f"user{n}@example.org") for n in range(3)]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    app.config["MAIL_PORT"] = closed_port

    result = _retry(app)

    assert result.exit_code == 1
    assert "Serveur SMTP injoignable" in result.output and "rien n’est perdu" in result.output
    assert all(_reload(i).sent_at is None and _reload(i).failed_at is None for i in ids)

    app.config["MAIL_PORT"] = smtp_server.port
    db.session.execute(OutboxMessage.__table__.update().values(next_attempt_at=OutboxMessage.created_at))
    db.session.commit()
    assert _retry(app).exit_code == 0
    assert len(smtp_server.wait_for(3)) == 3


def test_a_transaction_that_queues_a_broken_message_still_delivers_the_others(app, smtp_server):
    with app.test_request_context():
        queue("alice@example.org\r\nBcc: victime@example.org", "test_message", name="Alice")
        good = queue("bob@example.org", "test_message", name="Bob")
        db.session.commit()
    assert smtp_server.wait_for(1)[0]["To"] == "bob@example.org"
    assert db.session.scalar(select(OutboxMessage.failed_at).where(OutboxMessage.id != good.id))
