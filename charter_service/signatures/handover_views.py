"""The two sides of a hand-over: the owner who names the successor, resends the link, changes
the successor or cancels (member's space), and the successor's own page, reached from the
e-mailed link without an account, which changes nothing until one of its buttons (POST) is
pressed."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import Length

from ..domain import unit_of_work
from ..organisations.access import organisation_for_member
from ..parsing import natural
from ..text_fields import MultiLineText
from ..typography import of
from . import handover
from .forms import ConfirmForm, RepresentativeChangeForm, ResendForm
from .models import SignatureStatus
from .representative_views import act_from_link, load_from_link, render_link_page
from .views import bp, signature_of

link_bp = Blueprint("handover", __name__, url_prefix="/passation-representant")


class HandoverDeclineForm(FlaskForm):
    lock_version = HiddenField()
    reason = MultiLineText(
        _l("Un mot pour la personne qui a demandé la passation (facultatif)"),
        validators=[Length(max=2000, message=_l("2000 caractères au plus."))])


def _seen(form) -> int:
    seen = natural(form.lock_version.data)
    return -1 if seen is None else seen


@bp.route("/<int:organisation_id>/signatures/<int:signature_id>/passation",
          methods=["GET", "POST"])
@login_required
def hand_over(organisation_id: int, signature_id: int):
    """Name a successor, or, while one waits, another one."""
    organisation = organisation_for_member(organisation_id, owner=True)
    signature = signature_of(organisation, signature_id)
    if signature.status != SignatureStatus.APPROVED:
        flash(str(handover.NOT_APPROVED), "info")
        return redirect(url_for("organisations.space"))
    waiting = signature.successor_nonce is not None
    form = RepresentativeChangeForm(data={
        "signatory_name": signature.successor_name,
        "signatory_function": signature.successor_function,
        "signatory_email": signature.successor_email} if waiting else None)
    if form.validate_on_submit():
        data = {name: getattr(form, name).data
                for name in ("signatory_name", "signatory_function", "signatory_email")}
        with unit_of_work(form) as work:
            (handover.change if waiting else handover.ask)(signature, data, current_user,
                                                          _seen(form))
        if work.done:
            flash(_("La demande de passation est envoyée à %(email)s. %(name)s représentera "
                    "l’organisation dès qu’il ou elle l’aura confirmée.",
                    email=data["signatory_email"], name=data["signatory_name"]), "success")
            return redirect(url_for("organisations.space"))
    else:
        form.lock_version.data = str(signature.lock_version)
    return render_template("signatures/handover/form.html", form=form,
                           organisation=organisation, signature=signature, waiting=waiting)


@bp.post("/<int:organisation_id>/signatures/<int:signature_id>/passation/renvoyer")
@login_required
def resend_handover(organisation_id: int, signature_id: int):
    return _owner_step(organisation_id, signature_id, handover.resend,
                       _("Un nouveau lien a été envoyé au successeur ; le précédent ne "
                         "fonctionne plus."))


@bp.post("/<int:organisation_id>/signatures/<int:signature_id>/passation/annuler")
@login_required
def cancel_handover(organisation_id: int, signature_id: int):
    return _owner_step(organisation_id, signature_id, handover.cancel,
                       _("La passation est annulée ; le lien envoyé au successeur ne "
                         "fonctionne plus."))


def _owner_step(organisation_id: int, signature_id: int, step, success: str):
    organisation = organisation_for_member(organisation_id, owner=True)
    signature = signature_of(organisation, signature_id)
    form = ResendForm()
    seen = _seen(form) if form.validate_on_submit() else -1
    with unit_of_work() as work:
        step(signature, current_user, seen)
    if work.done:
        flash(success, "success")
    return redirect(url_for("organisations.space"))


@link_bp.get("/<token>")
def page(token: str):
    signature, problem = _load(token)
    if problem is not None:
        return problem
    return _render(signature, token, _confirm_form(signature), HandoverDeclineForm(
        prefix="decline"))


@link_bp.post("/<token>/confirmer")
def confirm(token: str):
    signature, problem = _load(token)
    if problem is not None:
        return problem
    form = _confirm_form(signature)
    if not form.validate_on_submit():
        return _render(signature, token, form, HandoverDeclineForm(prefix="decline"))
    return _act(handover.confirm, signature, form, _(
        "Merci ! Vous représentez désormais « %(organisation)s » pour la Charte du faire "
        "alliance. Une nouvelle attestation à votre nom remplace la précédente ; l’équipe de "
        "modération en est informée.",
        organisation=signature.organisation.name))


@link_bp.post("/<token>/decliner")
def decline(token: str):
    signature, problem = _load(token)
    if problem is not None:
        return problem
    form = HandoverDeclineForm(prefix="decline")
    if not form.validate_on_submit():
        return _render(signature, token, _confirm_form(signature), form)
    return _act(handover.decline, signature, form, _(
        "Vous avez décliné : le représentant légal %(of_organisation)s reste inchangé. La "
        "personne qui avait demandé la passation en est informée.",
        of_organisation=of(signature.organisation)), reason=form.reason.data or "")


def _confirm_form(signature) -> ConfirmForm:
    return ConfirmForm(signature.organisation, signature.charter_version, prefix="confirm")


def _load(token: str):
    return load_from_link(handover.signature_for_link, token, _renew_hint())


def _act(action, signature, form, success: str, **extra):
    return act_from_link(action, signature, form, success, _renew_hint(), **extra)


def _renew_hint() -> str:
    return _("Pour recevoir un nouveau lien, demandez à la personne qui a demandé la passation "
             "de le renvoyer depuis son espace.")


def _render(signature, token, confirm_form, decline_form):
    return render_link_page("signatures/handover/successor.html", signature, token,
                            confirm_form, decline_form)
