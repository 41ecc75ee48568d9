"""Flask-Login wiring: the session holds "user id:session key" of a server-side LoginSession,
so log-out and a new password end it on the server, not only in the browser."""

from flask import g
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user

from ..extensions import login_manager
from . import sessions
from .models import LoginSession, User

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    found = sessions.find(session_id)
    if found is None or not found.user.is_active:
        return None
    sessions.touch(found)
    g.login_session = found
    return found.user


def current_login_session() -> LoginSession | None:
    current_user._get_current_object()  # runs the loader if this request has not yet
    return g.get("login_session")


def log_in(user: User, remember: bool = False) -> None:
    """A new server-side session for this browser; the one it had, if any, ends."""
    previous = current_login_session()
    if previous is not None:
        sessions.revoke(previous)
    sessions.open_session(user)
    login_user(user, remember=remember)


def end_current_session() -> None:
    """Log-out ends this browser's session only: the person's other devices stay logged in."""
    found = current_login_session()
    if found is not None:
        sessions.revoke(found)


def load_user_first() -> None:
    """Load the user (and hand over its `touch`) before the view does anything else."""
    current_user._get_current_object()
