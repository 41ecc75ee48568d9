"""Server-side log-in sessions: log-out and password changes end them for good.

The Flask-Login id (in the session cookie and the remember cookie) is "user id:session key";
a cookie copied before log-out names a revoked row and opens nothing. Functions only flush;
`touch` hands the record of activity to a background job, so that no GET ever writes.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from .. import jobs
from ..db_types import utcnow
from ..extensions import db
from .models import LoginSession, User

# last_seen_at is written at most this often per session, not on every request.
TOUCH_EVERY = timedelta(minutes=5)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _max_idle() -> timedelta:
    return timedelta(seconds=current_app.config["LOGIN_SESSION_MAX_IDLE"])


def open_session(user: User) -> str:
    """Record a new session for `user` and return its Flask-Login id."""
    _forget_ended(user)
    key = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user=user, key_hash=_digest(key)))
    db.session.flush()
    user.login_session_id = f"{user.id}:{key}"
    return user.login_session_id


def find(session_id: str) -> LoginSession | None:
    """The live session a Flask-Login id names, or None (unknown, revoked, idle too long)."""
    user_id, _, key = session_id.partition(":")
    if not user_id.isdigit() or not key or len(key) > 64:
        return None
    found = db.session.scalar(select(LoginSession).where(LoginSession.key_hash == _digest(key)))
    if found is None or found.user_id != int(user_id) or found.revoked_at is not None:
        return None
    if found.last_seen_at < utcnow() - _max_idle():
        return None
    found.user.login_session_id = session_id
    return found


def touch(found: LoginSession, now: datetime | None = None) -> None:
    """Note activity, at most every TOUCH_EVERY, out of the request (which, for a GET, never
    writes): a background job records it."""
    now = now or utcnow()
    if now - found.last_seen_at < TOUCH_EVERY:
        return
    jobs.enqueue("charter_service.accounts.sessions:record_activity", found.id, now)
    set_committed_value(found, "last_seen_at", now)


def record_activity(session_id: int, seen_at: datetime) -> None:
    """The job of `touch`; a later activity already recorded is kept."""
    db.session.execute(update(LoginSession).where(LoginSession.id == session_id,
                                                  LoginSession.last_seen_at < seen_at)
                       .values(last_seen_at=seen_at))
    db.session.commit()


def revoke(found: LoginSession) -> None:
    found.revoked_at = utcnow()


def revoke_all(user: User) -> None:
    """End every session of the account (a new password; the caller opens one for itself)."""
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow()),
        execution_options={"synchronize_session": "fetch"})


def _forget_ended(user: User) -> None:
    """Delete the account's revoked and expired rows, so the table stays small."""
    db.session.execute(delete(LoginSession).where(
        LoginSession.user_id == user.id,
        or_(LoginSession.revoked_at.is_not(None),
            LoginSession.last_seen_at < utcnow() - _max_idle())),
        execution_options={"synchronize_session": "fetch"})
