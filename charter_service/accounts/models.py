import enum
import secrets
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, str_enum, utcnow
from ..extensions import db


class Role(enum.StrEnum):
    USER = "user"
    MODERATOR = "moderator"
    ADMIN = "admin"


class ModerationAlerts(enum.StrEnum):
    """How a moderator hears about new pending signatures."""

    IMMEDIATE = "immediate"
    DAILY = "daily"
    NONE = "none"


def _new_session_nonce() -> str:
    return secrets.token_urlsafe(16)


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "user_role"), default=Role.USER)
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the session id: rotating it on a password change ends every other session.
    session_nonce: Mapped[str] = mapped_column(String(32), default=_new_session_nonce)
    moderation_alerts: Mapped[ModerationAlerts] = mapped_column(
        str_enum(ModerationAlerts, "moderation_alerts"), default=ModerationAlerts.IMMEDIATE,
        server_default=ModerationAlerts.IMMEDIATE.value)
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list["Membership"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan"
    )

    # Flask-Login protocol
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    def rotate_session_nonce(self) -> None:
        self.session_nonce = _new_session_nonce()

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.id}>"


