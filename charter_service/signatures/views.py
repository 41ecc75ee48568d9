from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..charters.services import current_version
from ..dates import french_date
from ..db_types import utcnow
from ..domain import show, unit_of_work
from ..extensions import db
from ..organisations.access import organisation_for_member
from ..parsing import natural
from ..typography import of
from . import services, workflow
from .deliberation import send as send_deliberation
from .forms import ResubmitForm, SignatureForm, WithdrawForm
from .models import Identification, Signature
from .revocation import RevocationLabel
from .services import AlreadySigned, live_signature

bp = Blueprint("signatures", __name__, url_prefix="/espace/organisations")
# Pages that show a signature (the member's space is a page of organisations/, below this
# package) offer the buttons of these transitions, never their own reading of its status.
bp.add_app_template_global(workflow.allowed_transitions, "allowed_transitions")


@bp.route("/<int:organisation_id>/signer", methods=["GET", "POST"])
@login_required
def sign(organisation_id: int):
    organisation = organisation_for_member(organisation_id, owner=True)
    version, refusal = open_version(organisation)
    if refusal is not None:
        return refusal

    form = SignatureForm(organisation, version)
    if not form.is_submitted():  # the account holder signs: their name, their address
        form.signatory_name.data, form.signatory_email.data = (current_user.full_name,
                                                              current_user.email)
    elif not form.shows_version(version):
        flash(_("La charte a changé pendant que vous la lisiez : la version %(number)s est "
                "désormais en vigueur. Relisez-la, puis confirmez à nouveau.",
                number=version.number), "error")
        form.principles_accepted.data = False
    elif form.validate_on_submit():
        with unit_of_work() as work:  # AlreadySigned: signed meanwhile, by someone else
            services.sign(organisation, version, form.signature_data(), current_user)
        if not work.done:
            return redirect(url_for("organisations.space"))
        flash(_("Merci ! La signature %(of_organisation)s est enregistrée ; elle sera "
                "publiée après vérification par l’équipe de modération. Un accusé de "
                "réception a été envoyé par e-mail.", of_organisation=of(organisation)),
              "success")
        return redirect(url_for("organisations.space"))
    form.show_version(version)
    return render_template("signatures/sign.html", form=form, organisation=organisation,
                           version=version)


def open_version(organisation):
    """(the version open to signature, None) or (None, the redirect saying why not)."""
    version = current_version()
    if version is None:
        flash(_("Aucune version de la charte n’est ouverte à la signature pour le moment."), "info")
        return None, redirect(url_for("organisations.space"))
    if live_signature(organisation, version) is not None:
        show(AlreadySigned(organisation))
        return None, redirect(url_for("organisations.space"))
    return version, None


@bp.get("/<int:organisation_id>/signatures/<int:signature_id>/deliberation")
@login_required
def deliberation(organisation_id: int, signature_id: int):
    organisation = organisation_for_member(organisation_id)
    signature = db.session.get(Signature, signature_id)
    if signature is None or signature.organisation_id != organisation.id \
            or signature.deliberation_pdf is None:
        abort(404)
    if signature.identification == Identification.PAPER:  # the proof: for owners only
        organisation_for_member(organisation_id, owner=True)
    return send_deliberation(signature.deliberation_pdf, signature.deliberation_filename)


def signature_of(organisation, signature_id: int) -> Signature:
    signature = db.session.get(Signature, signature_id)
    if signature is None or signature.organisation_id != organisation.id:
        abort(404)
    return signature


@bp.route("/<int:organisation_id>/signatures/<int:signature_id>/corriger",
          methods=["GET", "POST"])
@login_required
def resubmit(organisation_id: int, signature_id: int):
    """After a moderator asked for changes: correct the signatory and send it back for review."""
    organisation = organisation_for_member(organisation_id, owner=True)
    signature = signature_of(organisation, signature_id)
    if not workflow.allowed(signature, workflow.Transition.RESUBMIT):
        flash(_("Cette signature n’attend pas de correction."), "info")
        return redirect(url_for("organisations.space"))
    form = ResubmitForm(obj=signature)
    if form.validate_on_submit():
        for name in ("signatory_name", "signatory_function", "signatory_email"):
            setattr(signature, name, getattr(form, name).data)
        return _apply_or_explain(signature, workflow.Transition.RESUBMIT, form.lock_version.data,
                                 _("Merci ! La signature corrigée est de nouveau en attente de "
                                   "vérification par l’équipe de modération."))
    form.lock_version.data = str(signature.lock_version)
    return render_template("signatures/resubmit.html", form=form, organisation=organisation,
                           signature=signature)


@bp.route("/<int:organisation_id>/signatures/<int:signature_id>/retirer",
          methods=["GET", "POST"])
@login_required
def withdraw(organisation_id: int, signature_id: int):
    """The organisation withdraws its own signature; its attestation is revoked."""
    organisation = organisation_for_member(organisation_id, owner=True)
    signature = signature_of(organisation, signature_id)
    if not workflow.allowed(signature, workflow.Transition.WITHDRAW):
        flash(_("Cette signature ne peut plus être retirée."), "info")
        return redirect(url_for("organisations.space"))
    form = WithdrawForm()
    if form.validate_on_submit():
        return _apply_or_explain(signature, workflow.Transition.WITHDRAW, form.lock_version.data,
                                 _("La signature est retirée. Votre organisation n’apparaît "
                                   "plus au registre public."), reason=form.reason.data or "")
    form.lock_version.data = str(signature.lock_version)
    return render_template("signatures/withdraw.html", form=form, organisation=organisation,
                           signature=signature, public_wording=_withdrawal_wording())


def _withdrawal_wording() -> str:
    """What the verification page and the API will say, word for word."""
    return RevocationLabel.WITHDRAWN_AT_REQUEST.wording(french_date(utcnow()))


def _apply_or_explain(signature, transition, seen_version: str, success: str, reason: str = ""):
    seen = natural(seen_version)
    with unit_of_work(conflict=workflow.STALE_MESSAGE) as work:
        workflow.apply(signature, transition, actor=current_user,
                       seen_version=-1 if seen is None else seen,
                       reason=reason, reason_code="organisation")
    if work.done:
        flash(success, "success")
    return redirect(url_for("organisations.space"))
