"""Claim a create form's key before creating, fulfil it once the object exists."""

from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..extensions import db
from .models import FormSubmission


class AlreadySubmitted(Exception):
    """This form display was already sent: nothing more is created; `target` is where the
    first submission landed (None: it belongs to someone else, or has no page)."""

    def __init__(self, target: str | None) -> None:
        super().__init__(target)
        self.target = target


def claim(key: str | None, form: str, user: User) -> FormSubmission | None:
    """Record the key, or raise AlreadySubmitted. A concurrent POST with the same key waits on
    the primary key until the first one commits, then finds it here."""
    if not key:
        return None
    _raise_if_used(key, user)
    submission = FormSubmission(key=key, form=form, user_id=user.id)
    try:
        with db.session.begin_nested():
            db.session.add(submission)
    except IntegrityError:
        _raise_if_used(key, user)
        raise
    return submission


def fulfil(submission: FormSubmission | None, target: str) -> None:
    if submission is not None:
        submission.target = target
        db.session.flush()


def _raise_if_used(key: str, user: User) -> None:
    found = db.session.get(FormSubmission, key, populate_existing=True)
    if found is not None:
        raise AlreadySubmitted(found.target if found.user_id == user.id else None)
