"""Tell the organisation what happened to its signature, each person in their own language."""

from flask import current_app

from ..mailing.services import queue
from ..organisations.models import MemberRole
from .models import Signature
from .workflow import Transition

TEMPLATES = {
    Transition.APPROVE: "signature_approved",
    Transition.REJECT: "signature_rejected",
    Transition.REQUEST_CHANGES: "signature_changes_requested",
    Transition.SUSPEND: "signature_suspended",
    Transition.REINSTATE: "signature_reinstated",
    Transition.WITHDRAW: "signature_withdrawn",
}


def recipients(signature: Signature) -> list[tuple[str, str]]:
    """(e-mail, locale) of the organisation's owners and of the signatory, without repeats."""
    found: dict[str, str] = {}
    for membership in signature.organisation.memberships:
        if membership.role == MemberRole.OWNER:
            found.setdefault(membership.user.email.lower(), membership.user.locale)
    submitter_locale = signature.submitted_by.locale if signature.submitted_by else "fr"
    found.setdefault(signature.signatory_email.lower(), submitter_locale)
    return list(found.items())


def notify_organisation(signature: Signature, transition: Transition) -> None:
    template = TEMPLATES.get(transition)
    if template is None:
        return
    for email, locale in recipients(signature):
        queue(email, template, locale=locale, signature=signature,
              organisation=signature.organisation,
              contact=current_app.config["CONTACT_EMAIL"],
              base_url=current_app.config["PUBLIC_BASE_URL"])
