"""Object-level authorisation for the member's space: load, then check, then act."""

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from .models import MemberRole, Membership, Organisation


def membership_of(user, organisation_id: int) -> Membership | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == organisation_id
        )
    )


def organisation_for_member(organisation_id: int, *, owner: bool = False) -> Organisation:
    """The organisation if the current user belongs to it (owner if asked), else 404 / 403.

    A stranger gets 404 so that ids cannot be probed; a plain member asking for an owner's
    action gets 403.
    """
    membership = membership_of(current_user, organisation_id)
    if membership is None:
        abort(404)
    if owner and membership.role != MemberRole.OWNER:
        abort(403)
    return membership.organisation
