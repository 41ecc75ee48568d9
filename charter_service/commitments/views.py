"""The member's space for commitments: list, record, edit, read.

Owners and members of an organisation record and edit its commitments and progress; only
owners answer partnership invitations (they speak for the organisation towards another one).
Every route loads the organisation through organisation_for_member and then the commitment
*of that organisation*: a forged id answers 404.
"""

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..db_types import utcnow
from ..domain import unit_of_work
from ..idempotency import services as once
from ..organisations.access import organisation_for_member
from ..organisations.models import MemberRole, Organisation
from . import completeness, services
from . import partners as partner_services
from .annual.services import submitted_reports
from .forms import CommitmentForm, commitment_form_data, error_items, format_amount
from .means import ResourceKind
from .models import Commitment, PartnerStatus, Visibility
from .progress import can_amend, local_today
from .reporting import reporting_rules, reporting_status
from .sdgs import SDG_NAMES, target_title

bp = Blueprint("commitments", __name__)
# Quoted by the pages that say what signing commits to (templates/charters/_commitments.html).
bp.add_app_template_global(reporting_rules, "reporting_rules")


@bp.app_template_global("reporting_status_of")
def reporting_status_of(organisation: Organisation):
    """For the pages of lower layers that say where a signatory stands (the verification
    page of an attestation, certificates/_status.html): its reporting status today."""
    return reporting_status(organisation, local_today())


BASE = "/espace/organisations/<int:organisation_id>/engagements"


@bp.context_processor
def labels() -> dict:
    """What the commitment templates show; also given to the public page's blueprint."""
    return {"sdg_names": SDG_NAMES, "target_title": target_title,
            "resource_amount": resource_amount,
            "format_amount": format_amount, "error_items": error_items}


def resource_amount(kind: ResourceKind, amount: Decimal) -> str:
    """« 12 500 € », « 2,5 jours », « 12 bénévoles »: the page's locale groups the digits."""
    number = format_decimal(amount.normalize())
    if kind in (ResourceKind.BUDGET, ResourceKind.IN_KIND):
        return _("%(amount)s\u00a0€", amount=number)
    if kind == ResourceKind.SKILLS_DAYS:
        return ngettext("%(amount)s jour", "%(amount)s jours", int(amount), amount=number)
    return ngettext("%(amount)s personne", "%(amount)s personnes", int(amount), amount=number)


def owned_commitment(organisation_id: int, commitment_id: int
                     ) -> tuple[Organisation, Commitment]:
    organisation = organisation_for_member(organisation_id)
    commitment = services.commitment_of(organisation, commitment_id)
    if commitment is None:
        abort(404)
    return organisation, commitment


def is_owner(organisation: Organisation) -> bool:
    return organisation.role_of(current_user) == MemberRole.OWNER


@bp.get(BASE)
@login_required
def index(organisation_id: int):
    organisation = organisation_for_member(organisation_id)
    return render_template(
        "commitments/index.html", organisation=organisation,
        commitments=services.commitments_of(organisation),
        invitations=partner_services.partnerships_of(organisation, PartnerStatus.INVITED),
        joint=partner_services.partnerships_of(organisation, PartnerStatus.CONFIRMED),
        can_record=services.signed_version(organisation) is not None,
        reporting=reporting_status(organisation, local_today()), is_owner=is_owner(organisation),
        submitted_reports=submitted_reports(organisation))


@bp.route(f"{BASE}/nouveau", methods=["GET", "POST"])
@login_required
def create(organisation_id: int):
    organisation = organisation_for_member(organisation_id)
    version = services.signed_version(organisation)
    if version is None:
        flash(_("Seule une organisation signataire de la charte (signature en attente ou "
                "approuvée) peut enregistrer des engagements."), "error")
        return redirect(url_for(".index", organisation_id=organisation.id))
    form = CommitmentForm(version)
    if form.validate_on_submit():
        with unit_of_work(form, replay_to=url_for(".index",
                                                  organisation_id=organisation.id)) as work:
            submission = once.claim(form.form_key.data, "commitment", current_user)
            commitment = services.create_commitment(organisation, form.to_data(), current_user)
            once.fulfil(submission, url_for(".detail", organisation_id=organisation.id,
                                            commitment_id=commitment.id))
        if work.done:
            flash(_("L’engagement « %(title)s » est enregistré.", title=commitment.title),
                  "success")
            return redirect(url_for(".detail", organisation_id=organisation.id,
                                    commitment_id=commitment.id))
    return render_template("commitments/form.html", form=form, organisation=organisation,
                           commitment=None, version=version,
                           completeness=completeness.criteria(None))


@bp.route(f"{BASE}/<int:commitment_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(organisation_id: int, commitment_id: int):
    organisation, commitment = owned_commitment(organisation_id, commitment_id)
    form = CommitmentForm(commitment.charter_version, data=commitment_form_data(commitment))
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.update_commitment(commitment, form.to_data(), current_user)
        if work.done:
            flash(_("Les modifications sont enregistrées."), "success")
            return redirect(url_for(".detail", organisation_id=organisation.id,
                                    commitment_id=commitment.id))
    return render_template("commitments/form.html", form=form, organisation=organisation,
                           commitment=commitment, version=commitment.charter_version,
                           completeness=completeness.criteria(commitment))


@bp.get(f"{BASE}/<int:commitment_id>")
@login_required
def detail(organisation_id: int, commitment_id: int):
    organisation = organisation_for_member(organisation_id)
    commitment = services.commitment_of(organisation, commitment_id)
    partnership = None
    if commitment is None:
        partnership = partner_services.partnership_of(organisation, commitment_id)
        if partnership is None:
            abort(404)
        commitment = partnership.commitment
    now = utcnow()
    return render_template("commitments/detail.html", organisation=organisation,
                           commitment=commitment, partnership=partnership,
                           partner_actions=partner_services.partner_actions(partnership)
                           if partnership else [],
                           is_owner=is_owner(organisation), public=Visibility.PUBLIC,
                           completeness=None if partnership
                           else completeness.criteria(commitment),
                           can_amend=lambda update: can_amend(update, current_user, now))
