"""The two sides of a signature signed by the organisation's representative: the member who
prepares it, resends the link or names someone else (in the member's space), and the
representative's own page, reached from the e-mailed link without an account. That page
changes nothing when it is opened: only its two buttons (POST) sign or decline."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain import unit_of_work
from ..organisations.access import organisation_for_member
from ..parsing import natural
from ..typography import of
from . import representative
from .forms import ConfirmForm, DeclineForm, PrepareForm, RepresentativeChangeForm, ResendForm
from .models import SignatureStatus
from .views import bp, open_version, signature_of

link_bp = Blueprint("representative", __name__, url_prefix="/signature-representant")


@bp.route("/<int:organisation_id>/signer/preparer", methods=["GET", "POST"])
@login_required
def prepare(organisation_id: int):
    organisation = organisation_for_member(organisation_id, owner=True)
    version, refusal = open_version(organisation)
    if refusal is not None:
        return refusal
    form = PrepareForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            representative.prepare(organisation, version, _representative_data(form),
                                   current_user)
        if work.done:
            flash(_("La demande de signature est envoyée à %(email)s. La signature entrera en "
                    "modération dès que cette personne l’aura confirmée ; vous serez prévenu·e "
                    "si elle décline.", email=form.signatory_email.data), "success")
            return redirect(url_for("organisations.space"))
    return render_template("signatures/prepare.html", form=form, organisation=organisation,
                           version=version)


@bp.post("/<int:organisation_id>/signatures/<int:signature_id>/renvoyer-lien")
@login_required
def resend_link(organisation_id: int, signature_id: int):
    organisation = organisation_for_member(organisation_id, owner=True)
    signature = signature_of(organisation, signature_id)
    form = ResendForm()
    seen = natural(form.lock_version.data) if form.validate_on_submit() else None
    with unit_of_work() as work:
        representative.resend(signature, current_user, -1 if seen is None else seen)
    if work.done:
        flash(_("Un nouveau lien a été envoyé à %(email)s ; le précédent ne fonctionne plus.",
                email=signature.signatory_email), "success")
    return redirect(url_for("organisations.space"))


@bp.route("/<int:organisation_id>/signatures/<int:signature_id>/representant",
          methods=["GET", "POST"])
@login_required
def change_representative(organisation_id: int, signature_id: int):
    organisation = organisation_for_member(organisation_id, owner=True)
    signature = signature_of(organisation, signature_id)
    if signature.status != SignatureStatus.AWAITING_REPRESENTATIVE:
        flash(str(representative.NOT_AWAITING), "info")
        return redirect(url_for("organisations.space"))
    form = RepresentativeChangeForm(obj=signature)
    if form.validate_on_submit():
        seen = natural(form.lock_version.data)
        with unit_of_work(form) as work:
            representative.change_representative(
                signature, _representative_data(form), current_user, -1 if seen is None else seen)
        if work.done:
            flash(_("La demande est envoyée à %(email)s ; le lien précédent ne fonctionne plus.",
                    email=signature.signatory_email), "success")
            return redirect(url_for("organisations.space"))
    else:
        form.lock_version.data = str(signature.lock_version)
    return render_template("signatures/change_representative.html", form=form,
                           organisation=organisation, signature=signature)


def _representative_data(form) -> dict:
    return {name: getattr(form, name).data
            for name in ("signatory_name", "signatory_function", "signatory_email")}


@link_bp.get("/<token>")
def page(token: str):
    signature, problem = _load(token)
    if problem is not None:
        return problem
    return _render(signature, token, ConfirmForm(signature.organisation,
                                                 signature.charter_version, prefix="confirm"),
                   DeclineForm(prefix="decline"))


@link_bp.post("/<token>/signer")
def confirm(token: str):
    signature, problem = _load(token)
    if problem is not None:
        return problem
    form = ConfirmForm(signature.organisation, signature.charter_version, prefix="confirm")
    if not form.validate_on_submit():
        return _render(signature, token, form, DeclineForm(prefix="decline"))
    return act_from_link(representative.confirm, signature, form, _(
        "Merci ! Votre signature au nom %(of_organisation)s est enregistrée ; elle sera "
        "publiée après vérification par l’équipe de modération. Un accusé de réception vous a "
        "été envoyé par e-mail.", of_organisation=of(signature.organisation)))


@link_bp.post("/<token>/decliner")
def decline(token: str):
    signature, problem = _load(token)
    if problem is not None:
        return problem
    form = DeclineForm(prefix="decline")
    if not form.validate_on_submit():
        return _render(signature, token, ConfirmForm(
            signature.organisation, signature.charter_version, prefix="confirm"), form)
    return act_from_link(representative.decline, signature, form, _(
        "Vous avez décliné : la charte n’est pas signée au nom %(of_organisation)s. La "
        "personne qui avait préparé la signature en est informée.",
        of_organisation=of(signature.organisation)), reason=form.reason.data or "")


def _load(token: str):
    return load_from_link(representative.signature_for_link, token)


def load_from_link(reader, token: str, hint: str | None = None):
    """(the signature `reader` finds for the link, None), or (None, the page saying why it
    cannot be used); `hint` says who can send a new one. Shared with the hand-over's link."""
    try:
        viewer = current_user if current_user.is_authenticated else None
        return reader(token, viewer), None
    except representative.LinkError as error:
        return None, (_invalid(error, hint), error.status)


def act_from_link(action, signature, form, success: str, hint: str | None = None, **extra):
    """One button of a link's page, in one unit of work: the done page, or why not (409)."""
    seen = natural(form.lock_version.data)
    organisation_name = signature.organisation.name
    with unit_of_work(quiet=True) as work:
        action(signature, -1 if seen is None else seen, **extra)
    if not work.done:
        return _invalid(work.error, hint), 409
    return render_template("signatures/representative_done.html", message=success,
                           organisation_name=organisation_name)


def _invalid(error, hint: str | None):
    return render_template("signatures/representative_link_invalid.html", error=error,
                           renew_hint=hint)


def render_link_page(template: str, signature, token, confirm_form, decline_form):
    """A link's page, its two forms naming the lock version it shows."""
    confirm_form.lock_version.data = decline_form.lock_version.data = str(
        signature.lock_version)
    return render_template(template, signature=signature, version=signature.charter_version,
                           token=token, confirm_form=confirm_form, decline_form=decline_form)


def _render(signature, token, confirm_form, decline_form):
    return render_link_page("signatures/representative.html", signature, token, confirm_form,
                            decline_form)
