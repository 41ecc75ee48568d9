"""Who may moderate: moderators and administrators."""

from functools import wraps

from flask import abort
from flask_login import current_user

from ..extensions import login_manager


def moderator_required(view):
    """Logged-out visitors go to the log-in page; other logged-in people get 403."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_moderator:
            abort(403)
        return view(*args, **kwargs)

    return wrapper
