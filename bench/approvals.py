"""Approvals under load (issue 12, item 10): 50 pending signatures, two moderators logged in over
HTTP approve 25 each, all released at once, against gunicorn (2 workers) and one RQ worker
that renders the attestations (production's topology), on SQLite and on PostgreSQL. Judged:
the slowest answer, errors, the numbers; and how long until the last attestation is valid."""

import shutil
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

from .accounts import _process
from .harness import BIN, ROOT, databases, free_port, gunicorn, judged, size
from .submissions import _app, _environment, _field, _request, _upgrade

SIGNATURES = size(50, 4)
MODERATORS = 2
POSTGRESQL = size(True, False)  # as in submissions.py
MAX_ANSWER_S = 3.0
RENDERED_WITHIN_S = 120


def _prepare(app) -> tuple[list[int], list[str]]:
    """A published charter, SIGNATURES organisations with a pending signature each, and the
    moderators' session cookies (forged as the log-in form would set them)."""
    from charter_service.accounts.models import Role, User
    from charter_service.accounts.sessions import open_session
    from charter_service.charters.services import import_version, publish_version
    from charter_service.charters.yamlfile import read_charter_file
    from charter_service.db_types import utcnow
    from charter_service.extensions import db
    from charter_service.organisations.models import Organisation, OrganisationKind
    from charter_service.signatures.models import Signature

    with app.app_context():
        draft = import_version(read_charter_file(ROOT / "charter_service/data/demo_charter.yaml"))
        version = publish_version(draft.number)
        signatures = []
        for n in range(1, SIGNATURES + 1):
            organisation = Organisation(
                name=f"Organisation approuvée {n}", slug=f"organisation-approuvee-{n}",
                kind=OrganisationKind.ASSOCIATION, address="1 place de la Mairie",
                postcode="69001", commune="Lyon", departement_code="69", region_code="84")
            signatures.append(Signature(
                organisation=organisation, charter_version=version,
                signatory_name="Dominique Durand", signatory_function="Présidente",
                signatory_email="dominique.durand@example.org", authority_attested=True,
                principles_accepted=True, version_sha256=version.sha256()))
        never = "!"  # no password: the moderators' sessions are forged below
        moderators = [User(email=f"moderator{n}@bench.example.org", full_name=f"Modérateur {n}",
                           password_hash=never, locale="fr", confirmed_at=utcnow(),
                           role=Role.MODERATOR) for n in range(MODERATORS)]
        db.session.add_all(signatures + moderators)
        db.session.commit()
        serializer = app.session_interface.get_signing_serializer(app)
        cookies = [serializer.dumps({"_user_id": open_session(user), "_fresh": True})
                   for user in moderators]
        db.session.commit()
        ids = [signature.id for signature in signatures]
        db.engine.dispose()
    return ids, cookies


def _decision(base: str, signature_id: int, cookie: str) -> tuple[str, str]:
    """The moderator opens the signature's page: (session cookie, the approval's POST body)."""
    path = f"/moderation/signatures/{signature_id}"
    status, set_cookie, html = _request(base, "GET", path, cookie)
    if status != 200:
        raise RuntimeError(f"GET {path}: {status}")
    if "session=" in set_cookie:  # Flask-WTF keeps the raw CSRF token in the session
        cookie = set_cookie.split("session=", 1)[1].split(";", 1)[0]
    body = urlencode({"approuver-csrf_token": _field(html, "approuver-csrf_token"),
                      "approuver-lock_version": _field(html, "approuver-lock_version"),
                      "approuver-confirm": "1"})  # the confirmation step's own field
    return cookie, body


def _fire(base: str, decisions: list[tuple[int, str, str]]) -> tuple[list[float], list, float]:
    """Every approval at once; (answer times, errors, start on the monotonic clock)."""
    barrier = threading.Barrier(len(decisions) + 1)
    times, errors, lock = [], [], threading.Lock()

    def post(signature_id: int, cookie: str, body: str) -> None:
        barrier.wait()
        start = time.perf_counter()
        try:
            status, _, _ = _request(base, "POST",
                                    f"/moderation/signatures/{signature_id}/approuver",
                                    cookie, body)
        except OSError as exc:
            status = type(exc).__name__
        with lock:
            times.append(time.perf_counter() - start)
            if status != 302:
                errors.append(status)

    threads = [threading.Thread(target=post, args=decision) for decision in decisions]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return times, errors, start


def _outcome(app, ids: list[int], start: float) -> dict:
    """Wait for the attestations to be valid; approved signatures, serials, seconds."""
    from sqlalchemy import func, select

    from charter_service.certificates.models import Certificate, CertificateStatus
    from charter_service.extensions import db
    from charter_service.signatures.models import Signature, SignatureStatus

    with app.app_context():
        deadline = time.perf_counter() + RENDERED_WITHIN_S
        while True:
            valid = db.session.scalar(select(func.count()).select_from(Certificate).where(
                Certificate.status == CertificateStatus.VALID))
            db.session.rollback()
            if valid >= len(ids) or time.perf_counter() > deadline:
                break
            time.sleep(0.05)
        rendered_after = time.perf_counter() - start
        approved = db.session.scalar(select(func.count()).select_from(Signature).where(
            Signature.id.in_(ids), Signature.status == SignatureStatus.APPROVED))
        serials = sorted(db.session.scalars(select(Certificate.serial)))
        db.engine.dispose()
    return {"valid": valid, "approved": approved, "serials": serials,
            "rendered_after": rendered_after}


def _measure(engine: str, tmp: Path, database_url: str, redis: str) -> None:
    redis_port = free_port()
    env = _environment(tmp, database_url) | {
        "JOBS_BACKEND": "rq", "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0"}
    _upgrade(env)
    app = _app(env)
    ids, cookies = _prepare(app)
    with ExitStack() as stack:
        stack.enter_context(_process(
            [redis, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], redis_port))
        # One process that keeps WeasyPrint's fonts warm from one job to the next.
        stack.enter_context(_process(
            [str(BIN / "rq"), "worker", "-u", env["REDIS_URL"], "--worker-class",
             "rq.worker.SimpleWorker", "charter"], 0, env))
        base = stack.enter_context(gunicorn("charter_service:create_app()", env))
        decisions = [(signature_id, *_decision(base, signature_id, cookies[n % MODERATORS]))
                     for n, signature_id in enumerate(ids)]
        times, errors, start = _fire(base, decisions)
        outcome = _outcome(app, ids, start)
    label = f"{len(ids)} approvals, {MODERATORS} moderators, {engine}"
    slowest = max(times)
    print(judged(f"{label}: slowest answer", f"{slowest:.2f} s", f"≤ {MAX_ANSWER_S:.0f} s",
                 slowest <= MAX_ANSWER_S))
    print(judged(f"{label}: errors", f"{len(errors)} {sorted(map(str, errors))[:3]}",
                 "0", not errors and outcome["approved"] == len(ids)))
    consecutive = outcome["serials"] == list(range(1, len(ids) + 1))
    print(judged(f"{label}: numbers", f"{len(set(outcome['serials']))} unique, "
                 f"{'consecutive' if consecutive else 'with gaps'}", "unique, consecutive",
                 consecutive))
    print(judged(f"{label}: last attestation valid", f"{outcome['rendered_after']:.1f} s "
                 f"({outcome['valid']} valid)", f"all {len(ids)} valid",
                 outcome["valid"] == len(ids)))


def run() -> None:
    print("\nApprovals under load: two moderators over HTTP, gunicorn 2 workers, one RQ worker")
    redis = shutil.which("redis-server")
    if redis is None:
        print("skipped: redis-server is not installed (apt-get install redis-server)")
        return
    for engine, url, tmp in databases("approvals", POSTGRESQL):
        _measure(engine, tmp, url.replace("postgresql+psycopg://", "postgresql://"), redis)


if __name__ == "__main__":
    run()
