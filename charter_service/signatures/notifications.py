"""Tell the organisation what happened to its signature, each person in their own language."""

from flask import current_app

from ..links import external_url
from ..mailing.services import queue
from ..organisations.models import MemberRole
from .models import Signature

# transition name → e-mail template; a resubmission tells the moderators, not the organisation.
TEMPLATES = {
    "approve": "signature_approved",
    "reject": "signature_rejected",
    "request_changes": "signature_changes_requested",
    "suspend": "signature_suspended",
    "reinstate": "signature_reinstated",
    "withdraw": "signature_withdrawn",
}


def recipients(signature: Signature) -> list[tuple[str, str]]:
    """(e-mail, locale) of the organisation's owners and of the signatory, without repeats."""
    found: dict[str, str] = {}
    for membership in signature.organisation.memberships:
        if membership.role == MemberRole.OWNER:
            found.setdefault(membership.user.email.lower(), membership.user.locale)
    submitter_locale = signature.submitted_by.locale if signature.submitted_by else "fr"
    if signature.signatory_email:  # a paper signature may give none
        found.setdefault(signature.signatory_email.lower(), submitter_locale)
    return list(found.items())


def notify_organisation(signature: Signature, transition: str) -> None:
    template = TEMPLATES.get(transition)
    if template is None:
        return
    for email, locale in recipients(signature):
        queue(email, template, locale=locale, signature=signature,
              organisation=signature.organisation,
              contact=current_app.config["CONTACT_EMAIL"],
              space_url=external_url("organisations.space"),
              # Its page in the member's space lists the attestations with their downloads.
              attestations_url=external_url("organisations.detail",
                                            organisation_id=signature.organisation_id)
              + "#attestations",
              public_url=external_url("signatories.page", slug=signature.organisation.slug))
