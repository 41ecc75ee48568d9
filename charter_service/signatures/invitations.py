"""When a new charter version replaces one, the owners of the organisations whose signature of
the old version is approved are invited to sign the new one."""

from sqlalchemy import func, select

from ..accounts.models import User
from ..charters.models import CharterVersion
from ..extensions import db
from ..links import external_url
from ..mailing.services import queue
from ..organisations.models import MemberRole, Membership, Organisation
from ..signals import version_published
from .models import Signature, SignatureStatus


def _approved_organisation_ids(version: CharterVersion):
    return select(Signature.organisation_id).where(
        Signature.charter_version_id == version.id, Signature.status == SignatureStatus.APPROVED)


def approved_organisation_count(version: CharterVersion) -> int:
    return db.session.scalar(
        select(func.count()).select_from(_approved_organisation_ids(version).distinct().subquery()))


@version_published.connect
def invite_to_sign(_sender, *, previous: CharterVersion, version: CharterVersion) -> int:
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
