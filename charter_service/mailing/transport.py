"""From an outbox row to the SMTP server: the e-mail built from it, and one connection that a
run of deliveries reuses (or the .eml folder of development, without MAIL_SERVER)."""

import smtplib
import ssl
import unicodedata
from datetime import timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from ..db_types import utcnow
from .models import OutboxMessage

# SMTP commands of one message over a fresh connection (connect, EHLO, STARTTLS, AUTH, MAIL,
# RCPT, DATA): each may wait up to MAIL_TIMEOUT.
_COMMANDS_PER_MESSAGE = 7


def to_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """Raise ValueError or a MessageError for a header no server should receive."""
    _check_header(message.subject)
    recipient = Address(addr_spec=_check_header(message.recipient))
    email = EmailMessage()
    email["From"] = sender
    email["To"] = recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(message.created_at.timestamp(), localtime=False)
    # The same for every attempt: a copy sent twice (see services.py) reads as one message.
    email["Message-ID"] = (f"<outbox{message.id}.{message.created_at:%Y%m%d%H%M%S%f}"
                           f"@charte.local>")
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


def _check_header(value: str) -> str:
    bad = sorted({f"U+{ord(c):04X}" for c in value if unicodedata.category(c) == "Cc"})
    if bad:
        raise ValueError(f"control characters in a header: {', '.join(bad)}")
    return value


class Transport:
    """One SMTP connection for a run of messages, opened at the first one. Before reusing it,
    a NOOP checks that the server still holds it, and a dropped connection is opened again:
    so a message is never retried after the server may have accepted it."""

    def __init__(self, config) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def budget(self) -> timedelta:
        """The longest one message can take to go out."""
        return timedelta(seconds=_COMMANDS_PER_MESSAGE * self.config["MAIL_TIMEOUT"])

    def __enter__(self) -> "Transport":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def send(self, email: EmailMessage) -> None:
        if not self.config["MAIL_SERVER"]:
            _write_eml(Path(self.config["OUTBOX_DIR"]), email)
            return
        if self.smtp is not None and not self._alive():
            self.close()
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            self.smtp.send_message(email)
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()
            raise

    def close(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def _alive(self) -> bool:
        try:
            return self.smtp.noop()[0] == 250
        except (smtplib.SMTPException, OSError):
            return False

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
        if config["MAIL_USE_SSL"]:
            smtp = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        try:
            if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        except BaseException:
            smtp.close()
            raise
        return smtp


def _write_eml(outbox: Path, email: EmailMessage) -> None:
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    name = email["Message-ID"].strip("<>").split("@")[0]
    (outbox / f"{stamp}-{name}.eml").write_bytes(email.as_bytes())
