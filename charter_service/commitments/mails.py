"""E-mails of the commitments domain, to an organisation's owners in their own language."""

from ..mailing.services import queue
from ..organisations.models import MemberRole, Organisation


def mail_owners(organisation: Organisation, template: str, **context) -> int:
    owners = [m.user for m in organisation.memberships if m.role == MemberRole.OWNER]
    for user in owners:
        queue(user.email, template, locale=user.locale, organisation=organisation.name,
              **context)
    return len(owners)
