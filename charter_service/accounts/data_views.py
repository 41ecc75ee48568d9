"""The member's personal data on request, under /compte: download it, delete the account."""

import json

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..domain import unit_of_work
from . import personal_data, services
from .forms import AccountDeletionForm
from .views import _renew_session, bp


def json_download(data: dict, filename: str) -> Response:
    """A personal JSON file: an attachment no cache keeps."""
    response = Response(json.dumps(data, ensure_ascii=False, indent=2),
                        mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/mes-donnees")
@login_required
def export():
    user = current_user._get_current_object()
    return json_download(personal_data.export(user), f"mes-donnees-{user.id}.json")


@bp.route("/supprimer", methods=["GET", "POST"])
@login_required
def delete():
    user = current_user._get_current_object()
    form = AccountDeletionForm()
    if form.validate_on_submit():
        if not services.password_is(user, form.current_password.data):
            form.current_password.errors.append(_("Le mot de passe actuel est incorrect."))
        else:
            with unit_of_work(form) as work:
                personal_data.erase(user, actor=user)
            if work.done:
                logout_user()
                _renew_session()
                flash(_("Votre compte a été supprimé et vos données personnelles effacées."),
                      "success")
                return redirect(url_for("public.home"))
    return render_template("accounts/delete.html", form=form)
