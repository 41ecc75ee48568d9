from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, str_enum, utcnow
from ..enums import LabelledEnum
from ..extensions import db


class Role(LabelledEnum):
    USER = "user"
    MODERATOR = "moderator"
    ADMIN = "admin"
    __labels__ = {"user": _l("Utilisateur"), "moderator": _l("Modérateur·rice"),
                  "admin": _l("Administrateur·rice")}


class ModerationAlerts(LabelledEnum):
    """How a moderator hears about new pending signatures."""

    IMMEDIATE = "immediate"
    DAILY = "daily"
    NONE = "none"
    __labels__ = {
        "immediate": _l("Un e-mail à chaque nouvelle signature en attente"),
        "daily": _l("Un récapitulatif quotidien"),
        "none": _l("Aucun e-mail"),
    }


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
    moderation_alerts: Mapped[ModerationAlerts] = mapped_column(
        str_enum(ModerationAlerts, "moderation_alerts"), default=ModerationAlerts.IMMEDIATE,
        server_default=ModerationAlerts.IMMEDIATE.value)
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the account was erased on request: the row stays, for the evidence that points
    # to it (signatures, audit entries), without its personal part (accounts/personal_data.py).
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list["Membership"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan"
    )

    # Flask-Login protocol
    is_anonymous = False
    # "user id:session key" of the LoginSession this request uses or opens (accounts/sessions.py).
    login_session_id = None

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None

    def get_id(self) -> str:
        if self.login_session_id is None:
            raise RuntimeError("open a login session (accounts.sessions.open_session) first")
        return self.login_session_id

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.id}>"




class LoginSession(db.Model):
    """One logged-in browser. Its key travels in the session and remember cookies; only its
    hash is stored, so a copy of the table opens no session."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<LoginSession {self.id} of user {self.user_id}>"
