"""Moderators hide or show again a commitment or a progress update (routes of `commitments`)."""

from functools import wraps

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..domain import unit_of_work
from ..extensions import db
from . import moderation
from .forms import HideForm
from .models import Commitment, ProgressUpdate
from .views import bp

HIDDEN_LIST_LIMIT = 200


def moderator_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_moderator:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


@bp.get("/moderation/engagements")
@moderator_required
def moderation_index():
    hidden_commitments = db.session.scalars(
        select(Commitment).where(Commitment.hidden_at.is_not(None))
        .options(joinedload(Commitment.organisation))
        .order_by(Commitment.hidden_at.desc()).limit(HIDDEN_LIST_LIMIT)).all()
    hidden_updates = db.session.scalars(
        select(ProgressUpdate).where(ProgressUpdate.hidden_at.is_not(None))
        .options(joinedload(ProgressUpdate.commitment).joinedload(Commitment.organisation))
        .order_by(ProgressUpdate.hidden_at.desc()).limit(HIDDEN_LIST_LIMIT)).all()
    return render_template("commitments/moderation_index.html",
                           hidden_commitments=hidden_commitments, hidden_updates=hidden_updates)


@bp.get("/moderation/engagements/<int:commitment_id>")
@moderator_required
def moderation_detail(commitment_id: int):
    commitment = db.get_or_404(Commitment, commitment_id)
    return _render_detail(commitment)


def form_prefix(item) -> str:
    """One hide form per item on the page: each needs its own field ids."""
    return "engagement" if isinstance(item, Commitment) else f"avancement-{item.id}"


def _render_detail(commitment: Commitment, failed_item=None, failed: HideForm | None = None):
    forms = {form_prefix(item): HideForm(formdata=None, prefix=form_prefix(item))
             for item in [commitment, *commitment.updates]}
    if failed is not None:
        forms[form_prefix(failed_item)] = failed
    return render_template("commitments/moderation_detail.html", commitment=commitment,
                           forms=forms)


def _back(commitment: Commitment):
    return redirect(url_for(".moderation_detail", commitment_id=commitment.id))


def _hide(item, commitment: Commitment):
    form = HideForm(prefix=form_prefix(item))
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            moderation.hide(item, form.reason.data, current_user)
        if work.done:
            flash(_("L’élément est masqué : il n’apparaît plus sur aucune page publique, ni "
                    "dans l’API."), "success")
            return _back(commitment)
    return _render_detail(commitment, item, form)


def _unhide(item, commitment: Commitment):
    with unit_of_work() as work:
        moderation.unhide(item, current_user)
    if work.done:
        flash(_("L’élément est de nouveau visible."), "success")
    return _back(commitment)


@bp.post("/moderation/engagements/<int:commitment_id>/masquer")
@moderator_required
def hide_commitment(commitment_id: int):
    commitment = db.get_or_404(Commitment, commitment_id)
    return _hide(commitment, commitment)


@bp.post("/moderation/engagements/<int:commitment_id>/afficher")
@moderator_required
def unhide_commitment(commitment_id: int):
    commitment = db.get_or_404(Commitment, commitment_id)
    return _unhide(commitment, commitment)


@bp.post("/moderation/avancements/<int:update_id>/masquer")
@moderator_required
def hide_update(update_id: int):
    update = db.get_or_404(ProgressUpdate, update_id)
    return _hide(update, update.commitment)


@bp.post("/moderation/avancements/<int:update_id>/afficher")
@moderator_required
def unhide_update(update_id: int):
    update = db.get_or_404(ProgressUpdate, update_id)
    return _unhide(update, update.commitment)
