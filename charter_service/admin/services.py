"""Admin state changes: user roles, publication and archiving of charter versions.

Every function takes the acting admin (None for the command line) and only flushes.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..accounts.models import Role, User
from ..audit import services as audit
from ..charters.models import CharterVersion, VersionStatus
from ..charters.services import CharterError, publish_version
from ..db_types import utcnow
from ..domain import DomainError
from ..extensions import db
from ..links import external_url
from ..mailing.services import queue
from ..organisations.models import MemberRole, Membership, Organisation
from ..signatures.models import Signature, SignatureStatus

SEARCH_LIMIT = 50


class LastAdmin(DomainError):
    """The change would leave the platform without any admin able to log in."""

    def __init__(self, user: User) -> None:
        super().__init__(_("%(email)s est le dernier compte administrateur : nommez d'abord un "
                           "autre administrateur, sinon plus personne ne pourra gérer les rôles "
                           "ni la charte.", email=user.email))


# --- roles ---------------------------------------------------------------------------------------

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
    audit.record("user.role", "user", user.id, actor=actor, before={"role": before.value},
                 after={"role": role.value})
    return True


def record_new_account_role(user: User, actor: User | None) -> None:
    audit.record("user.role", "user", user.id, actor=actor, before={},
                 after={"role": user.role.value})


def _active_admin_ids() -> list[int]:
    """Locks the admin rows (PostgreSQL) so that two admins cannot demote each other at once."""
    return list(db.session.scalars(
        select(User.id).where(User.role == Role.ADMIN, User.confirmed_at.is_not(None))
        .order_by(User.id).with_for_update()))


# --- charter versions ----------------------------------------------------------------------------

@dataclass(frozen=True)
class VersionRow:
    version: CharterVersion
    signatures: int
    approved: int


def version_rows() -> list[VersionRow]:
    counts: dict[int, dict[SignatureStatus, int]] = {}
    for version_id, status, count in db.session.execute(
            select(Signature.charter_version_id, Signature.status, func.count())
            .group_by(Signature.charter_version_id, Signature.status)):
        counts.setdefault(version_id, {})[status] = count
    versions = db.session.scalars(
        select(CharterVersion).order_by(CharterVersion.charter_id, CharterVersion.number.desc()))
    return [VersionRow(v, sum(counts.get(v.id, {}).values()),
                       counts.get(v.id, {}).get(SignatureStatus.APPROVED, 0)) for v in versions]


def version_by_number(number: int) -> CharterVersion | None:
    """The version with this number; None when there is none, or several charters have one."""
    found = db.session.scalars(
        select(CharterVersion).where(CharterVersion.number == number).limit(2)).all()
    return found[0] if len(found) == 1 else None


def _approved_organisation_ids(version: CharterVersion):
    return select(Signature.organisation_id).where(
        Signature.charter_version_id == version.id, Signature.status == SignatureStatus.APPROVED)


def approved_organisation_count(version: CharterVersion) -> int:
    return db.session.scalar(
        select(func.count()).select_from(_approved_organisation_ids(version).distinct().subquery()))


def publish_and_invite(number: int, actor: User | None,
                       charter_slug: str | None = None) -> tuple[CharterVersion, int]:
    """Publish draft `number`, archive the version it replaces and invite that version's approved
    signatories to sign the new one; returns the version and the number of e-mails queued."""
    published_before = list(db.session.scalars(
        select(CharterVersion).where(CharterVersion.status == VersionStatus.PUBLISHED)))
    version = publish_version(number, charter_slug)
    previous = next((v for v in published_before if v.charter_id == version.charter_id
                     and v.status == VersionStatus.ARCHIVED), None)
    audit.record("charter.publish", "charter_version", version.id, actor=actor,
                 before={"number": version.number, "status": VersionStatus.DRAFT.value},
                 after={"number": version.number, "status": version.status.value,
                        "sha256": version.sha256()})
    if previous is None:
        return version, 0
    _audit_archive(previous, actor, reason="superseded")
    return version, _invite_to_sign(previous, version)


def archive_version(version: CharterVersion, actor: User | None) -> None:
    """Close the published version to signatures without publishing another one."""
    if version.status != VersionStatus.PUBLISHED:
        raise CharterError(_("Seule la version publiée peut être archivée."))
    version.status = VersionStatus.ARCHIVED
    version.archived_at = utcnow()
    db.session.flush()
    _audit_archive(version, actor, reason="withdrawn_from_signature")


def _audit_archive(version: CharterVersion, actor: User | None, reason: str) -> None:
    audit.record("charter.archive", "charter_version", version.id, actor=actor,
                 before={"number": version.number, "status": VersionStatus.PUBLISHED.value},
                 after={"number": version.number, "status": version.status.value},
                 reason=reason)


def _invite_to_sign(previous: CharterVersion, version: CharterVersion) -> int:
    link = external_url("organisations.space")
    owners = db.session.execute(
        select(Organisation, User).join(Membership, Membership.organisation_id == Organisation.id)
        .join(User, User.id == Membership.user_id)
        .where(Organisation.id.in_(_approved_organisation_ids(previous)),
               Membership.role == MemberRole.OWNER, User.confirmed_at.is_not(None))
        .order_by(Organisation.id, User.id)).all()
    for organisation, owner in owners:
        queue(owner.email, "charter_new_version", locale=owner.locale,
              organisation_name=organisation.name, previous_number=previous.number,
              version_number=version.number, version_title=version.title,
              published_at=version.published_at, link=link)
    return len(owners)
