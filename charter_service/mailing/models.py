from datetime import datetime

from sqlalchemy import Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class OutboxMessage(db.Model):
    """Every e-mail is recorded here first, so a failing SMTP server loses nothing."""

    __tablename__ = "outbox_messages"
    # The due-message query (`flask mail retry`) reads only the unsent, not failed rows.
    __table_args__ = (
        Index("ix_outbox_messages_due", "next_attempt_at",
              postgresql_where=text("sent_at IS NULL AND failed_at IS NULL"),
              sqlite_where=text("sent_at IS NULL AND failed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(250))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Set when the message can never go out (it cannot be built, the server refused it for
    # good, or it ran out of attempts): `last_error` says why, and it is not tried again.
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A run that is sending the message holds it until `claimed_until` (claims.py): no other
    # run takes it before then; after, it is free again (the run was killed mid-send).
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(32))
