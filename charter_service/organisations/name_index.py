"""A counter that moves whenever the duplicate check could answer differently: an
organisation created or deleted, or its name key or département changed, in the transaction
that does it. The moderation queue keeps each organisation's near names under it
(moderation/warnings.py), so that it compares names only when one has changed.
"""

import time

from sqlalchemy import BigInteger, event, insert, inspect, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..extensions import db
from .models import Organisation

_KEYED_BY = ("name_key", "departement_code")


class NameIndexState(db.Model):
    __tablename__ = "organisation_name_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger)


def generation() -> int:
    return db.session.scalar(select(NameIndexState.generation)
                             .where(NameIndexState.id == 1)) or 0


def _changes_names(session: Session) -> bool:
    if any(isinstance(o, Organisation) for o in (*session.new, *session.deleted)):
        return True
    return any(isinstance(o, Organisation)
               and any(inspect(o).attrs[key].history.has_changes() for key in _KEYED_BY)
               for o in session.dirty)


@event.listens_for(Session, "before_flush")
def _bump(session: Session, _context, _instances) -> None:
    if session.info.get("names_changed") or not _changes_names(session):
        return
    connection = session.connection()
    moved = connection.execute(update(NameIndexState).where(NameIndexState.id == 1).values(
        generation=NameIndexState.generation + 1))
    if not moved.rowcount:
        # From the clock: a database emptied and filled again never hands out a generation
        # that a cache may still hold.
        connection.execute(insert(NameIndexState).values(
            id=1, generation=time.time_ns() // 1000))
    session.info["names_changed"] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop("names_changed", None)
