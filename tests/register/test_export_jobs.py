"""Large register PDFs: background job (thread pool, and RQ on a real Redis), progress page,
download, reuse while the register is unchanged, clean-up."""

import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from charter_service import jobs, worker
from charter_service.db_types import utcnow
from charter_service.extensions import db
from charter_service.register.exports import export_jobs
from charter_service.register.readmodel.models import ExportJob, ExportStatus

from .register_world import World
from .test_exports import pdf_text

NAMES = ["Alpha Coopérative", "Bêta Solidaire", "Gamma Territoires"]


@pytest.fixture(autouse=True)
def fresh_worker_app():
    """The in-process RQ worker builds its app from this test's environment."""
    yield
    worker.forget_app()


@pytest.fixture
def app_config():
    return {"EXPORT_PDF_INLINE_ROWS": 2, "JOBS_BACKEND": "thread"}


@pytest.fixture
def signatories(make):
    world = World(make)
    for name in NAMES:
        world.signatory(name)
    jobs.wait_for_threads()  # their attestations, rendered after the commit, change the register
    return world


def job_by_token(token: str) -> ExportJob:
    db.session.expire_all()
    return db.session.scalar(select(ExportJob).where(ExportJob.token == token))


def start_export(client, query: str = "") -> str:
    response = client.post("/registre.pdf" + query)
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    location = response.headers["Location"]
    assert location.startswith("/registre/exports/")
    return location.rsplit("/", 1)[1]


def assert_done_and_download(client, token: str) -> None:
    page = client.get(f"/registre/exports/{token}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'http-equiv="refresh"' not in body
    assert f"/registre/exports/{token}/fichier" in body
    download = client.get(f"/registre/exports/{token}/fichier")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment; filename=")
    text = pdf_text(download.get_data())
    assert all(name in text for name in NAMES)
    assert "Page 1 / 1" in text
    job = job_by_token(token)
    assert (job.status, job.rows_done, job.rows_total) == (ExportStatus.DONE, 3, 3)
    assert job.finished_at is not None


def test_thread_backend_renders_in_the_background(client, signatories):
    token = start_export(client)
    jobs.wait_for_threads()
    assert_done_and_download(client, token)


def test_a_get_creates_no_job_it_offers_the_button_or_finds_the_job(client, signatories):
    page = client.get("/registre.pdf?tri=date")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert '<form method="post" action="/registre.pdf?tri=date">' in body
    assert "Préparer le PDF" in body
    assert db.session.scalar(select(func.count()).select_from(ExportJob)) == 0
    token = start_export(client, "?tri=date")
    again = client.get("/registre.pdf?tri=date")
    assert again.status_code == 303 and again.headers["Location"].endswith(f"/{token}")
    jobs.wait_for_threads()


def test_a_post_for_a_small_selection_sends_to_the_file_itself(client, signatories):
    response = client.post("/registre.pdf?q=alpha")
    assert response.status_code == 303 and response.headers["Location"] == "/registre.pdf?q=alpha"
    assert db.session.scalar(select(func.count()).select_from(ExportJob)) == 0


def test_a_finished_job_is_reused_until_the_register_changes(client, signatories):
    token = start_export(client)
    jobs.wait_for_threads()
    assert start_export(client) == token
    assert start_export(client, "?tri=date") != token
    jobs.wait_for_threads()
    signatories.signatory("Delta Nouvelle")
    jobs.wait_for_threads()
    renewed = start_export(client)
    assert renewed != token
    jobs.wait_for_threads()
    assert "Delta Nouvelle" in pdf_text(client.get(f"/registre/exports/{renewed}/fichier")
                                        .get_data())


def _job(status=ExportStatus.QUEUED, age=timedelta(0), **values) -> ExportJob:
    values = {"rows_done": 0, **values}
    job = ExportJob(token=f"t{time.monotonic_ns()}", format="pdf", query_args=json.dumps({}),
                    generation=0, status=status, rows_total=1000, created_at=utcnow() - age,
                    filename="registre.pdf", **values)
    db.session.add(job)
    db.session.commit()
    return job


def test_progress_page_works_without_javascript(client, app):
    job = _job(ExportStatus.RUNNING, rows_done=250)
    body = client.get(f"/registre/exports/{job.token}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in body
    assert '<progress id="export-progress" max="1000" value="250">' in body
    assert 'aria-live="polite"' in body and "Lignes prêtes : 250 sur 1000 (25 %)" in body
    assert "/fichier" not in body
    assert client.get(f"/registre/exports/{job.token}/fichier").status_code == 409
    assert client.get(f"/registre/exports/{job.token}").headers["Cache-Control"] == "no-store"


def test_failed_or_dead_jobs_say_so_in_french(client, app):
    failed = _job(ExportStatus.FAILED, error=export_jobs.FAILED_MESSAGE)
    stale = _job(ExportStatus.RUNNING, age=timedelta(hours=1))
    for job in (failed, stale):
        body = client.get(f"/registre/exports/{job.token}").get_data(as_text=True)
        assert "La préparation du fichier a échoué" in body
        assert "http-equiv" not in body


def test_unknown_token_is_not_found(client, app):
    assert client.get("/registre/exports/inconnu").status_code == 404
    assert client.get("/registre/exports/inconnu/fichier").status_code == 404
    assert client.get("/registre/exports/" + "x" * 5000).status_code == 404


def test_old_jobs_are_forgotten_and_dead_ones_replaced(client, signatories):
    old = _job(ExportStatus.DONE, age=timedelta(hours=25))
    old_token = old.token
    token = start_export(client)
    jobs.wait_for_threads()
    assert job_by_token(old_token) is None
    job = job_by_token(token)
    job.status, job.created_at = ExportStatus.RUNNING, utcnow() - timedelta(hours=1)
    db.session.commit()
    assert start_export(client) != token
    jobs.wait_for_threads()


def test_a_failing_render_marks_the_job_failed(client, signatories, monkeypatch):
    from charter_service.register.exports import pdf

    def broken(*args, **kwargs):
        raise RuntimeError("renderer broken")

    monkeypatch.setattr(pdf, "render_selection", broken)
    token = start_export(client)
    jobs.wait_for_threads()
    assert job_by_token(token).status == ExportStatus.FAILED
    assert "a échoué" in client.get(f"/registre/exports/{token}").get_data(as_text=True)


# -- RQ on a real Redis server -------------------------------------------------------------------

@pytest.fixture
def rq_config(redis_url, database_url, monkeypatch):
    # The worker builds its app from the environment, as `rq worker` does in production.
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-not-for-production")
    monkeypatch.setenv("ENV_NAME", "testing")
    return {"JOBS_BACKEND": "rq", "REDIS_URL": redis_url, "EXPORT_PDF_INLINE_ROWS": 2}


def run_rq_worker(app) -> None:
    from rq import SimpleWorker

    worker = SimpleWorker([jobs.queue(app)], connection=jobs.redis_connection(app))
    assert worker.work(burst=True)


def test_rq_backend_runs_the_job_in_a_worker(rq_config, app, client, signatories):
    app.config.update(rq_config)
    queue = jobs.queue(app)
    queue.empty()
    token = start_export(client)
    assert job_by_token(token).status == ExportStatus.QUEUED
    assert queue.count == 1
    page = client.get(f"/registre/exports/{token}").get_data(as_text=True)
    assert "En attente de démarrage" in page and 'http-equiv="refresh"' in page
    run_rq_worker(app)
    assert queue.count == 0
    assert_done_and_download(client, token)
    assert start_export(client) == token
    assert queue.count == 0
