"""The moderation queue, a signature's file and its decisions, merges, preferences; and the
public transparency page."""

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import undefer

from ..accounts.models import ModerationAlerts
from ..audit.services import actor_digest
from ..db_types import utcnow
from ..domain import DomainError, show, unit_of_work
from ..extensions import db
from ..organisations import geo
from ..organisations.identifiers import describe
from ..organisations.models import Organisation
from ..parsing import natural
from ..signatures.deliberation import send as send_deliberation
from ..signatures.models import Signature
from ..signatures.workflow import (
    STALE_MESSAGE,
    Actor,
    InvalidTransition,
    StaleDecision,
    allowed,
    allowed_transitions,
    apply,
)
from ..typography import of, to
from . import bp, merge, public_bp, services, stats
from .access import moderator_required
from .delays import wait_of
from .forms import DECISIONS, MergeForm, PreferencesForm, QueueFilterForm
from .stats import OUTCOME_LABELS
from .warnings import identifier_problem, warnings_for


@bp.context_processor
def _labels() -> dict:
    return {
        "departement_name": geo.departement_name, "region_name": geo.region_name,
        "legal_identifier": lambda o: describe(o.siren, o.siret, o.rna),
        "personal_text": services.personal_text, "system_digest": actor_digest(None),
    }


def int_arg(name: str) -> int | None:
    """A positive id or seq from the query string; anything else is ignored."""
    return natural(request.args.get(name))


@bp.get("/")
@moderator_required
def queue():
    form = QueueFilterForm(request.args)
    form.validate()
    filters = services.QueueFilters(kind=form.value("type"), region=form.value("region"),
                                    status=form.value("statut"))
    page = services.queue_page(filters, after=int_arg("apres"))
    now, usual_days = utcnow(), stats.usual_delay_days()
    return render_template("moderation/queue.html", form=form, page=page,
                           started=int_arg("apres") is not None, usual_days=usual_days,
                           waits={s.id: wait_of(s, now, usual_days) for s in page.signatures})


@bp.get("/signatures/<int:signature_id>")
@moderator_required
def signature(signature_id: int):
    found = services.signature_for_moderation(signature_id)
    if found is None:
        abort(404)
    return _render_signature(found)


def _render_signature(signature: Signature, failed: tuple[str, object] | None = None):
    offered = allowed_transitions(signature, Actor.MODERATOR)
    forms = {slug: decision.form(formdata=None, prefix=slug,
                                 data={"lock_version": signature.lock_version})
             for slug, decision in DECISIONS.items() if decision.transition in offered}
    if failed is not None:
        forms[failed[0]] = failed[1]
    return render_template(
        "moderation/signature.html", signature=signature, organisation=signature.organisation,
        concerns=warnings_for([signature])[signature.id], forms=forms, decisions=DECISIONS,
        identifier_problem=identifier_problem(signature.organisation),
        history=services.signature_history(signature),
        others=services.other_signatures(signature))


@bp.post("/signatures/<int:signature_id>/<decision>")
@moderator_required
def decide(signature_id: int, decision: str):
    spec = DECISIONS.get(decision)
    found = services.signature_for_moderation(signature_id)
    if spec is None or found is None:
        abort(404)
    form = spec.form(prefix=decision)
    if not form.validate_on_submit():
        if allowed(found, spec.transition):
            return _render_signature(found, (decision, form))
        stale = form.lock_version.data not in (None, found.lock_version)
        return _refuse(signature_id, StaleDecision(STALE_MESSAGE) if stale else InvalidTransition(
            _("Cette décision n’est pas possible : la signature est « %(status)s ».",
              status=found.status.label)))
    if not form.confirmed() and allowed(found, spec.transition) \
            and form.lock_version.data == found.lock_version:
        return _confirm(found, decision, form)
    name = found.organisation.name
    with unit_of_work(conflict=STALE_MESSAGE, quiet=True) as work:
        apply(found, spec.transition, actor=current_user._get_current_object(),
              seen_version=form.lock_version.data, reason=form.reason(),
              reason_code=form.reason_code(), public_label=form.public_label())
    if not work.done:
        return _refuse(signature_id, work.error)
    flash(str(spec.done) % {"of_name": of(name), "to_name": to(name)}, "success")
    return redirect(url_for(".queue"))


def _confirm(signature: Signature, decision: str, form):
    """The step between « Approuver » and the approval: the facts restated, nothing changed."""
    form.confirm.data = "1"
    return render_template("moderation/confirm_approval.html", signature=signature,
                           organisation=signature.organisation, form=form, slug=decision,
                           identifier_problem=identifier_problem(signature.organisation))


def _refuse(signature_id: int, problem: DomainError):
    """Nothing changed: say why on the signature's page, as it is now."""
    show(problem)
    return redirect(url_for(".signature", signature_id=signature_id))


@bp.get("/signatures/<int:signature_id>/deliberation")
@moderator_required
def deliberation(signature_id: int):
    found = db.session.get(Signature, signature_id,
                           options=[undefer(Signature.deliberation_pdf)])
    if found is None or found.deliberation_pdf is None:
        abort(404)
    return send_deliberation(found.deliberation_pdf, found.deliberation_filename)


@bp.route("/organisations/fusion", methods=["GET", "POST"])
@moderator_required
def merge_organisations():
    first, second = (db.session.get(Organisation, int_arg(name) or 0) for name in ("a", "b"))
    if first is None or second is None or first.id == second.id:
        abort(404)
    form = MergeForm(first, second)
    if form.validate_on_submit():
        keep, remove = (first, second) if form.keep.data == str(first.id) else (second, first)
        removed_name = remove.name
        with unit_of_work(conflict=STALE_MESSAGE, quiet=True) as work:
            merge.merge_organisations(keep, remove, current_user._get_current_object())
        if not work.done:  # above the form, which is shown again
            form.form_errors.append(str(work.error))
        else:
            flash(_("« %(removed)s » a été fusionnée dans « %(kept)s ».", removed=removed_name,
                    kept=keep.name), "success")
            return redirect(url_for(".queue"))
    return render_template("moderation/merge.html", form=form, organisations=(first, second),
                           holdings={o.id: merge.holdings(o) for o in (first, second)},
                           conflicts=merge.live_conflicts(first, second))


@bp.route("/preferences", methods=["GET", "POST"])
@moderator_required
def preferences():
    user = current_user._get_current_object()
    form = PreferencesForm(data={"moderation_alerts": user.moderation_alerts.value})
    if form.validate_on_submit():
        with unit_of_work():
            services.set_alert_preference(user, ModerationAlerts(form.moderation_alerts.data))
        flash(_("Vos préférences de notification sont enregistrées."), "success")
        return redirect(url_for(".preferences"))
    return render_template("moderation/preferences.html", form=form)


# The signatories' status panel and acknowledgement e-mail quote the same figure.
public_bp.add_app_template_global(stats.usual_delay_days, "usual_moderation_days")


@public_bp.get("/transparence")
def transparency():
    return render_template(
        "moderation/transparency.html", stats=stats.cached_moderation_stats(utcnow()),
        outcomes=OUTCOME_LABELS, days=lambda value: format_decimal(round(value, 1), "#,##0.#"))
