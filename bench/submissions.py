"""Concurrent signing: 200 submissions through gunicorn (4 workers), two per organisation, all
released at once, on SQLite and on PostgreSQL; then count what reached the database."""

import http.client
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from .harness import ROOT, databases, gunicorn, size

ORGANISATIONS = size(100, 4)
# The smoke run stays on SQLite: a PostgreSQL cluster of its own costs more than the bench.
POSTGRESQL = size(True, False)
PER_ORGANISATION = 2  # a double submission on purpose
WORKERS = 4
SECRET_KEY = "bench-only-secret"  # noqa: S105
USER_AGENT = "charter-bench"


def _environment(tmp: Path, database_url: str) -> dict:
    return {"DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY,
            "RATELIMIT_STORAGE_URI": "memory://", "BENCH_TMP": str(tmp)}


def _upgrade(env: dict) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "charter_service", "db", "upgrade"],
                   cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True)


def _app(env: dict):
    from charter_service import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": _driver_url(env["DATABASE_URL"]),
                       "SECRET_KEY": env["SECRET_KEY"]})


def _driver_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _prepare(app) -> list[tuple[int, str]]:
    """A published charter version and fresh organisations, each with one confirmed owner;
    returns (organisation id, session cookie) for each."""
    from charter_service.accounts.models import User
    from charter_service.accounts.services import hash_password
    from charter_service.accounts.sessions import open_session
    from charter_service.charters.services import import_version, publish_version
    from charter_service.charters.yamlfile import read_charter_file
    from charter_service.db_types import utcnow
    from charter_service.extensions import db
    from charter_service.organisations.models import (
        MemberRole,
        Membership,
        Organisation,
        OrganisationKind,
    )

    with app.app_context():
        draft = import_version(read_charter_file(ROOT / "charter_service/data/demo_charter.yaml"))
        publish_version(draft.number)
        password_hash = hash_password("bench password, never used to log in")
        owners = []
        for n in range(1, ORGANISATIONS + 1):
            user = User(email=f"owner{n}@bench.example.org", full_name=f"Owner {n}",
                        password_hash=password_hash, locale="fr", confirmed_at=utcnow())
            organisation = Organisation(
                name=f"Organisation banc {n}", slug=f"organisation-banc-{n}",
                kind=OrganisationKind.ASSOCIATION, address="1 place de la Mairie",
                postcode="69001", commune="Lyon", departement_code="69", region_code="84")
            db.session.add_all([user, organisation,
                                Membership(user=user, organisation=organisation,
                                           role=MemberRole.OWNER)])
            owners.append((user, organisation))
        db.session.commit()
        # Logged in by forging the session cookie the log-in form would set: the log-in form
        # is rate-limited per address, and the limit cannot be raised from the environment.
        serializer = app.session_interface.get_signing_serializer(app)
        sessions = [(organisation.id,
                     serializer.dumps({"_user_id": open_session(user), "_fresh": True}))
                    for user, organisation in owners]
        db.session.commit()
        db.engine.dispose()
    return sessions


def _request(base: str, method: str, path: str, cookie: str, body: str | None = None):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    headers = {"Cookie": f"session={cookie}", "User-Agent": USER_AGENT}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response.status, response.getheader("Set-Cookie") or "", text
    finally:
        connection.close()


def _field(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    if tag is None:
        raise RuntimeError(f"signing form without {name}")
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def _submission(base: str, organisation_id: int, cookie: str) -> tuple[str, str]:
    """Open the signing form with a session of one's own: (session cookie, POST body)."""
    path = f"/espace/organisations/{organisation_id}/signer"
    status, set_cookie, html = _request(base, "GET", path, cookie)
    if status != 200:
        raise RuntimeError(f"GET {path}: {status}")
    # Flask-WTF keeps the raw CSRF token in the session: keep the cookie the server sends back.
    match = re.search(r"session=([^;]+)", set_cookie)
    cookie = match.group(1) if match else cookie
    body = urlencode({
        "csrf_token": _field(html, "csrf_token"),
        "version_id": _field(html, "version_id"),
        "version_sha256": _field(html, "version_sha256"),
        "signatory_name": "Dominique Durand", "signatory_function": "Présidente",
        "signatory_email": "dominique.durand@example.org",
        "authority_attested": "y", "principles_accepted": "y",
    })
    return cookie, body


def _outcome(serializer, set_cookie: str) -> str:
    """What the redirect told the user, read from the flash message in the session cookie."""
    match = re.search(r"session=([^;]+)", set_cookie)
    flashes = serializer.loads(match.group(1)).get("_flashes", []) if match else []
    categories = [category for category, _ in flashes]
    return ("signed" if "success" in categories else
            "already signed" if "info" in categories else "other")


def _fire(base: str, sessions: list[tuple[int, str]],
          serializer) -> tuple[Counter, Counter, float]:
    submissions = [(organisation_id, *_submission(base, organisation_id, cookie))
                   for organisation_id, cookie in sessions for _ in range(PER_ORGANISATION)]
    barrier = threading.Barrier(len(submissions) + 1)
    statuses: Counter = Counter()
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def post(organisation_id: int, cookie: str, body: str) -> None:
        barrier.wait()
        try:
            status, set_cookie, _ = _request(
                base, "POST", f"/espace/organisations/{organisation_id}/signer", cookie, body)
            outcome = _outcome(serializer, set_cookie) if status == 302 else "other"
        except OSError as exc:
            status, outcome = type(exc).__name__, "other"
        with lock:
            statuses[status] += 1
            outcomes[outcome] += 1

    threads = [threading.Thread(target=post, args=submission) for submission in submissions]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return statuses, outcomes, time.perf_counter() - start


def _count(app, organisation_ids: list[int]) -> Counter:
    """Live signatures per organisation."""
    from sqlalchemy import func, select

    from charter_service.extensions import db
    from charter_service.signatures.models import LIVE_STATUSES, Signature

    with app.app_context():
        rows = db.session.execute(
            select(Signature.organisation_id, func.count())
            .where(Signature.status.in_(LIVE_STATUSES),
                   Signature.organisation_id.in_(organisation_ids))
            .group_by(Signature.organisation_id)).all()
        db.engine.dispose()
    return Counter({organisation_id: count for organisation_id, count in rows})


def _measure(engine: str, tmp: Path, database_url: str) -> dict:
    env = _environment(tmp, database_url)
    _upgrade(env)
    app = _app(env)
    sessions = _prepare(app)
    with gunicorn("charter_service:create_app()", env, workers=WORKERS) as base:
        statuses, outcomes, seconds = _fire(
            base, sessions, app.session_interface.get_signing_serializer(app))
    ids = [organisation_id for organisation_id, _ in sessions]
    live = _count(app, ids)
    result = {
        "engine": engine, "seconds": seconds, "statuses": statuses, "outcomes": outcomes,
        "signed": sum(1 for i in ids if live[i] >= 1),
        "lost": sum(1 for i in ids if live[i] == 0),
        "duplicated": sum(1 for i in ids if live[i] > 1),
        "server_errors": sum(n for status, n in statuses.items()
                             if not isinstance(status, int) or status >= 500),
    }
    print(f"{ORGANISATIONS * PER_ORGANISATION} concurrent submissions, {engine}, gunicorn "
          f"{WORKERS} workers: {result['signed']} organisations signed, {result['lost']} lost, "
          f"{result['duplicated']} duplicated, {result['server_errors']} server errors, "
          f"{seconds:.1f} s  (HTTP {dict(sorted(statuses.items(), key=str))}, "
          f"answers {dict(outcomes)})")
    return result


def run() -> list[dict]:
    return [_measure(engine, tmp, url.replace("postgresql+psycopg://", "postgresql://"))
            for engine, url, tmp in databases("submissions", POSTGRESQL)]
