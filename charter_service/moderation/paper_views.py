"""A moderator records a signature received outside the site (/moderation/signatures/hors-ligne):
for an organisation found by name or identifier, or created with the sign-up form's checks."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from ..charters.models import CharterVersion, VersionStatus
from ..domain import show, unit_of_work
from ..extensions import db
from ..idempotency import services as once
from ..organisations.models import Organisation
from ..organisations.names import normalised_name
from ..organisations.services import create_organisation
from ..parsing import natural
from ..signatures import paper
from ..signatures.forms import human_size
from ..typography import of
from . import bp
from .access import moderator_required
from .paper_forms import NewOrganisationForm, OrganisationSearchForm, PaperSignatureForm

SEARCH_LIMIT = 20


@bp.route("/signatures/hors-ligne", methods=["GET", "POST"])
@moderator_required
def record_paper():
    search = OrganisationSearchForm(request.args)
    found = search_organisations(search.q.data if search.validate() else "")
    chosen = db.session.get(Organisation, natural(request.form.get("organisation")) or 0)
    form = PaperSignatureForm([o for o in [chosen] if o] + [o for o in found if o != chosen],
                              published_versions())
    new = NewOrganisationForm()
    if request.method == "POST":
        valid = form.validate_on_submit()
        if form.creates_organisation():
            valid = new.validate() and valid
        elif chosen is None and not form.organisation.errors:
            form.organisation.errors = [_("Cette organisation n’existe plus : cherchez-la à "
                                          "nouveau.")]
            valid = False
        if valid:
            recorded = _record(form, new, chosen)
            if recorded is not None:
                return recorded
    return render_template("moderation/paper/record.html", form=form, new=new, search=search,
                           found=found, searched=bool(search.q.data),
                           max_size=human_size(current_app.config["DELIBERATION_MAX_BYTES"]))


def _record(form: PaperSignatureForm, new: NewOrganisationForm, chosen: Organisation | None):
    """The signature's page once recorded; None with the refusal shown beside its field."""
    moderator = current_user._get_current_object()
    version = db.session.get(CharterVersion, natural(form.version.data) or 0)
    with unit_of_work(replay_to=url_for(".queue"), quiet=True) as work:
        submission = once.claim(form.form_key.data, "paper_signature", moderator)
        organisation = (create_organisation(new.to_data(), moderator, owner=False)
                        if form.creates_organisation() else chosen)
        signature = paper.record(organisation, version, form.paper_data(), moderator)
        once.fulfil(submission, url_for(".signature", signature_id=signature.id))
    if not work.done:
        show(work.error, new if work.error.field in new._fields else form)
        return None
    flash(_("La signature reçue hors ligne %(of_name)s est enregistrée et attend sa "
            "validation ; les futurs responsables du compte sont invités par e-mail.",
            of_name=of(organisation)), "success")
    return redirect(url_for(".signature", signature_id=signature.id))


def published_versions() -> list[CharterVersion]:
    return list(db.session.scalars(
        select(CharterVersion).where(CharterVersion.status == VersionStatus.PUBLISHED)
        .order_by(CharterVersion.published_at.desc())))


def search_organisations(query: str | None) -> list[Organisation]:
    """By SIREN, SIRET or RNA when the query is one, else by a part of the name."""
    query = (query or "").strip()
    if not query:
        return []
    digits = "".join(query.split())
    conditions = [Organisation.name_key.contains(normalised_name(query), autoescape=True)]
    if digits.isdigit() and len(digits) in (9, 14):
        conditions += [Organisation.siren == digits[:9], Organisation.siret == digits]
    if digits.upper().startswith("W"):
        conditions.append(Organisation.rna == digits.upper())
    return list(db.session.scalars(
        select(Organisation).where(or_(*conditions))
        .order_by(func.lower(Organisation.name), Organisation.id).limit(SEARCH_LIMIT)))
