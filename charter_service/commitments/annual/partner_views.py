"""Who else reads a submitted annual report (routes of the `commitments` blueprint): the
partners it names confirm the sections that concern them; moderators read it, read-only."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...domain import unit_of_work
from ...extensions import db
from ...organisations.access import organisation_for_member
from ...organisations.models import Organisation
from ...signatures.deliberation import send as send_pdf
from .. import progress as progress_services
from ..moderation_views import moderator_required
from ..views import bp
from . import services
from .models import AnnualReport, ReportSection

PARTNER_BASE = "/espace/organisations/<int:organisation_id>/bilans-partenaires/<int:report_id>"
MODERATION_BASE = "/moderation/organisations/<int:organisation_id>/bilans"


def _partner_sections(organisation_id: int, report_id: int):
    """`organisation_id` is the partner's; a report that names it nowhere answers 404."""
    partner = organisation_for_member(organisation_id)
    report = db.session.get(AnnualReport, report_id)
    sections = services.sections_for_partner(report, partner) if report else []
    if not sections:
        abort(404)
    return partner, report, sections


@bp.get(PARTNER_BASE)
@login_required
def partner_report(organisation_id: int, report_id: int):
    partner, report, sections = _partner_sections(organisation_id, report_id)
    return render_template("commitments/annual/partner.html", organisation=partner,
                           report=report, sections=sections)


@bp.post(f"{PARTNER_BASE}/sections/<int:section_id>/confirmer")
@login_required
def partner_confirm_section(organisation_id: int, report_id: int, section_id: int):
    partner, report, sections = _partner_sections(organisation_id, report_id)
    section = next((s for s in sections if s.id == section_id), None)
    if section is None:
        abort(404)
    with unit_of_work() as work:
        progress_services.confirm_update(section.progress_update, partner, current_user)
    if work.done:
        flash(_("Votre organisation confirme la section « %(title)s ».",
                title=section.commitment.title), "success")
    return redirect(url_for(".partner_report", organisation_id=partner.id, report_id=report.id))


def _organisation(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    return organisation


@bp.get(MODERATION_BASE)
@moderator_required
def moderation_reports(organisation_id: int):
    organisation = _organisation(organisation_id)
    return render_template("commitments/annual/moderation_list.html", organisation=organisation,
                           reports=services.submitted_reports(organisation))


def _submitted(organisation: Organisation, period: int) -> AnnualReport:
    report = services.report_of(organisation, period)
    if report is None or report.is_draft:  # a draft belongs to the organisation alone
        abort(404)
    return report


@bp.get(f"{MODERATION_BASE}/<int:period>")
@moderator_required
def moderation_report(organisation_id: int, period: int):
    organisation = _organisation(organisation_id)
    report = _submitted(organisation, period)
    return render_template("commitments/annual/submitted.html", organisation=organisation,
                           report=report, period=period, moderation=True)


@bp.get(f"{MODERATION_BASE}/<int:period>/document")
@moderator_required
def moderation_report_document(organisation_id: int, period: int):
    report = _submitted(_organisation(organisation_id), period)
    if report.document_sha256 is None:
        abort(404)
    return send_pdf(report.document_pdf, report.document_filename)


@bp.get(f"{MODERATION_BASE}/<int:period>/sections/<int:section_id>/preuve")
@moderator_required
def moderation_report_evidence(organisation_id: int, period: int, section_id: int):
    report = _submitted(_organisation(organisation_id), period)
    section = db.session.get(ReportSection, section_id)
    if section is None or section.report_id != report.id or section.evidence_sha256 is None:
        abort(404)
    return send_pdf(section.evidence_pdf, section.evidence_filename)
