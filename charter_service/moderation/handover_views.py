"""A signature's hand-over history on its moderation page, and the moderator's objection
(« Contester la passation »), which suspends the signature through the workflow."""

import json

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SubmitField
from wtforms.validators import DataRequired, Length

from ..domain import show, unit_of_work
from ..signatures import handover
from ..signatures.workflow import STALE_MESSAGE
from ..text_fields import MultiLineText
from ..typography import of
from . import bp, services
from .access import moderator_required
from .forms import _MESSAGE_LENGTH, MESSAGE_MAX, PRIVATE_HINT, DecisionForm


class ContestForm(DecisionForm):
    message = MultiLineText(
        _l("Message privé à l’organisation : pourquoi la passation est contestée"),
        description=PRIVATE_HINT,
        validators=[DataRequired(message=_l("Indiquez pourquoi vous contestez la passation.")),
                    Length(max=MESSAGE_MAX, message=_MESSAGE_LENGTH)])
    submit = SubmitField(_l("Contester la passation"))


def contest_form(signature) -> ContestForm | None:
    """The form, when the signature had a hand-over (or has one waiting) and is approved."""
    if signature.status.value != "approved" or (
            signature.representative_since is None and signature.successor_nonce is None):
        return None
    return ContestForm(formdata=None, prefix="contester",
                       data={"lock_version": signature.lock_version})


PEOPLE = {"successor": _l("Successeur"), "former": _l("Ancien représentant"),
          "before": _l("Avant"), "after": _l("Après")}


def handover_people(entry) -> list[str] | None:
    """The people and message an entry's erasable part names, one line each; None once
    erased."""
    if entry.personal is None:
        return None
    lines = []
    for key, value in json.loads(entry.personal).items():
        if key == "message":
            if value:
                lines.append(_("Message : %(text)s", text=value))
        elif isinstance(value, dict):
            lines.append(_("%(role)s : %(name)s, %(function)s (%(email)s)", role=PEOPLE[key],
                           name=value["name"], function=value["function"],
                           email=value["email"]))
    return lines


bp.add_app_template_global(handover.history, "handover_history")
bp.add_app_template_global(handover_people, "handover_people")
bp.add_app_template_global(contest_form, "handover_contest_form")


@bp.post("/signatures/<int:signature_id>/contester-passation")
@moderator_required
def contest_handover(signature_id: int):
    signature = services.signature_for_moderation(signature_id)
    if signature is None:
        abort(404)
    form = ContestForm(prefix="contester")
    back = redirect(url_for(".signature", signature_id=signature_id) + "#passation")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return back
    name = signature.organisation.name
    with unit_of_work(conflict=STALE_MESSAGE, quiet=True) as work:
        handover.contest(signature, current_user._get_current_object(),
                         form.message.data or "", form.lock_version.data)
    if not work.done:
        show(work.error)
        return back
    flash(_("La passation %(of_name)s est contestée : la signature est suspendue et "
            "l’organisation en est informée.", of_name=of(name)), "success")
    return redirect(url_for(".queue"))
