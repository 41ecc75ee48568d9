"""A member's rights over their personal data: what the service holds about them (export) and
the erasure of their account on request (GDPR articles 15 and 17).

The account row stays, as the evidence points to it (signatures, audit entries); its personal
part is erased. The other packages add their sections to the export and erase their own rows
through `signals.personal_data_requested` and `signals.account_erasing`.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from .. import signals
from ..db_types import utcnow
from ..domain import DomainError
from ..extensions import db
from ..mailing.models import OutboxMessage
from .models import LoginSession, ModerationAlerts, User

# No argon2 hash looks like this: no password matches it (services._password_matches).
ERASED_PASSWORD = "!erased"  # noqa: S105  (not a password: a hash no password has)


class AccountAlreadyErased(DomainError):
    category = "info"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _account(user: User) -> dict:
    return {"id": user.id, "email": user.email, "full_name": user.full_name,
            "role": user.role.value, "locale": user.locale,
            "moderation_alerts": user.moderation_alerts.value,
            "created_at": _iso(user.created_at), "confirmed_at": _iso(user.confirmed_at),
            "last_login_at": _iso(user.last_login_at)}


def _sessions(user: User) -> list[dict]:
    rows = db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)
                              .order_by(LoginSession.id))
    return [{"created_at": _iso(row.created_at), "last_seen_at": _iso(row.last_seen_at),
             "revoked_at": _iso(row.revoked_at)} for row in rows]


def export(user: User) -> dict:
    """Everything the service holds about `user`, and nothing about anyone else."""
    data = {"generated_at": _iso(utcnow()), "account": _account(user),
            "login_sessions": _sessions(user)}
    for _receiver, (section, value) in signals.personal_data_requested.send(user):
        data[section] = value
    return data


def erase(user: User, *, actor: User) -> None:
    """Erase the account's personal part, or raise a DomainError and change nothing (the
    caller rolls back). Locks the row: of two concurrent requests, the second is refused."""
    locked = db.session.scalar(
        select(User).where(User.id == user.id).with_for_update()
        .execution_options(populate_existing=True))
    if locked is None or locked.erased_at is not None:
        raise AccountAlreadyErased(_l("Ce compte a déjà été supprimé : il n’y a plus rien à "
                                      "effacer."))
    email = user.email
    signals.account_erasing.send(user, email=email, actor=actor)
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id),
                       execution_options={"synchronize_session": "fetch"})
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == email),
                       execution_options={"synchronize_session": "fetch"})
    user.email = f"compte-supprime-{user.id}@invalid"
    user.full_name = ""
    user.password_hash = ERASED_PASSWORD
    user.confirmed_at = user.last_login_at = user.last_digest_at = None
    user.moderation_alerts = ModerationAlerts.NONE
    user.erased_at = utcnow()
    db.session.flush()
