"""`/registre.csv`, `/registre.json`, `/registre.pdf`: the register's selection as files.

CSV and JSON are streamed: the body is written after the view has returned, a few hundred
lines at a time, each time in an application context (so a database session) of its own.
Unlike stream_with_context, no context stays pushed between two writes, so a response left
unread or closed early leaves nothing behind. A PDF of more than EXPORT_PDF_INLINE_ROWS rows
is rendered by a background job, whose progress page the visitor is sent to.
"""

from itertools import islice

from flask import (
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from ...domain import unit_of_work
from ...errors import error_response
from ...extensions import db
from .. import queries
from ..blueprint import bp
from ..readmodel.models import ExportJob, ExportStatus
from ..selection import parse_selection
from . import export_jobs, streams
from .export_jobs import export_filename, selection_of, source_url

CACHE_CONTROL = "public, max-age=300"


def _streamed(chunks, lines_per_write: int = 500):
    """`chunks()` read in groups of lines, each group in an application context (and so a
    database session) of its own, pushed and popped around the reading: no context stays
    pushed while the body waits, however the server (or a test client) handles it."""
    app = current_app._get_current_object()

    def body():
        iterator = None
        while True:
            with app.app_context():
                iterator = iterator or chunks()
                lines = list(islice(iterator, lines_per_write))
            if not lines:
                return
            yield "".join(lines)
    return body()


def _selection_or_error(as_json: bool = False, parse=parse_selection):
    selection, errors = parse(request.args)
    if not errors:
        return selection, None
    message = " ".join(errors)
    if as_json:
        return None, (jsonify({"error": {"code": 400, "message": message}}), 400)
    return None, error_response(400, message)


def _download(body, mimetype: str, filename: str, *, cache: bool = True) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = CACHE_CONTROL if cache else "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/registre.csv")
def export_csv():
    selection, error = _selection_or_error()
    if error:
        return error
    return _download(_streamed(lambda: streams.csv_lines(selection)),
                     "text/csv; charset=utf-8", export_filename("csv"))


@bp.get("/registre.json")
def export_json():
    selection, error = _selection_or_error(as_json=True)
    if error:
        return error
    return _download(_streamed(lambda: streams.json_chunks(selection)),
                     "application/json", export_filename("json"))


@bp.route("/registre.pdf", methods=["GET", "POST"])
def export_pdf():
    """A small selection at once; a large one by a background job, which only a POST creates
    (a GET finds an existing one, or shows the button that asks for it)."""
    selection, error = _selection_or_error()
    if error:
        return error
    if queries.count(selection) <= current_app.config["EXPORT_PDF_INLINE_ROWS"]:
        if request.method == "POST":  # nothing to prepare: the file itself, by a GET
            return redirect(url_for("register.export_pdf", **selection.query_args()), 303)
        from .pdf import render_selection

        data = render_selection(selection, source_url=source_url(selection))
        return _download(data, "application/pdf", export_filename("pdf"))
    if request.method == "GET":
        job = export_jobs.usable_pdf_job(selection)
        if job is None:
            return _no_store(render_template("register/export_job.html", job=None,
                                             selection=selection, total=queries.count(selection)))
    else:
        with unit_of_work():
            job, created = export_jobs.prepare_pdf(selection)
        if created and not export_jobs.start(job):
            with unit_of_work():
                export_jobs.not_queued(job)
    return redirect(url_for("register.export_job", token=job.token), 303)


def _no_store(body: str) -> Response:
    response = Response(body, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _job_or_404(token: str) -> ExportJob:
    if len(token) > 64:
        abort(404)
    job = db.session.scalar(select(ExportJob).where(ExportJob.token == token))
    if job is None:
        abort(404)
    return job


@bp.get("/registre/exports/<token>")
def export_job(token: str):
    job = _job_or_404(token)
    failed = job.status == ExportStatus.FAILED or job.stale
    running = not failed and job.status != ExportStatus.DONE
    return _no_store(render_template("register/export_job.html", job=job, failed=failed,
                                     running=running, selection=selection_of(job),
                                     statuses=ExportStatus))


@bp.get("/registre/exports/<token>/fichier")
def export_file(token: str):
    job = _job_or_404(token)
    if job.status != ExportStatus.DONE:
        return error_response(409, _("Le fichier n’est pas encore prêt : revenez sur la page "
                                     "de préparation de l’export."))
    return _download(job.result, "application/pdf", job.filename)
