"""E-mail: recorded in the outbox inside the caller's transaction, delivered after it commits."""

import smtplib
import ssl
from datetime import timedelta
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
    committed = [m for m in messages if inspect(m).persistent and m.sent_at is None]
    for message in committed:
        _attempt(message)
    if committed:
        db.session.commit()


def retry_due(limit: int = 500) -> tuple[int, int]:
    """Deliver every unsent message that is due; returns (sent, failed)."""
    now = utcnow()
    due = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None),
               OutboxMessage.attempts < current_app.config["MAIL_MAX_ATTEMPTS"],
               OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id).limit(limit)
    ).all()
    sent = sum(_attempt(message) for message in due)
    db.session.commit()
    return sent, len(due) - sent


def _attempt(message: OutboxMessage) -> bool:
    message.attempts += 1
    try:
        _send(_to_email(message))
    except (OSError, smtplib.SMTPException) as exc:
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        backoff = timedelta(minutes=min(2 ** message.attempts, 24 * 60))
        message.next_attempt_at = utcnow() + backoff
        current_app.logger.warning("mail %s to %s failed: %s", message.id, message.recipient, exc)
        return False
    message.sent_at = utcnow()
    message.last_error = None
    return True


def _to_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(message.created_at.timestamp(), localtime=False)
    email["Message-ID"] = make_msgid(idstring=f"outbox{message.id}", domain="charte.local")
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


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
