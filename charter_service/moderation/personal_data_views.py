"""Personal data on request, handled by a moderator for a person who wrote in: find the
account, send them its data, erase it. Each export and each erasure is audited."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts import personal_data
from ..accounts.data_views import json_download
from ..accounts.models import User
from ..accounts.services import find_user_by_email
from ..audit import services as audit
from ..domain import unit_of_work
from ..extensions import db
from ..idempotency import services as once
from . import bp
from .access import moderator_required
from .forms import AccountEraseForm, AccountExportForm, AccountLookupForm


@bp.get("/comptes")
@moderator_required
def accounts():
    form = AccountLookupForm(request.args)
    found = None
    if "email" in request.args and form.validate():
        found = find_user_by_email(form.email.data)
        if found is not None:
            return redirect(url_for(".account", user_id=found.id))
        form.email.errors.append(_("Aucun compte n’utilise cette adresse."))
    return render_template("moderation/accounts.html", form=form)


@bp.get("/comptes/<int:user_id>")
@moderator_required
def account(user_id: int):
    user = db.get_or_404(User, user_id)
    return render_template("moderation/account.html", user=user,
                           export_form=AccountExportForm(), erase_form=AccountEraseForm())


@bp.post("/comptes/<int:user_id>/export")
@moderator_required
def export_account(user_id: int):
    user = db.get_or_404(User, user_id)
    if not AccountExportForm().validate_on_submit():
        return redirect(url_for(".account", user_id=user.id))
    with unit_of_work():
        data = personal_data.export(user)
        audit.record("user.export", "user", user.id, actor=current_user._get_current_object(),
                     before={}, after={"sections": sorted(data)})
    return json_download(data, f"donnees-compte-{user.id}.json")


@bp.post("/comptes/<int:user_id>/suppression")
@moderator_required
def erase_account(user_id: int):
    user = db.get_or_404(User, user_id)
    form = AccountEraseForm()
    target = url_for(".account", user_id=user.id)
    if not form.validate_on_submit():
        return render_template("moderation/account.html", user=user,
                               export_form=AccountExportForm(), erase_form=form), 400
    with unit_of_work(form, replay_to=target) as work:
        submission = once.claim(form.form_key.data, "account_erase", current_user)
        personal_data.erase(user, actor=current_user._get_current_object())
        once.fulfil(submission, target)
    if work.done:
        flash(_("Le compte n° %(id)d est supprimé : ses données personnelles sont effacées.",
                id=user.id), "success")
    return redirect(target)
