"""The moderators' view of the audit journal, and its integrity check."""

from flask import render_template, request

from ..audit import services as audit
from ..audit.models import ACTION_LABELS
from . import bp, services
from .access import moderator_required
from .forms import JournalFilterForm
from .views import int_arg


@bp.get("/journal")
@moderator_required
def journal():
    actions, object_types = services.journal_choices()
    form = JournalFilterForm(request.args, actions, object_types, ACTION_LABELS)
    form.validate()
    filters = services.JournalFilters(action=form.value("action"),
                                      object_type=form.value("objet"),
                                      since=form.value("du"), until=form.value("au"))
    page = services.journal_page(filters, int_arg("avant"))
    query = {key: value for key, value in request.args.items() if key != "avant"}
    return render_template("moderation/journal.html", form=form, page=page, query=query,
                           paged="avant" in request.args)


@bp.get("/journal/integrite")
@moderator_required
def integrity():
    return render_template("moderation/integrity.html", result=audit.verify(),
                           head=audit.head())
