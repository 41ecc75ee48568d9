"""The pages that send a link to an address do the same work whether or not it has an account:
the same SQL statements and no SMTP connection during the request; the e-mail is looked up,
written and sent by a background job (RQ on a real Redis here, as in production)."""

import threading

import pytest
from sqlalchemy import event

from charter_service import jobs, worker
from charter_service.extensions import db

from .helpers import link_in, log_in, text

PAGES = [("/compte/mot-de-passe-oublie", "Choisir un nouveau mot de passe"),
         ("/compte/renvoyer-confirmation", "Confirmez votre adresse e-mail")]


@pytest.fixture(autouse=True)
def fresh_worker_app():
    """The in-process RQ worker builds its app from this test's environment."""
    yield
    worker.forget_app()


@pytest.fixture
def app_config(smtp_app_config, redis_url, database_url, monkeypatch):
    # The RQ worker builds its app from the environment, as `rq worker` does in production.
    environment = {"DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key-not-for-production",
                   "ENV_NAME": "testing", "PUBLIC_BASE_URL": "http://localhost",
                   "MAIL_SERVER": smtp_app_config["MAIL_SERVER"],
                   "MAIL_PORT": str(smtp_app_config["MAIL_PORT"])}
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return {**smtp_app_config, "JOBS_BACKEND": "rq", "REDIS_URL": redis_url}


@pytest.fixture
def queue(app):
    queue = jobs.queue(app)
    queue.empty()
    return queue


def _statements_of(client, path: str, email: str) -> list[str]:
    """The SQL the request itself runs (not a background job's)."""
    seen, me = [], threading.get_ident()

    def record(conn, cursor, statement, parameters, context, executemany):
        if threading.get_ident() == me:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.post(path, data={"email": email})
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return seen


def _run_worker(app) -> None:
    from rq import SimpleWorker

    worker = SimpleWorker([jobs.queue(app)], connection=jobs.redis_connection(app))
    assert worker.work(burst=True)


@pytest.mark.parametrize("path,subject", PAGES)
def test_a_known_address_costs_the_request_no_more_than_an_unknown_one(
        app, client, make, smtp_server, queue, path, subject):
    make.user("en.attente@example.org", confirmed=False)
    known = _statements_of(client, path, "en.attente@example.org")
    unknown = _statements_of(client, path, "personne@example.org")
    assert known == unknown
    assert smtp_server.messages == []  # nothing was sent during either request
    assert queue.count == 2

    _run_worker(app)
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "en.attente@example.org" and mail["Subject"] == subject
    assert link_in(mail, "/compte/")  # built from PUBLIC_BASE_URL by the job
    assert queue.count == 0


def test_the_reset_link_sent_by_the_job_works(app, client, make, smtp_server, queue):
    user = make.user("membre@example.org")
    page = text(client.post("/compte/mot-de-passe-oublie", data={"email": "Membre@Example.org"}))
    assert "Si un compte existe pour cette adresse" in page
    _run_worker(app)
    link = link_in(smtp_server.wait_for(1)[0], "/compte/reinitialiser/")
    password = "une phrase de passe toute neuve"
    response = client.post(link, data={"password": password, "password_confirm": password})
    assert response.status_code == 302
    assert log_in(app.test_client(), user.email, password).status_code == 302
