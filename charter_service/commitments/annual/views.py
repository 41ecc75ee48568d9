"""The member's annual report (routes of the `commitments` blueprint): open the draft, save
each section, upload an existing report instead, preview, submit.

Every route loads the organisation through organisation_for_member, then the report *of that
organisation* and the section *of that report*: a forged id answers 404."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...dates import written_datetime
from ...domain import unit_of_work
from ...extensions import db
from ...organisations.access import organisation_for_member
from ...signatures.deliberation import send as send_pdf
from ..progress import local_today
from ..views import bp
from . import services
from .forms import SubmitForm, UploadForm, section_form
from .models import AnnualReport, ReportSection

BASE = "/espace/organisations/<int:organisation_id>/bilan"


def _report(organisation_id: int, period: int, *, draft: bool = False):
    organisation = organisation_for_member(organisation_id)
    report = services.report_of(organisation, period)
    if report is None or (draft and not report.is_draft):
        abort(404)
    return organisation, report


def _section(report: AnnualReport, section_id: int) -> ReportSection:
    section = db.session.get(ReportSection, section_id)
    if section is None or section.report_id != report.id:
        abort(404)
    return section


def _page(organisation_id: int, period: int, anchor: str | None = None) -> str:
    return url_for("commitments.annual_report", organisation_id=organisation_id, period=period,
                   _anchor=anchor)


@bp.get(BASE)
@login_required
def annual_current(organisation_id: int):
    organisation = organisation_for_member(organisation_id)
    return redirect(_page(organisation.id, local_today().year))


@bp.get(f"{BASE}/<int:period>")
@login_required
def annual_report(organisation_id: int, period: int):
    organisation = organisation_for_member(organisation_id)
    report = services.report_of(organisation, period)
    if report is None and period not in services.open_periods(local_today()):
        abort(404)
    if report is not None and not report.is_draft:
        return _render_read(organisation, report, "commitments/annual/submitted.html")
    return _render_draft(organisation, period, report)


def _render_draft(organisation, period, report, *, forms=None, conflicts=None,
                  upload_form=None, status=200):
    forms, conflicts = forms or {}, conflicts or {}
    sections = report.sections if report else []
    return render_template(
        "commitments/annual/draft.html", organisation=organisation, period=period,
        report=report, can_open=report is None and services.is_signatory(organisation.id),
        sections=[(s, forms.get(s.id) or section_form(s), conflicts.get(s.id))
                  for s in sections],
        upload_form=upload_form or UploadForm(formdata=None)), status


def _render_read(organisation, report, template, **context):
    return render_template(template, organisation=organisation, report=report,
                           period=report.period, **context)


@bp.post(f"{BASE}/<int:period>/ouvrir")
@login_required
def annual_open(organisation_id: int, period: int):
    organisation = organisation_for_member(organisation_id)
    if period not in services.open_periods(local_today()):
        abort(404)
    with unit_of_work() as work:
        services.open_report(organisation, period, current_user)
    if work.done:
        flash(_("Le bilan %(period)s est ouvert : chaque section est pré-remplie avec les "
                "dernières valeurs de vos indicateurs.", period=period), "success")
    return redirect(_page(organisation.id, period))


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.post(f"{BASE}/<int:period>/sections/<int:section_id>")
@login_required
def annual_save_section(organisation_id: int, period: int, section_id: int):
    organisation, report = _report(organisation_id, period)
    section = _section(report, section_id)
    form = section_form(section, posted=True)
    conflict = None
    if form.validate_on_submit():
        with unit_of_work(form, quiet=True) as work:
            services.save_section(section, form.to_data(), current_user)
        if work.done:
            if _wants_json():
                return jsonify({"saved": True, "revision": section.revision,
                                "message": _("Section enregistrée.")})
            flash(_("La section « %(title)s » est enregistrée.",
                    title=section.commitment.title), "success")
            return redirect(_page(organisation.id, period, f"section-{section.id}"))
        if isinstance(work.error, services.SectionConflict):
            conflict = _conflict(section)
            # Saving again from this page replaces their version, knowingly.
            form.revision.data, form.revision.raw_data = section.revision, [str(section.revision)]
        elif work.error.field is None:  # the report was submitted meanwhile, say
            if _wants_json():
                return jsonify({"saved": False, "message": str(work.error)}), 400
            flash(str(work.error), "error")
            return redirect(_page(organisation.id, period))
        else:
            _show_on_field(form, work.error)
    if _wants_json():
        return _json_refusal(form, conflict)
    return _render_draft(organisation, period, report, forms={section.id: form},
                         conflicts={section.id: conflict} if conflict else None,
                         status=409 if conflict else 400)


def _show_on_field(form, error) -> None:
    target = form.error_field(error.field)
    if target is not None:
        target.errors = [*target.errors, str(error)]


def _conflict(section: ReportSection) -> dict:
    """Who saved the section meanwhile, when, and what it says now."""
    db.session.refresh(section)
    author = section.updated_by
    return {"by": (author.full_name or author.email) if author else _("un membre"),
            "at": written_datetime(section.updated_at), "text": section.text,
            "section": section}


def _json_refusal(form, conflict):
    if conflict:
        return jsonify({"saved": False, "conflict": {
            "by": conflict["by"], "at": conflict["at"], "text": conflict["text"],
            "revision": conflict["section"].revision},
            "message": _("%(name)s a modifié cette section le %(date)s. Votre texte est "
                         "resté dans le formulaire : enregistrez-le avec le bouton de la "
                         "section pour voir les deux versions.", name=conflict["by"],
                         date=conflict["at"])}), 409
    errors = {f.name: [str(e) for e in f.errors] for f in form if f.errors}
    return jsonify({"saved": False, "errors": errors}), 400


@bp.post(f"{BASE}/<int:period>/document")
@login_required
def annual_upload(organisation_id: int, period: int):
    organisation, report = _report(organisation_id, period, draft=True)
    form = UploadForm()
    if form.validate_on_submit():
        pdf, filename = form.document_data()
        with unit_of_work(form) as work:
            services.upload_document(report, pdf, filename, current_user)
        if work.done:
            flash(_("Le rapport « %(name)s » est enregistré : il tiendra lieu de bilan une fois "
                    "déposé.", name=filename), "success")
            return redirect(_page(organisation.id, period, "depot"))
    return _render_draft(organisation, period, report, upload_form=form, status=400)


@bp.get(f"{BASE}/<int:period>/document")
@login_required
def annual_document(organisation_id: int, period: int):
    _organisation, report = _report(organisation_id, period)
    return _send_document(report)


def _send_document(report: AnnualReport):
    if report.document_sha256 is None:
        abort(404)
    return send_pdf(report.document_pdf, report.document_filename)


@bp.post(f"{BASE}/<int:period>/formulaire")
@login_required
def annual_back_to_form(organisation_id: int, period: int):
    organisation, report = _report(organisation_id, period, draft=True)
    with unit_of_work():
        services.back_to_form(report, current_user)
    flash(_("Le rapport déposé est retiré : le bilan reprend le formulaire."), "success")
    return redirect(_page(organisation.id, period))


@bp.get(f"{BASE}/<int:period>/sections/<int:section_id>/preuve")
@login_required
def annual_evidence(organisation_id: int, period: int, section_id: int):
    _organisation, report = _report(organisation_id, period)
    section = _section(report, section_id)
    if section.evidence_sha256 is None:
        abort(404)
    return send_pdf(section.evidence_pdf, section.evidence_filename)


@bp.get(f"{BASE}/<int:period>/apercu")
@login_required
def annual_preview(organisation_id: int, period: int):
    organisation, report = _report(organisation_id, period)
    if not report.is_draft:
        return redirect(_page(organisation.id, period))
    return _render_read(organisation, report, "commitments/annual/preview.html",
                        form=SubmitForm())


@bp.post(f"{BASE}/<int:period>/deposer")
@login_required
def annual_submit(organisation_id: int, period: int):
    organisation, report = _report(organisation_id, period)
    if not report.is_draft:  # a second click, or another member was quicker
        flash(_("Ce bilan est déjà déposé."), "info")
        return redirect(_page(organisation.id, period))
    form = SubmitForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            filed = services.submit(report, current_user)
        if work.done:
            flash(_("Le bilan %(period)s est déposé. Merci\u202f!", period=period), "success")
            if services.concerned_partners(filed):
                flash(_("Vos partenaires ont reçu un e-mail pour confirmer les sections qui les "
                        "concernent."), "info")
            return redirect(_page(organisation.id, period))
    db.session.refresh(report)
    return _render_read(organisation, report, "commitments/annual/preview.html",
                        form=form), 400
