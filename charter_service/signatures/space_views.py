"""The member's space (/espace/) and an organisation's page in it: each organisation with its
signatures. They show signatures, so they live here, above organisations/, on the
organisations blueprint (same URLs, same endpoint names)."""

from flask import render_template
from flask_login import current_user, login_required

from .. import waiting
from ..organisations.access import organisation_for_member
from ..organisations.views import bp
from . import space as signing_space


@bp.get("/espace/")
@login_required
def space():
    entries = signing_space.space_entries(current_user)
    return render_template("organisations/space.html", entries=entries,
                           waiting_items=waiting.items_for(current_user))


@bp.get("/espace/organisations/<int:organisation_id>")
@login_required
def detail(organisation_id: int):
    organisation = organisation_for_member(organisation_id)
    role = organisation.role_of(current_user)
    return render_template(
        "organisations/detail.html", organisation=organisation, role=role,
        can_sign=signing_space.can_sign(organisation, role),
        signatures=signing_space.signature_history(organisation))
