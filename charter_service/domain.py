"""Domain errors, and the one unit of work of a request that changes something.

A view does its work inside `unit_of_work(form)`: the block's changes are committed once at
its end; a DomainError rolls them back and shows its message beside the form field it names,
or as a flash. E-mails queued in the transaction go out after the commit (mailing), and a
database that cannot write still answers the 503 page (errors), as the exception propagates.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import abort, flash, redirect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import Field, FieldList, FormField

from .extensions import db


class DomainError(Exception):
    """A change the service refuses. `message` is French and shown as is; `field` names the
    form field it belongs beside (else it is flashed, with `category`)."""

    category = "error"

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class Repeated(Exception):
    """Not an error: this request repeats one already carried out. Nothing more is done; the
    person is sent to `target` (or the view's fallback) with `message`."""

    message = ""

    def __init__(self, target: str | None) -> None:
        super().__init__(target)
        self.target = target


@dataclass
class Work:
    """What `unit_of_work` did: `error` is the refusal shown, None once committed."""

    error: DomainError | None = None

    @property
    def done(self) -> bool:
        return self.error is None


@contextmanager
def unit_of_work(form=None, *, conflict=None, replay_to: str | None = None,
                 quiet: bool = False) -> Iterator[Work]:
    """Commit the block's changes, or roll them back and show why.

    `conflict` is the French message for a database conflict a person can cause (a unique key
    taken, a row changed meanwhile by someone else), "" to roll back without a word; without
    it such errors propagate.
    `replay_to` is where a repeated create form lands when its first result has no page.
    `quiet`: the view shows `work.error` itself.
    """
    work = Work()
    try:
        yield work
        db.session.commit()
        return
    except (Repeated, DomainError, IntegrityError, StaleDataError) as exc:
        if conflict is None and isinstance(exc, IntegrityError | StaleDataError):
            raise
        db.session.rollback()
        failure = exc
    if isinstance(failure, Repeated):
        flash(str(failure.message), "info")
        abort(redirect(failure.target or replay_to))
    work.error = failure if isinstance(failure, DomainError) else DomainError(conflict)
    if not quiet:
        show(work.error, form)


def _field(form, name: str | None):
    """The field `name` of the form; a form whose fields nest (a commitment's indicator rows)
    finds it with its own `error_field(name)`."""
    if form is None or not name:
        return None
    finder = getattr(form, "error_field", None)
    return finder(name) if callable(finder) else getattr(form, name, None)


def show(error: DomainError, form=None) -> None:
    """On the form's field named by the error (a single field), else as a flash."""
    if not str(error):
        return
    target = _field(form, error.field)
    if isinstance(target, Field) and not isinstance(target, FieldList | FormField):
        target.errors = [*target.errors, str(error)]
    else:
        flash(str(error), error.category)
