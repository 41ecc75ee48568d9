from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..charters.services import current_version
from ..extensions import db
from ..organisations.access import organisation_for_member
from . import services
from .forms import SignatureForm
from .models import Signature
from .services import AlreadySigned, live_signature

bp = Blueprint("signatures", __name__, url_prefix="/espace/organisations")
# Ids beyond a 32-bit integer are answered 404 by routing instead of failing in the database.
ID = "int(max=2147483647)"


@bp.route(f"/<{ID}:organisation_id>/signer", methods=["GET", "POST"])
@login_required
def sign(organisation_id: int):
    organisation = organisation_for_member(organisation_id, owner=True)
    version = current_version()
    if version is None:
        flash(_("Aucune version de la charte n'est ouverte à la signature pour le moment."), "info")
        return redirect(url_for("organisations.space"))
    if live_signature(organisation, version) is not None:
        return _already_signed(organisation)

    form = SignatureForm(organisation, version, signatory_email=current_user.email)
    if form.is_submitted() and not form.shows_version(version):
        flash(_("La charte a changé pendant que vous la lisiez : la version %(number)s est "
                "désormais en vigueur. Relisez-la, puis confirmez à nouveau.",
                number=version.number), "error")
        form.principles_accepted.data = False
    elif form.validate_on_submit():
        try:
            services.sign(organisation, version, form.signature_data(), current_user)
        except AlreadySigned:
            db.session.rollback()
            return _already_signed(organisation)
        db.session.commit()
        flash(_("Merci ! La signature de « %(organisation)s » est enregistrée ; elle sera "
                "publiée après vérification par l'équipe de modération. Un accusé de "
                "réception a été envoyé par e-mail.", organisation=organisation.name),
              "success")
        return redirect(url_for("organisations.space"))
    form.show_version(version)
    return render_template("signatures/sign.html", form=form, organisation=organisation,
                           version=version)


def _already_signed(organisation):
    flash(_("La charte est déjà signée pour « %(organisation)s » : une signature est en cours "
            "ou en vigueur pour cette version.", organisation=organisation.name), "info")
    return redirect(url_for("organisations.space"))


@bp.get(f"/<{ID}:organisation_id>/signatures/<{ID}:signature_id>/deliberation")
@login_required
def deliberation(organisation_id: int, signature_id: int):
    organisation = organisation_for_member(organisation_id)
    signature = db.session.get(Signature, signature_id)
    if signature is None or signature.organisation_id != organisation.id \
            or signature.deliberation_pdf is None:
        abort(404)
    response = send_file(BytesIO(signature.deliberation_pdf), mimetype="application/pdf",
                         as_attachment=True,
                         download_name=signature.deliberation_filename or "deliberation.pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response
