"""E-mails of the commitments domain, to an organisation's owners in their own language."""

from flask import current_app

from ..mailing.services import queue
from ..organisations.models import MemberRole, Organisation


def absolute_url(endpoint: str, **values) -> str:
    """A link for an e-mail, built without a request (the reminders run from cron)."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def mail_owners(organisation: Organisation, template: str, **context) -> int:
    owners = [m.user for m in organisation.memberships if m.role == MemberRole.OWNER]
    for user in owners:
        queue(user.email, template, locale=user.locale, organisation=organisation.name,
              **context)
    return len(owners)
