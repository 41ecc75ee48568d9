"""Claim a create form's key before creating, fulfil it once the object exists."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..domain import Repeated
from ..extensions import db
from .models import FormSubmission


class AlreadySubmitted(Repeated):
    """This form display was already sent: nothing more is created; `target` is where the
    first submission landed (None: it belongs to someone else, or has no page)."""

    message = _l("Ce formulaire avait déjà été envoyé : il n’a pas été enregistré une seconde "
                 "fois.")


def claim(key: str | None, form: str, user: User) -> FormSubmission | None:
    """Record the key, or raise AlreadySubmitted. Call it before any other change of the
    request: a concurrent POST with the same key waits on the primary key until the first one
    commits, then finds it here. (No savepoint: on SQLite, releasing the outermost one commits,
    which would publish the key before the object it stands for.)"""
    if not key:
        return None
    _raise_if_used(key, user)
    submission = FormSubmission(key=key, form=form, user_id=user.id)
    db.session.add(submission)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
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
