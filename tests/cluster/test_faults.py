"""Faults of the shared parts (issue 12, « Faults »): Redis stopped, PostgreSQL restarted, a
worker's job killed halfway. Runs after test_across_nodes.py, on the same processes."""

import os
import signal
import threading

import pytest
from rq.job import Job, JobStatus
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError

from charter_service.audit.models import AuditEntry
from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage
from charter_service.signatures.models import Signature, SignatureStatus

from .topology import Browser, approve, certificate_of, restart_postgresql, wait_until

PUBLIC = ("/", "/charte", "/registre", "/registre/statistiques", "/transparence")
UNAVAILABLE = "momentanément indisponible"


def _last_outbox_id(cluster_app) -> int:
    with cluster_app.app_context():
        last = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
        db.session.remove()
        return last


def _outbox_after(cluster_app, after: int) -> list[tuple[str, str, bool]]:
    with cluster_app.app_context():
        rows = db.session.execute(select(
            OutboxMessage.recipient, OutboxMessage.subject, OutboxMessage.sent_at.is_not(None))
            .where(OutboxMessage.id > after)).all()
        db.session.remove()
        return [tuple(row) for row in rows]


def _state_of(cluster_app, signature_id: int) -> tuple[SignatureStatus, int]:
    """The signature's status and how many audit entries record its approval."""
    with cluster_app.app_context():
        status = db.session.get(Signature, signature_id).status
        approvals = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.object_type == "signature", AuditEntry.object_id == str(signature_id),
            AuditEntry.after.contains('"approved"')))
        db.session.remove()
        return status, approvals


@pytest.fixture(scope="class")
def redis_stopped(topology):
    topology.redis.stop()
    yield topology.redis
    if topology.redis.process is None:
        topology.redis.start()


@pytest.mark.usefixtures("redis_stopped")
class TestRedisStopped:
    @pytest.mark.parametrize("node", ["a", "b"])
    def test_public_pages_are_served(self, topology, world, browser, node):
        visitor = browser()
        for path in (*PUBLIC, f"/organisations/{world['Alpha Coopérative']['slug']}"):
            page = visitor.get(topology.nodes[node] + path)
            assert page.status_code == 200, path

    @pytest.mark.parametrize("path,fields", [
        ("/compte/connexion", {"email": "presidence0@example.org", "password": "x" * 12}),
        ("/compte/inscription", {"full_name": "Nouvelle Personne", "email": "nouvelle@example.org",
                                 "password": "un mot de passe assez long",
                                 "password_confirm": "un mot de passe assez long"}),
        ("/compte/mot-de-passe-oublie", {"email": "presidence0@example.org"}),
    ])
    def test_forms_behind_a_rate_limit_say_so_in_french(self, topology, browser, path, fields):
        refused = browser().submit(topology.nodes["b"] + path, fields)
        assert refused.status_code == 503
        assert UNAVAILABLE in refused.text and "réessayez dans quelques minutes" in refused.text
        assert refused.headers["Retry-After"]

    @pytest.mark.parametrize("node", ["a", "b"])
    def test_an_attestation_is_verified_by_number_and_an_upload_refused(
            self, topology, world, cluster_app, browser, node):
        number = certificate_of(cluster_app, world["Alpha Coopérative"]["signature"]).number
        visitor, base = browser(), topology.nodes[node]
        for path in ("/verifier", f"/verifier/{number}", f"/api/v1/certificates/{number}"):
            assert visitor.get(base + path).status_code == 200, path
        refused = visitor.submit(base + "/verifier", {}, files={
            "document": ("attestation.pdf", b"%PDF-1.7", "application/pdf")})
        assert refused.status_code == 503 and UNAVAILABLE in refused.text

    def test_a_decision_is_recorded_and_its_mails_go_out_once_redis_is_back(
            self, topology, world, cluster_app, moderator, smtp):
        start = _last_outbox_id(cluster_app)
        smtp.forget()
        gamma = world["Gamma Territoires"]
        assert approve(moderator, topology.nodes["b"], gamma["signature"]).status_code == 302
        assert _state_of(cluster_app, gamma["signature"]) == (SignatureStatus.APPROVED, 1)
        topology.redis.start()
        topology.flask("mail", "retry")
        queued = _outbox_after(cluster_app, start)
        assert queued and all(sent for _, _, sent in queued)
        for recipient, subject, _ in queued:
            wait_until(lambda r=recipient, s=subject: smtp.received(r, s), 10, recipient)
            assert smtp.received(recipient, subject) == 1


def test_after_a_postgresql_restart_every_node_answers_at_once(topology, moderator):
    pages = [topology.nodes[node] + "/moderation/" for node in ("a", "b")]
    for page in pages:  # each node's worker holds a pooled connection
        assert moderator.get(page).status_code == 200
    unchecked = create_engine(topology.env["DATABASE_URL"], pool_pre_ping=False, pool_size=1)
    with unchecked.connect() as connection:
        connection.execute(text("select 1"))
    restart_postgresql(topology.postgresql)
    try:  # the restart cuts pooled connections: without a ping, the next use fails
        with pytest.raises(OperationalError), unchecked.connect() as connection:
            connection.execute(text("select 1"))
    finally:
        unchecked.dispose()
    for page in pages:  # the first request after the restart: pool_pre_ping replaces it
        assert moderator.get(page).status_code == 200


def test_a_decision_in_flight_during_a_restart_is_all_or_nothing(topology, world, cluster_app,
                                                                 moderator):
    delta = world["Delta Commun"]["signature"]
    page = f"{topology.nodes['a']}/moderation/signatures/{delta}"
    fields, answers = {**moderator.hidden(page, "approuver-"), "approuver-confirm": "1"}, []

    def decide() -> None:
        try:
            answers.append(moderator.request("POST", page + "/approuver", data=fields))
        except OSError as error:  # the connection cut: an answer too
            answers.append(error)

    decision = threading.Thread(target=decide)
    decision.start()
    restart_postgresql(topology.postgresql, mode="immediate")
    decision.join(60)
    assert answers
    status, approvals = _state_of(cluster_app, delta)
    assert (status, approvals) in ((SignatureStatus.PENDING, 0), (SignatureStatus.APPROVED, 1))
    if status == SignatureStatus.PENDING:  # refused whole: the moderator tries again
        assert approve(moderator, topology.nodes["a"], delta).status_code == 302
    assert _state_of(cluster_app, delta) == (SignatureStatus.APPROVED, 1)


@pytest.fixture(scope="module")
def horse_killed_mid_job(topology, world, smtp):
    """A password-reset e-mail whose job's work horse is killed (SIGKILL) while the SMTP
    server holds the message; then the server answers again."""
    owner = world["Bêta Solidaire"]["owner"]
    connection = topology.redis_connection()
    smtp.holding = True
    try:
        asked = Browser("198.51.100.3").submit(topology.nodes["a"] + "/compte/mot-de-passe-oublie",
                                 {"email": owner})
        assert asked.status_code in (200, 302)
        wait_until(lambda: smtp.held, 30, "the job never reached the SMTP server")
        job_id = topology.current_job_id()
        os.kill(topology.horse_of_worker(), signal.SIGKILL)
    finally:
        smtp.holding = False
    job = wait_until(lambda: (lambda j: j if j.get_status() in (
        JobStatus.FINISHED, JobStatus.FAILED) else None)(Job.fetch(job_id, connection=connection)),
        60, "the killed job neither finished nor failed")
    topology.flask("mail", "retry")
    return owner, job


def test_a_job_whose_worker_was_killed_is_run_again(horse_killed_mid_job):
    _, job = horse_killed_mid_job
    assert job.get_status() == JobStatus.FINISHED


def test_the_e_mail_of_a_killed_job_is_sent_once(horse_killed_mid_job, smtp):
    owner, _ = horse_killed_mid_job
    assert smtp.received(owner) == 1
