"""Register PDFs too large for a web request: rendered by a background job, kept in the
database (any web worker can report progress and serve the file) and reused while the
register has not changed."""

import json
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from ... import jobs
from ...db_types import PARIS, utcnow
from ...extensions import db
from ...links import external_url
from .. import queries
from ..readmodel import cache
from ..readmodel.models import ExportJob, ExportStatus
from ..selection import parse_selection

KEEP_FOR = timedelta(hours=24)
FAILED_MESSAGE = "La préparation du fichier a échoué. Réessayez plus tard."


def selection_of(job: ExportJob) -> "queries.Selection":
    return parse_selection(json.loads(job.query_args))[0]


def canonical_args(selection: "queries.Selection") -> str:
    return json.dumps(selection.query_args(), sort_keys=True, ensure_ascii=False)


def export_filename(extension: str, moment: datetime | None = None) -> str:
    day = (moment or utcnow()).astimezone(PARIS).date().isoformat()
    return f"registre-charte-faire-alliance-{day}.{extension}"


def usable_pdf_job(selection: "queries.Selection") -> ExportJob | None:
    """A job producing this selection's PDF for the current register generation, neither
    failed nor dead; reading only."""
    candidates = db.session.scalars(
        select(ExportJob).where(ExportJob.format == "pdf",
                                ExportJob.generation == cache.generation(),
                                ExportJob.query_args == canonical_args(selection),
                                ExportJob.status != ExportStatus.FAILED)
        .order_by(ExportJob.created_at.desc()))
    return next((job for job in candidates if not job.stale), None)


def prepare_pdf(selection: "queries.Selection") -> tuple[ExportJob, bool]:
    """The usable job for this selection, or a new one (True), to `start` once committed;
    old jobs are forgotten. Flushes."""
    db.session.execute(delete(ExportJob).where(ExportJob.created_at < utcnow() - KEEP_FOR))
    job = usable_pdf_job(selection)
    if job is not None:
        return job, False
    job = ExportJob(token=secrets.token_urlsafe(32), format="pdf",
                    query_args=canonical_args(selection), generation=cache.generation(),
                    status=ExportStatus.QUEUED, rows_done=0,
                    rows_total=queries.count(selection), filename=export_filename("pdf"))
    db.session.add(job)
    db.session.flush()
    return job, True


def start(job: ExportJob) -> bool:
    """Hand a committed new job to the background worker; False if the queue cannot be
    reached (Redis down): the caller then marks it failed (`not_queued`)."""
    try:
        jobs.enqueue("charter_service.register.exports.export_jobs:run_pdf_job", job.token)
    except Exception:  # the queue is down: the row will say so
        current_app.logger.exception("register PDF export %s could not be queued", job.token)
        return False
    return True


def not_queued(job: ExportJob) -> None:
    """Failed at once, so that its page says so and offers to try again, instead of waiting
    « en cours » until it goes stale. Flushes."""
    _fail(job.token)


def _fail(token: str) -> None:
    db.session.execute(update(ExportJob).where(ExportJob.token == token).values(
        status=ExportStatus.FAILED, error=FAILED_MESSAGE, finished_at=utcnow()))


def run_pdf_job(token: str) -> None:
    """The background job: renders the PDF, reporting progress in the row as it goes."""
    from .pdf import render_selection

    job = db.session.scalar(select(ExportJob).where(ExportJob.token == token))
    if job is None or job.status != ExportStatus.QUEUED:
        return
    job.status, job.started_at = ExportStatus.RUNNING, utcnow()
    db.session.commit()
    selection = selection_of(job)

    def progress(done: int, total: int) -> None:
        db.session.execute(update(ExportJob).where(ExportJob.token == token)
                           .values(rows_done=done, rows_total=total))
        db.session.commit()

    try:
        data = render_selection(selection, source_url=source_url(selection), progress=progress)
    except Exception:
        db.session.rollback()
        current_app.logger.exception("register PDF export %s failed", token)
        _fail(token)
        db.session.commit()
        return
    db.session.execute(update(ExportJob).where(ExportJob.token == token).values(
        status=ExportStatus.DONE, result=data, finished_at=utcnow()))
    db.session.commit()


def source_url(selection: "queries.Selection") -> str:
    """The register page of this selection, with the public base URL (no request needed)."""
    return external_url("register.index", **selection.query_args())
