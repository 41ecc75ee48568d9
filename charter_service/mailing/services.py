"""E-mail: recorded in the outbox inside the caller's transaction, delivered after it commits."""

import enum
import smtplib
import socket
import ssl
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from email import errors as email_errors
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, g, has_request_context, render_template
from flask_babel import force_locale
from sqlalchemy import inspect, select

from ..db_types import utcnow
from ..extensions import db
from ..links import is_ours
from .models import OutboxMessage


def queue(recipient: str, template: str, locale: str = "fr", **context) -> OutboxMessage:
    """Render mail/<template>.subject.txt and mail/<template>.txt in the recipient's language."""
    _refuse_foreign_links(template, context)
    with force_locale(locale if locale in current_app.config["LANGUAGES"] else "fr"):
        subject = render_template(f"mail/{template}.subject.txt", **context).strip()
        body = render_template(f"mail/{template}.txt", **context)
    message = OutboxMessage(recipient=recipient, subject=subject, body_text=body)
    db.session.add(message)
    if has_request_context():
        g.setdefault("queued_mail", []).append(message)
    return message


class ForeignLink(ValueError):
    """A link handed to an e-mail does not start with PUBLIC_BASE_URL."""


def _refuse_foreign_links(template: str, context: dict) -> None:
    """Links (context keys ending in "url" or "link") come from links.external_url only."""
    for key, value in context.items():
        if key.endswith(("url", "link")) and value is not None and not is_ours(str(value)):
            raise ForeignLink(f"mail/{template}: {key} is not under PUBLIC_BASE_URL: {value}")


def deliver_queued() -> None:
    """Send what this request queued, if its transaction committed; failures wait for a retry."""
    if not has_request_context():
        return
    messages = g.pop("queued_mail", [])
    committed = [m for m in messages
                 if inspect(m).persistent and m.sent_at is None and m.failed_at is None]
    _deliver(committed)
    if committed:
        db.session.commit()


@dataclass
class Delivery:
    """What one delivery run did; `unreachable` names the error when the server could not be
    reached, in which case the messages not yet tried stay due for the next run."""

    sent: int = 0
    deferred: int = 0
    failed: int = 0
    unreachable: str | None = None


def deliver_due(limit: int = 500) -> Delivery:
    """Deliver every unsent, not failed message that is due."""
    due = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
               OutboxMessage.attempts < current_app.config["MAIL_MAX_ATTEMPTS"],
               OutboxMessage.next_attempt_at <= utcnow())
        .order_by(OutboxMessage.id).limit(limit)
    ).all()
    delivery = _deliver(due)
    db.session.commit()
    return delivery


def retry_due(limit: int = 500) -> tuple[int, int]:
    """Deliver every due message; returns (sent, not sent)."""
    delivery = deliver_due(limit)
    return delivery.sent, delivery.deferred + delivery.failed


def _deliver(messages: list[OutboxMessage]) -> Delivery:
    """Try each message once; one that cannot be sent never holds back the next, but an
    unreachable server stops the run rather than waiting for its timeout once per message."""
    delivery = Delivery()
    for message in messages:
        outcome = _attempt(message)
        if outcome is _Outcome.UNREACHABLE:
            delivery.deferred += 1
            delivery.unreachable = message.last_error
            break
        setattr(delivery, outcome.value, getattr(delivery, outcome.value) + 1)
    return delivery


class _Outcome(enum.Enum):
    SENT = "sent"
    DEFERRED = "deferred"
    FAILED = "failed"
    UNREACHABLE = "unreachable"


# The server cannot be reached at all: nothing is wrong with the message itself.
_UNREACHABLE = (ConnectionError, TimeoutError, socket.gaierror,
                smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)


def _attempt(message: OutboxMessage) -> _Outcome:
    message.attempts += 1
    try:
        email = _to_email(message)
        _send(email)
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


def _to_email(message: OutboxMessage) -> EmailMessage:
    """Raise ValueError or a MessageError for a header no server should receive."""
    _check_header(message.subject)
    recipient = Address(addr_spec=_check_header(message.recipient))
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_SENDER"]
    email["To"] = recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(message.created_at.timestamp(), localtime=False)
    email["Message-ID"] = make_msgid(idstring=f"outbox{message.id}", domain="charte.local")
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


def _check_header(value: str) -> str:
    bad = sorted({f"U+{ord(c):04X}" for c in value if unicodedata.category(c) == "Cc"})
    if bad:
        raise ValueError(f"control characters in a header: {', '.join(bad)}")
    return value


def _send(email: EmailMessage) -> None:
    config = current_app.config
    if not config["MAIL_SERVER"]:
        _write_eml(email)
        return
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    if config["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def _write_eml(email: EmailMessage) -> None:
    outbox = Path(current_app.config["OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    name = email["Message-ID"].strip("<>").split("@")[0]
    (outbox / f"{stamp}-{name}.eml").write_bytes(email.as_bytes())


def register(app) -> None:
    @app.after_request
    def _deliver(response):
        deliver_queued()
        return response
