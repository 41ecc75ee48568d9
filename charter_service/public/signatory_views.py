"""A signatory's public page: who it is and what it publicly undertakes, principle by principle;
a former signatory's honest page (suspended, withdrawn); and the logo, public with a signatory's
page."""

import hashlib

from flask import Blueprint, abort, make_response, render_template, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import undefer

from ..commitments import queries
from ..commitments.progress import local_today
from ..commitments.reporting import approval_dates, reporting_status
from ..commitments.views import labels
from ..extensions import db
from ..organisations import geo
from ..organisations.access import membership_of
from ..organisations.models import Organisation
from ..signatures.models import has_public_page
from .standing import standing

bp = Blueprint("signatories", __name__)
bp.context_processor(labels)


@bp.get("/organisations/<slug>")
def page(slug: str):
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    found = standing(organisation) if organisation else None
    if found is None:  # the page exists for organisations that were signatories once
        abort(404)
    # A former signatory's own commitments are no longer public: only those it joined remain.
    groups = queries.public_page_groups(organisation)
    commitments = {c for group in groups for c in group.commitments}
    linked = {c.organisation_id for c in commitments}
    linked |= {p.organisation_id for c in commitments for p in c.partners if p.organisation_id}
    signatory = found.is_signatory
    return render_template(
        "commitments/public_page.html", organisation=organisation, standing=found,
        signature=found.current.signature,
        approved_on=approval_dates([organisation.id]).get(organisation.id) if signatory
        else found.current.approved_on,
        reporting=reporting_status(organisation, local_today()) if signatory else None,
        groups=groups, commitment_count=len(commitments),
        has_page=queries.approved_among(linked), departement_name=geo.departement_name,
        region_name=geo.region_name)


@bp.get("/organisations/<slug>/logo")
def logo(slug: str):
    """Public with the organisation's public page; otherwise only for its members and the
    moderators, and never cached by anyone else."""
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.slug == slug).options(undefer(Organisation.logo)))
    if organisation is None or not organisation.logo:
        abort(404)
    public = has_public_page(organisation.id)
    if not public and not _may_see_private_logo(organisation):
        abort(404)
    response = make_response(organisation.logo)
    response.headers["Content-Type"] = organisation.logo_mime or "image/png"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Content-Disposition"] = f'inline; filename="{organisation.slug}-logo.png"'
    if public:
        response.cache_control.public = True
        response.cache_control.max_age = 3600
    else:
        response.headers["Cache-Control"] = "private, no-store"
    response.set_etag(hashlib.sha256(organisation.logo).hexdigest()[:32])
    response.last_modified = organisation.updated_at
    return response.make_conditional(request)


def _may_see_private_logo(organisation: Organisation) -> bool:
    return current_user.is_authenticated and (
        current_user.is_moderator or membership_of(current_user, organisation.id) is not None)
