"""E-mail: recorded in the outbox inside the caller's transaction, delivered after it commits.

`queue()` adds the message to the caller's session. When that transaction commits, one job
(`deliver` with the ids of every message it queued) goes to the job queue through
`jobs.after_commit`: no SMTP inside a request, and a rollback drops the messages and the job
together. If the queue cannot be reached at that moment the messages simply wait in the outbox,
and `flask mail retry` (`deliver_due`, from cron on any machine) sends them.

Each message goes out once, however many jobs and retry loops run on however many machines: a
run claims rows in a short transaction of its own (claims.py), sends them over one SMTP
connection (transport.py), and commits each message's `sent_at` right after the server
accepted it. A run killed mid-send leaves its leases behind; once they end, the next run sends
what was not marked sent and never touches what was.

The one window left: the server has accepted a message and the process dies (or loses the
database) before `sent_at` is committed. When the lease ends the message is sent again, with
the same Message-ID (transport.py), which many mail clients fold into one; SMTP itself offers
no way to ask the server whether it already has a message.
"""

import enum
import smtplib
import socket
from dataclasses import dataclass
from datetime import timedelta
from email import errors as email_errors

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from .. import jobs
from ..db_types import utcnow
from ..extensions import db
from ..links import is_ours
from . import claims
from .models import OutboxMessage
from .transport import Transport, to_email

DELIVER = "charter_service.mailing.services:deliver"
_QUEUED = "charter_mail_queued"


def queue(recipient: str, template: str, locale: str = "fr", **context) -> OutboxMessage:
    """Render mail/<template>.subject.txt and mail/<template>.txt in the recipient's language."""
    _refuse_foreign_links(template, context)
    with force_locale(locale if locale in current_app.config["LANGUAGES"] else "fr"):
        subject = render_template(f"mail/{template}.subject.txt", **context).strip()
        body = render_template(f"mail/{template}.txt", **context)
    message = OutboxMessage(recipient=recipient, subject=subject, body_text=body)
    db.session.add(message)
    db.session().info.setdefault(_QUEUED, []).append(message)
    return message


@event.listens_for(Session, "before_commit")
def _deliver_after_commit(session: Session) -> None:
    """One delivery job for everything the committing transaction queued (its ids are known
    once it is flushed)."""
    if session.in_nested_transaction() or not session.info.get(_QUEUED):
        return
    session.flush()
    messages = session.info.pop(_QUEUED)
    ids = [m.id for m in messages if m in session and inspect(m).persistent]
    if ids:
        jobs.after_commit(DELIVER, ids)


@event.listens_for(Session, "after_transaction_end")
def _forget_rolled_back(session: Session, transaction) -> None:
    """After a rollback of the outermost transaction, its messages are gone: so is the list."""
    if transaction.parent is None:
        session.info.pop(_QUEUED, None)


class ForeignLink(ValueError):
    """A link handed to an e-mail does not start with PUBLIC_BASE_URL."""


def _refuse_foreign_links(template: str, context: dict) -> None:
    """Links (context keys ending in "url" or "link") come from links.external_url only."""
    for key, value in context.items():
        if key.endswith(("url", "link")) and value is not None and not is_ours(str(value)):
            raise ForeignLink(f"mail/{template}: {key} is not under PUBLIC_BASE_URL: {value}")


@dataclass
class Delivery:
    """What one delivery run did; `unreachable` names the error when the server could not be
    reached, in which case the messages not yet tried stay due for the next run."""

    sent: int = 0
    deferred: int = 0
    failed: int = 0
    unreachable: str | None = None


def deliver(ids: list[int]) -> Delivery:
    """The job enqueued when a transaction that queued these messages commits."""
    delivery = Delivery()
    with Transport(current_app.config) as transport:
        for start in range(0, len(ids), _IDS_PER_QUERY):
            part = ids[start:start + _IDS_PER_QUERY]
            _run(transport, delivery, [OutboxMessage.id.in_(part)], limit=len(part))
    return delivery


def deliver_due(limit: int = 500) -> Delivery:
    """Deliver every unsent, not failed message that is due (`flask mail retry`)."""
    delivery = Delivery()
    with Transport(current_app.config) as transport:
        _run(transport, delivery, [], limit)
    return delivery


def retry_due(limit: int = 500) -> tuple[int, int]:
    """Deliver every due message; returns (sent, not sent)."""
    delivery = deliver_due(limit)
    return delivery.sent, delivery.deferred + delivery.failed


# Rows claimed at a time: the lease covers the time to send them all (Transport.budget each).
_CHUNK = 10
# A transaction may queue thousands (a charter published): its ids are read a slice at a time.
_IDS_PER_QUERY = 500


def _run(transport: Transport, delivery: Delivery, where: list, limit: int) -> None:
    """Claim due messages a chunk at a time and send them over the one connection; one that
    cannot be sent never holds back the next, but an unreachable server stops the run rather
    than waiting for its timeout once per message."""
    config = current_app.config
    while limit > 0 and delivery.unreachable is None:
        due = [OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
               OutboxMessage.attempts < config["MAIL_MAX_ATTEMPTS"],
               OutboxMessage.next_attempt_at <= utcnow(), *where]
        token, ids = claims.claim(due, min(_CHUNK, limit), _CHUNK * transport.budget())
        if not ids:
            return
        limit -= len(ids)
        _send_claimed(token, ids, transport, delivery)


def _send_claimed(token: str, ids: list[int], transport: Transport, delivery: Delivery) -> None:
    """Each message's outcome is committed on its own, right after the server answered."""
    for position, message_id in enumerate(ids):
        message = db.session.get(OutboxMessage, message_id)
        if message.claimed_until < utcnow() + transport.budget():
            claims.release(token, ids[position:])  # the lease would end mid-send
            return
        outcome = _attempt(message, transport)
        message.claimed_until = message.claim_token = None
        db.session.commit()
        if outcome is _Outcome.UNREACHABLE:
            delivery.deferred += 1
            delivery.unreachable = message.last_error
            claims.release(token, ids[position + 1:])
            return
        setattr(delivery, outcome.value, getattr(delivery, outcome.value) + 1)


class _Outcome(enum.Enum):
    SENT = "sent"
    DEFERRED = "deferred"
    FAILED = "failed"
    UNREACHABLE = "unreachable"


# The server cannot be reached at all: nothing is wrong with the message itself.
_UNREACHABLE = (ConnectionError, TimeoutError, socket.gaierror,
                smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)


def _attempt(message: OutboxMessage, transport: Transport) -> _Outcome:
    message.attempts += 1
    try:
        email = to_email(message, current_app.config["MAIL_SENDER"])
        transport.send(email)
    except (ValueError, TypeError, email_errors.MessageError) as exc:
        return _give_up(message, exc)  # the message cannot be built or encoded
    except smtplib.SMTPException as exc:
        if _is_permanent(exc):
            return _give_up(message, exc)
        return _defer(message, exc)
    except OSError as exc:
        return _defer(message, exc)
    message.sent_at = utcnow()
    message.last_error = None
    return _Outcome.SENT


def _is_permanent(exc: smtplib.SMTPException) -> bool:
    """A 5xx refusal of this recipient or of this message's content will never succeed."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPDataError):
        return 500 <= exc.smtp_code < 600
    return isinstance(exc, smtplib.SMTPNotSupportedError)


def _give_up(message: OutboxMessage, exc: Exception) -> _Outcome:
    message.last_error = _describe(exc)
    message.failed_at = utcnow()
    current_app.logger.error("mail %s to %r failed for good: %s",
                             message.id, message.recipient, exc)
    return _Outcome.FAILED


def _defer(message: OutboxMessage, exc: Exception) -> _Outcome:
    message.last_error = _describe(exc)
    if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.failed_at = utcnow()
    backoff = timedelta(minutes=min(2 ** message.attempts, 24 * 60))
    message.next_attempt_at = utcnow() + backoff
    current_app.logger.warning("mail %s to %r failed: %s", message.id, message.recipient, exc)
    if isinstance(exc, _UNREACHABLE):
        return _Outcome.UNREACHABLE
    return _Outcome.FAILED if message.failed_at else _Outcome.DEFERRED


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]
