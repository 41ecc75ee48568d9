"""Charter versions for admins (/admin/charte): list, new draft, draft editing, publication,
archiving and comparison."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ..charters import publishing
from ..charters.models import CharterVersion, Principle, VersionStatus
from ..charters.services import CharterError, current_version
from ..charters.yamlfile import parse_charter_yaml
from ..domain import show, unit_of_work
from ..errors import error_response
from ..extensions import db
from ..idempotency import services as once
from ..signatures import invitations
from ..signatures.forms import human_size
from . import drafts, services
from .access import admin_required
from .diff import compare
from .forms import (
    ConfirmForm,
    CopyForm,
    DiffForm,
    DraftForm,
    PrincipleForm,
    UploadForm,
    upload_limit,
)
from .views import bp

CONFLICT = _l("Une autre modification de la charte a eu lieu en même temps. Rechargez la page "
             "et vérifiez la liste des versions.")


def _version(number: int, for_update: bool = False) -> CharterVersion:
    version = services.version_by_number(number)
    if version is None:
        abort(404)
    if for_update:  # an edit must not land on a version published meanwhile
        db.session.refresh(version, with_for_update=True)
    return version


def _draft(number: int, for_update: bool = False) -> CharterVersion:
    version = _version(number, for_update)
    drafts.require_draft(version)
    return version


@bp.errorhandler(drafts.NotEditable)
def _not_editable(exc: drafts.NotEditable):
    db.session.rollback()
    return error_response(409, str(exc))


@bp.get("/charte")
@admin_required
def versions():
    return render_template("admin/versions.html", rows=services.version_rows(),
                           current=current_version())


@bp.get("/charte/nouvelle-version")
@admin_required
def new_version():
    return _new_version_page(UploadForm(formdata=None))


def _new_version_page(upload: UploadForm):
    return render_template("admin/new_version.html", upload=upload, copy=CopyForm(),
                           current=current_version(), max_size=human_size(upload_limit()))


@bp.post("/charte/nouvelle-version")
@admin_required
def copy_version():
    form = CopyForm()
    if not form.validate():
        abort(400)
    return _create(lambda: drafts.copy_published(current_user), UploadForm(formdata=None),
                   form.form_key.data)


@bp.post("/charte/importer")
@admin_required
def upload_version():
    form = UploadForm()
    if not form.validate():
        return _new_version_page(form)
    content = form.read_content()
    if content is None:
        return _new_version_page(form)
    return _create(lambda: drafts.import_draft(parse_charter_yaml(content), current_user), form,
                   form.form_key.data)


def _create(action, form: UploadForm, key: str | None):
    with unit_of_work(replay_to=url_for(".versions"), conflict=CONFLICT, quiet=True) as work:
        submission = once.claim(key, "charter_draft", current_user)
        version = action()
        once.fulfil(submission, url_for(".edit_version", number=version.number))
    if isinstance(work.error, CharterError):  # beside the file, if one was sent
        work.error.field = "charter_file"
        show(work.error, form if form.charter_file.data else None)
        return _new_version_page(form)
    if not work.done:
        show(work.error)
        return redirect(url_for(".versions"))
    flash(_("Le brouillon de la version %(number)s est créé. Relisez-le et modifiez-le avant de "
            "le publier.", number=version.number), "success")
    return redirect(url_for(".edit_version", number=version.number))


@bp.route("/charte/v/<int:number>", methods=["GET", "POST"])
@admin_required
def edit_version(number: int):
    version = _draft(number, for_update=request.method == "POST")
    form = DraftForm(obj=version)
    if form.validate_on_submit():
        with unit_of_work():
            drafts.update_draft(version, title=form.title.data,
                                preamble=form.preamble.data or "",
                                is_demonstration=form.is_demonstration.data, actor=current_user)
        flash(_("Le titre et le préambule sont enregistrés."), "success")
        return redirect(url_for(".edit_version", number=number))
    return _edit_page(version, form)


def _edit_page(version: CharterVersion, details: DraftForm | None = None,
               edited: tuple[int | None, PrincipleForm] | None = None):
    """The draft with one form per principle; `edited` is the principle form that failed."""
    details = details or DraftForm(formdata=None, obj=version)
    forms = {p.id: PrincipleForm(formdata=None, obj=p, prefix=f"p{p.id}")
             for p in version.principles}
    new = PrincipleForm(formdata=None, prefix="nouveau",
                        data={"position": len(version.principles) + 1})
    if edited is not None:
        principle_id, form = edited
        if principle_id is None:
            new = form
        else:
            forms[principle_id] = form
    return render_template("admin/edit_version.html", version=version, details=details,
                           principle_forms=forms, new_principle=new, remove=ConfirmForm())


@bp.post("/charte/v/<int:number>/principes/ajouter")
@admin_required
def add_principle(number: int):
    return _save_principle(number, None)


@bp.post("/charte/v/<int:number>/principes/<int:principle_id>")
@admin_required
def edit_principle(number: int, principle_id: int):
    return _save_principle(number, principle_id)


def _principle(version: CharterVersion, principle_id: int) -> Principle:
    principle = db.session.get(Principle, principle_id)
    if principle is None or principle.version_id != version.id:
        abort(404)
    return principle


def _save_principle(number: int, principle_id: int | None):
    version = _draft(number, for_update=True)
    principle = _principle(version, principle_id) if principle_id is not None else None
    form = PrincipleForm(prefix=f"p{principle_id}" if principle_id is not None else "nouveau")
    if form.validate():
        with unit_of_work(form, replay_to=url_for(".edit_version", number=number)) as work:
            submission = once.claim(form.form_key.data if principle is None else None,
                                    "principle", current_user)
            saved = drafts.save_principle(version, principle, form.principle_data(),
                                          current_user)
            once.fulfil(submission, url_for(".edit_version", number=number,
                                            _anchor=f"principe-{saved.id}"))
        if work.done:
            flash(_("Le principe %(code)s est enregistré.", code=saved.code), "success")
            return redirect(url_for(".edit_version", number=number, _anchor=f"principe-{saved.id}"))
    return _edit_page(version, edited=(principle_id, form))


@bp.post("/charte/v/<int:number>/principes/<int:principle_id>/supprimer")
@admin_required
def remove_principle(number: int, principle_id: int):
    version = _draft(number, for_update=True)
    principle = _principle(version, principle_id)
    if not ConfirmForm().validate():
        abort(400)
    code = principle.code
    with unit_of_work() as work:
        drafts.remove_principle(version, principle, current_user)
    if work.done:
        flash(_("Le principe %(code)s est supprimé du brouillon.", code=code), "success")
    return redirect(url_for(".edit_version", number=number))


@bp.route("/charte/v/<int:number>/publier", methods=["GET", "POST"])
@admin_required
def publish(number: int):
    version = _draft(number, for_update=request.method == "POST")
    form = ConfirmForm()
    if form.validate_on_submit():
        with unit_of_work(conflict=CONFLICT, quiet=True) as work:
            version, invited = publishing.publish_and_invite(number, current_user)
        if not work.done:  # whatever the refusal, another change of the charter came first
            flash(str(CONFLICT), "error")
            return redirect(url_for(".versions"))
        flash(_("La version %(number)s est publiée et ouverte à la signature. Invitations à "
                "signer envoyées : %(count)s.", number=version.number, count=invited), "success")
        return redirect(url_for(".versions"))
    current = current_version()
    return render_template(
        "admin/confirm_publish.html", version=version, current=current, form=form,
        invited=invitations.approved_organisation_count(current) if current else 0)


@bp.route("/charte/v/<int:number>/archiver", methods=["GET", "POST"])
@admin_required
def archive(number: int):
    version = _version(number, for_update=request.method == "POST")
    if version.status != VersionStatus.PUBLISHED:
        return error_response(409, _("Seule la version publiée peut être archivée."))
    form = ConfirmForm()
    if form.validate_on_submit():
        with unit_of_work() as work:
            publishing.archive_version(version, current_user)
        if not work.done:
            return redirect(url_for(".versions"))
        flash(_("La version %(number)s est archivée : plus aucune organisation ne peut signer "
                "tant qu’une nouvelle version n’est pas publiée.", number=version.number),
              "success")
        return redirect(url_for(".versions"))
    return render_template("admin/confirm_archive.html", version=version, form=form)


@bp.get("/charte/diff")
@admin_required
def diff():
    numbers = list(db.session.scalars(
        select(CharterVersion.number).order_by(CharterVersion.number).distinct()))
    chosen = "de" in request.args or "a" in request.args
    form = DiffForm(request.args if chosen else None, numbers, **_default_pair(numbers))
    result = None
    if chosen and form.validate():
        old, new = services.version_by_number(form.de.data), services.version_by_number(form.a.data)
        if old is None or new is None:
            abort(404)
        result = compare(old, new)
    return render_template("admin/diff.html", form=form, result=result, numbers=numbers)


def _default_pair(numbers: list[int]) -> dict:
    """Compare the published version with the newest one (a draft, usually)."""
    if not numbers:
        return {}
    current, newest = current_version(), numbers[-1]
    if current is not None and current.number != newest:
        return {"de": current.number, "a": newest}
    return {"de": numbers[-2] if len(numbers) > 1 else newest, "a": newest}
