"""/moderation/bilans-manquants: the non-communicating signatories and the decision
« Suspendre pour défaut de bilan » (moderation/missing_reports.py)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SubmitField

from ..commitments.progress import local_today
from ..domain import show, unit_of_work
from ..extensions import db
from ..signatures.models import Signature
from ..signatures.workflow import STALE_MESSAGE
from ..typography import of
from . import bp
from .access import moderator_required
from .forms import DecisionForm
from .missing_reports import (
    non_communicating,
    suspend_for_missing_report,
    suspended_for_missing_report,
)

URL = "/bilans-manquants"


class MissingReportSuspendForm(DecisionForm):
    submit = SubmitField(_l("Suspendre pour défaut de bilan"))


@bp.get(URL)
@moderator_required
def missing_reports():
    today = local_today()
    rows = non_communicating(today)
    forms = {row.signature.id: MissingReportSuspendForm(
        prefix=f"s{row.signature.id}", formdata=None, lock_version=row.signature.lock_version)
        for row in rows}
    return render_template("moderation/missing_reports.html", rows=rows, forms=forms,
                           suspended=suspended_for_missing_report())


@bp.post(f"{URL}/<int:signature_id>/suspendre")
@moderator_required
def suspend_for_missing_report_view(signature_id: int):
    signature = db.session.get(Signature, signature_id)
    if signature is None:
        return redirect(url_for(".missing_reports"))
    form = MissingReportSuspendForm(prefix=f"s{signature_id}")
    if not form.validate_on_submit():
        flash(STALE_MESSAGE, "error")
        return redirect(url_for(".missing_reports"))
    name = signature.organisation.name
    with unit_of_work(conflict=STALE_MESSAGE, quiet=True) as work:
        suspend_for_missing_report(signature, current_user._get_current_object(), local_today(),
                                   seen_version=form.lock_version.data)
    if not work.done:
        show(work.error)
    else:
        flash(_("La signature %(of_name)s est suspendue pour défaut de bilan.",
                of_name=of(name)), "success")
    return redirect(url_for(".missing_reports"))
