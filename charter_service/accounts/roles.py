"""User roles: who is staff, who may become what, and the rule that one admin always remains.

Every function takes the acting admin (None for the command line) and only flushes; each role
given is announced through `role_changed` (the audit log records it).
"""

from flask_babel import gettext as _
from sqlalchemy import select

from ..domain import DomainError
from ..extensions import db
from ..signals import role_changed
from .models import Role, User

SEARCH_LIMIT = 50


class LastAdmin(DomainError):
    """The change would leave the platform without any admin able to log in."""

    def __init__(self, user: User) -> None:
        super().__init__(_("%(email)s est le dernier compte administrateur : nommez d’abord un "
                           "autre administrateur, sinon plus personne ne pourra gérer les rôles "
                           "ni la charte.", email=user.email))


def staff() -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.role.in_((Role.MODERATOR, Role.ADMIN)))
        .order_by(User.role, User.email)))


def search_users(text: str) -> list[User]:
    """Confirmed accounts whose address contains `text` (addresses are stored in lowercase)."""
    return list(db.session.scalars(
        select(User).where(User.confirmed_at.is_not(None),
                           User.email.contains(text.strip().lower(), autoescape=True))
        .order_by(User.email).limit(SEARCH_LIMIT)))


def change_role(user: User, role: Role, actor: User | None) -> bool:
    """Give `user` this role and audit it; False when nothing changed. Raises LastAdmin."""
    before = user.role
    if before == role:
        return False
    if before == Role.ADMIN and _active_admin_ids() == [user.id]:
        raise LastAdmin(user)
    user.role = role
    db.session.flush()
    role_changed.send(user, before=before, actor=actor)
    return True


def record_new_account_role(user: User, actor: User | None) -> None:
    role_changed.send(user, before=None, actor=actor)


def _active_admin_ids() -> list[int]:
    """Locks the admin rows (PostgreSQL) so that two admins cannot demote each other at once."""
    return list(db.session.scalars(
        select(User.id).where(User.role == Role.ADMIN, User.confirmed_at.is_not(None))
        .order_by(User.id).with_for_update()))
