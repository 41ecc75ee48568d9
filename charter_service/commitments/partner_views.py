"""Partners and progress in the member's space (routes of the `commitments` blueprint)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import text
from ..db_types import utcnow
from ..domain import unit_of_work
from ..extensions import db
from ..idempotency import services as once
from ..idempotency.forms import new_key
from ..organisations.access import organisation_for_member
from . import partners as partner_services
from . import progress as progress_services
from .forms import InviteForm, OutsidePartnerForm, progress_form, progress_form_data
from .models import CommitmentPartner, PartnerStatus
from .services import CommitmentError
from .views import BASE, bp, owned_commitment


def _detail(organisation_id: int, commitment_id: int):
    return redirect(_detail_url(organisation_id, commitment_id))


@bp.route(f"{BASE}/<int:commitment_id>/partenaires", methods=["GET", "POST"])
@login_required
def partners(organisation_id: int, commitment_id: int):
    organisation, commitment = owned_commitment(organisation_id, commitment_id)
    invite_form, outside_form = InviteForm(), OutsidePartnerForm(formdata=None)
    page = _partners_page(organisation.id, commitment.id)
    if request.method == "POST":
        with unit_of_work(replay_to=page) as work:
            if not invite_form.validate_on_submit():
                raise CommitmentError(_("Choisissez une organisation dans les résultats de la "
                                        "recherche."))
            submission = once.claim(invite_form.form_key.data, "partner_invitation",
                                    current_user)
            partner = partner_services.invite_partner(commitment, invite_form.organisation_id.data,
                                                      current_user)
            once.fulfil(submission, page)
        if work.done:
            flash(_("%(name)s est invitée ; ses responsables ont reçu un e-mail.",
                    name=partner.organisation.name), "success")
            return redirect(page)
    return _render_partners(organisation, commitment, outside_form)


def _partners_page(organisation_id: int, commitment_id: int) -> str:
    return url_for(".partners", organisation_id=organisation_id, commitment_id=commitment_id)


def _render_partners(organisation, commitment, outside_form):
    try:
        query = text.clean(request.args.get("q", ""))
    except text.UnsafeText as exc:
        flash(exc.problem.message(), "error")
        query = ""
    taken = {organisation.id} | {p.organisation_id for p in commitment.partners
                                 if p.organisation_id}
    results = partner_services.search_signatories(query, taken) if query else []
    return render_template("commitments/partners.html", organisation=organisation,
                           commitment=commitment, query=query, results=results,
                           outside_form=outside_form, new_form_key=new_key)


@bp.post(f"{BASE}/<int:commitment_id>/partenaires/exterieur")
@login_required
def add_outside_partner(organisation_id: int, commitment_id: int):
    organisation, commitment = owned_commitment(organisation_id, commitment_id)
    form = OutsidePartnerForm()
    page = _partners_page(organisation.id, commitment.id)
    if form.validate_on_submit():
        with unit_of_work(form, replay_to=page) as work:
            submission = once.claim(form.form_key.data, "outside_partner", current_user)
            partner_services.add_outside_partner(commitment, form.outside_name.data, current_user)
            once.fulfil(submission, page)
        if work.done:
            flash(_("Le partenaire extérieur « %(name)s » est ajouté.",
                    name=form.outside_name.data), "success")
            return redirect(page)
    return _render_partners(organisation, commitment, form)


@bp.post(f"{BASE}/<int:commitment_id>/partenaires/<int:partner_id>/retirer")
@login_required
def remove_partner(organisation_id: int, commitment_id: int, partner_id: int):
    organisation, commitment = owned_commitment(organisation_id, commitment_id)
    partner = db.session.get(CommitmentPartner, partner_id)
    if partner is None or partner.commitment_id != commitment.id:
        abort(404)
    name = partner.display_name
    with unit_of_work():
        partner_services.remove_partner(partner, current_user)
    flash(_("« %(name)s » ne figure plus parmi les partenaires.", name=name), "success")
    return redirect(url_for(".partners", organisation_id=organisation.id,
                            commitment_id=commitment.id))


@bp.post(f"{BASE}/<int:commitment_id>/partenariat/confirmer")
@login_required
def confirm_partnership(organisation_id: int, commitment_id: int):
    """The invited organisation's owner answers; `organisation_id` is the partner's."""
    return _decide(organisation_id, commitment_id, accept=True)


@bp.post(f"{BASE}/<int:commitment_id>/partenariat/decliner")
@login_required
def decline_partnership(organisation_id: int, commitment_id: int):
    return _decide(organisation_id, commitment_id, accept=False)


def _decide(organisation_id: int, commitment_id: int, accept: bool):
    organisation = organisation_for_member(organisation_id, owner=True)
    partnership = partner_services.partnership_of(organisation, commitment_id)
    if partnership is None:
        abort(404)
    with unit_of_work() as work:
        partner_services.decide(partnership, accept, current_user)
    if work.done:
        if accept:
            flash(_("Le partenariat est confirmé : l’engagement figure aussi sur la page "
                    "publique de votre organisation s’il est public."), "success")
        else:
            flash(_("Vous avez décliné ce partenariat."), "success")
    return redirect(url_for(".index", organisation_id=organisation.id))


@bp.route(f"{BASE}/<int:commitment_id>/avancement", methods=["GET", "POST"])
@login_required
def progress(organisation_id: int, commitment_id: int):
    organisation, commitment = owned_commitment(organisation_id, commitment_id)
    form = progress_form(commitment.indicators)
    detail = _detail_url(organisation.id, commitment.id)
    if form.validate_on_submit():
        with unit_of_work(form, replay_to=detail) as work:
            submission = once.claim(form.form_key.data, "progress", current_user)
            update = progress_services.add_progress(commitment, form.to_data(), current_user)
            once.fulfil(submission, f"{detail}#avancement-{update.id}")
        if work.done:
            flash(_("L’avancement est enregistré."), "success")
            return redirect(f"{detail}#avancement-{update.id}")
    return render_template("commitments/progress.html", organisation=organisation,
                           commitment=commitment, form=form, update=None)


@bp.route(f"{BASE}/<int:commitment_id>/avancements/<int:update_id>/modifier",
          methods=["GET", "POST"])
@login_required
def amend_update(organisation_id: int, commitment_id: int, update_id: int):
    organisation, commitment, update = _own_update(organisation_id, commitment_id, update_id)
    form = progress_form(commitment.indicators, data=progress_form_data(update))
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            progress_services.amend_progress(update, form.to_data(), current_user, utcnow())
        if work.done:
            flash(_("L’avancement est corrigé."), "success")
            return redirect(f"{_detail_url(organisation.id, commitment.id)}#avancement-{update.id}")
    return render_template("commitments/progress.html", organisation=organisation,
                           commitment=commitment, form=form, update=update)


@bp.post(f"{BASE}/<int:commitment_id>/avancements/<int:update_id>/supprimer")
@login_required
def delete_update(organisation_id: int, commitment_id: int, update_id: int):
    organisation, commitment, update = _own_update(organisation_id, commitment_id, update_id)
    with unit_of_work():
        progress_services.delete_progress(update, current_user, utcnow())
    flash(_("L’avancement est supprimé."), "success")
    return _detail(organisation.id, commitment.id)


def _own_update(organisation_id: int, commitment_id: int, update_id: int):
    """404 outside the organisation, 403 for another member or after 24 hours."""
    organisation, commitment = owned_commitment(organisation_id, commitment_id)
    update = progress_services.update_of(commitment, update_id)
    if update is None:
        abort(404)
    if not progress_services.can_amend(update, current_user, utcnow()):
        abort(403)
    return organisation, commitment, update


def _detail_url(organisation_id: int, commitment_id: int) -> str:
    return url_for(".detail", organisation_id=organisation_id, commitment_id=commitment_id)


@bp.post(f"{BASE}/<int:commitment_id>/avancements/<int:update_id>/confirmer")
@login_required
def confirm_update(organisation_id: int, commitment_id: int, update_id: int):
    """A confirmed partner vouches for an update; `organisation_id` is the partner's."""
    organisation = organisation_for_member(organisation_id)
    partnership = partner_services.partnership_of(organisation, commitment_id,
                                                  statuses=(PartnerStatus.CONFIRMED,))
    if partnership is None:
        abort(404)
    update = progress_services.update_of(partnership.commitment, update_id)
    if update is None:
        abort(404)
    with unit_of_work() as work:
        progress_services.confirm_update(update, organisation, current_user)
    if work.done:
        flash(_("Votre organisation confirme cet avancement."), "success")
    return _detail(organisation.id, commitment_id)
