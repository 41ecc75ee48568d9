"""Public verification (/verifier) and downloads of the stored attestations and report
documents (« rapports annuels d’alliance »)."""

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import limiter
from . import bp, report_documents
from .forms import LookupForm, UploadForm
from .models import CertificateStatus
from .public_copy import public_copy as render_public_copy
from .services import by_number, canonical_number, public_facts, stored_pdf
from .verification import verify_pdf


def _lookup_limit() -> str:
    return current_app.config.get("RATELIMIT_CERTIFICATE_LOOKUP", "60 per minute;1000 per hour")


def _upload_limit() -> str:
    return current_app.config.get("RATELIMIT_CERTIFICATE_UPLOAD", "10 per minute;100 per hour")


@bp.route("/verifier", methods=["GET", "POST"])
@limiter.limit(_lookup_limit, methods=["GET"])
@limiter.limit(_upload_limit, methods=["POST"])
def verify():
    lookup = LookupForm(request.args)
    upload = UploadForm()
    if "numero" in request.args and lookup.validate():
        return redirect(url_for(".status", number=lookup.numero.data))
    result = verify_pdf(upload.pdf_bytes) if upload.validate_on_submit() else None
    return render_template("certificates/verify.html", lookup=lookup, upload=upload,
                           result=result, facts_of=public_facts,
                           report_facts_of=report_documents.public_facts)


@bp.get("/verifier/<number>")
@limiter.limit(_lookup_limit)
def status(number: str):
    canonical = canonical_number(number) or report_documents.canonical_number(number)
    if canonical is not None and canonical != number:  # typed loosely: one address per number
        return redirect(url_for(".status", number=canonical), 301)
    report = report_documents.by_number(number)
    if report is not None:
        return render_template("certificates/report_status.html", report=report,
                               facts=report_documents.public_facts(report))
    certificate = by_number(number)
    if certificate is None:
        return render_template("certificates/unknown.html", number=number[:40],
                               report=report_documents.canonical_number(number) is not None), 404
    return render_template("certificates/status.html", certificate=certificate,
                           facts=public_facts(certificate))


@bp.get("/verifier/<number>/copie-publique.pdf")
@limiter.limit(_lookup_limit)
def public_copy(number: str):
    """A valid attestation's public copy, linked from the signatory's public page."""
    certificate = by_number(number)
    if certificate is None or certificate.status != CertificateStatus.VALID:
        abort(404)
    response = current_app.response_class(render_public_copy(certificate),
                                          mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="attestation-{certificate.number}-copie-publique.pdf"')
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


@bp.get("/espace/organisations/<int:organisation_id>/attestations/<number>.pdf")
@login_required
def member_download(organisation_id: int, number: str):
    # The same rule as organisation_for_member (404 for anyone not a member), checked in the
    # query that reads the PDF: the download is one query besides the session's user.
    stored = stored_pdf(number, member_of=organisation_id, user=current_user)
    if stored is None:
        abort(404)
    return _send(stored)


@bp.get("/moderation/attestations/<number>.pdf")
@login_required
def moderation_download(number: str):
    if not current_user.is_moderator:
        abort(403)
    stored = stored_pdf(number)
    if stored is None:
        abort(404)
    return _send(stored)


@bp.get("/espace/organisations/<int:organisation_id>/rapports-annuels/<report_number>.pdf")
@login_required
def member_report_download(organisation_id: int, report_number: str):
    """A « rapport annuel d’alliance » of the organisation: its members only (404 otherwise),
    checked in the query that reads the PDF."""
    stored = report_documents.stored_pdf(report_number, member_of=organisation_id,
                                         user=current_user)
    if stored is None:
        abort(404)
    return _send(stored, kind="rapport-annuel")


@bp.get("/moderation/rapports-annuels/<report_number>.pdf")
@login_required
def moderation_report_download(report_number: str):
    if not current_user.is_moderator:
        abort(403)
    stored = report_documents.stored_pdf(report_number)
    if stored is None:
        abort(404)
    return _send(stored, kind="rapport-annuel")


def _send(stored, *, kind: str = "attestation"):
    """The bytes stored at issue time, never rendered again."""
    if request.if_none_match.contains(stored.sha256):
        response = current_app.response_class(status=304)
    else:
        response = current_app.response_class(stored.pdf, mimetype="application/pdf")
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{kind}-{stored.number}.pdf"')
    response.set_etag(stored.sha256)
    response.headers["Cache-Control"] = "private, no-cache"
    return response
