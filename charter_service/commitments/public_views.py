"""A signatory's public page: who it is and what it publicly undertakes, principle by principle."""

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from ..extensions import db
from ..organisations import geo
from ..organisations.models import Organisation
from . import queries
from .progress import local_today
from .reporting import approval_dates, reporting_status
from .views import labels

bp = Blueprint("signatories", __name__)
bp.context_processor(labels)


@bp.get("/organisations/<slug>")
def page(slug: str):
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    signature = queries.approved_signature(organisation) if organisation else None
    if signature is None:  # the page exists for signatories only
        abort(404)
    groups = queries.public_page_groups(organisation)
    commitments = {c for group in groups for c in group.commitments}
    linked = {c.organisation_id for c in commitments}
    linked |= {p.organisation_id for c in commitments for p in c.partners if p.organisation_id}
    return render_template(
        "commitments/public_page.html", organisation=organisation, signature=signature,
        approved_on=approval_dates([organisation.id]).get(organisation.id),
        reporting=reporting_status(organisation, local_today()), groups=groups,
        commitment_count=len(commitments), has_page=queries.approved_among(linked),
        departement_name=geo.departement_name,
        region_name=geo.region_name)
