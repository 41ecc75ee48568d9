"""Account pages must not tell whether an address has an account: each page's median answer time
for an address with an account against one without (ratio 1.00: nothing to learn), in-process,
with a real SMTP server and, for the RQ backend, a real Redis and `rq worker` in other processes.

`python -m bench.accounts` runs this part alone."""

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .harness import BIN, ROOT, free_port, size

RUNS = size(40, 2)
# Log-in and sign-up hash with production argon2 parameters: ~0.1-0.4 s each.
HASHING_RUNS = size(12, 1)
WARM_UP = size(3, 1)
SECRET_KEY = "bench-only-secret"  # noqa: S105
KNOWN = "deja.inscrite@example.org"
UNCONFIRMED = "pas.confirmee@example.org"
PASSWORD = "une phrase de passe pour le banc d'essai"  # noqa: S105
WRONG = "pas le bon mot de passe"  # noqa: S105


@contextmanager
def _process(arguments: list[str], port: int, env: dict | None = None):
    """A server process, once it accepts connections on the port."""
    process = subprocess.Popen(arguments, cwd=ROOT, env={**os.environ, **(env or {})},  # noqa: S603
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while port and not _accepts(port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{arguments[0]} did not start")
            time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        process.wait(10)


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def _environment(tmp: Path, smtp_port: int, redis_port: int) -> dict:
    return {"DATABASE_URL": f"sqlite:///{tmp / 'accounts.sqlite3'}", "SECRET_KEY": SECRET_KEY,
            "ENV_NAME": "testing", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_port),
            "PUBLIC_BASE_URL": "https://charte.example.org",
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0", "SIGNING_DIR": str(tmp / "signing")}


def _app(env: dict, backend: str):
    from charter_service import create_app

    # Production argon2 parameters: log-in and sign-up hash as they would in production.
    return create_app({
        "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": SECRET_KEY,
        "ENV_NAME": "testing", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://", "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": int(env["MAIL_PORT"]), "PUBLIC_BASE_URL": env["PUBLIC_BASE_URL"],
        "SIGNING_DIR": env["SIGNING_DIR"], "JOBS_BACKEND": backend, "REDIS_URL": env["REDIS_URL"]})


def _prepare(env: dict) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "charter_service", "db", "upgrade"],
                   cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True)
    from charter_service.accounts.models import Role, User
    from charter_service.accounts.services import create_confirmed_user, hash_password
    from charter_service.extensions import db

    app = _app(env, "sync")
    with app.app_context():
        create_confirmed_user(KNOWN, "Camille Martin", PASSWORD, Role.USER)
        db.session.add(User(email=UNCONFIRMED, full_name="Dominique Petit", locale="fr",
                            password_hash=hash_password(PASSWORD), role=Role.USER))
        db.session.commit()


def _mail_cases() -> list[tuple[str, str, int, object, object]]:
    """(name, path, runs, form for an address with an account, form for one without)."""
    return [
        ("forgotten password", "/compte/mot-de-passe-oublie", RUNS,
         lambda: {"email": KNOWN}, lambda: {"email": "inconnue@example.org"}),
        ("resend confirmation", "/compte/renvoyer-confirmation", RUNS,
         lambda: {"email": UNCONFIRMED}, lambda: {"email": "inconnue@example.org"}),
    ]


def _hashing_cases() -> list[tuple[str, str, int, object, object]]:
    fresh = (f"nouvelle.{n}@example.org" for n in range(10_000))
    return [
        ("log-in, wrong password", "/compte/connexion", HASHING_RUNS,
         lambda: {"email": KNOWN, "password": WRONG},
         lambda: {"email": "inconnue@example.org", "password": WRONG}),
        ("sign-up", "/compte/inscription", HASHING_RUNS,
         lambda: _signup(KNOWN), lambda: _signup(next(fresh))),
    ]


def _signup(email: str) -> dict:
    return {"full_name": "Camille Martin", "email": email, "password": PASSWORD,
            "password_confirm": PASSWORD, "locale": "fr"}


def _settle(app) -> None:
    """Wait until the background jobs are done, so that the next request starts on a quiet
    machine."""
    from rq.registry import StartedJobRegistry

    from charter_service import jobs

    if app.config["JOBS_BACKEND"] == "thread":
        jobs.wait_for_threads()
        return
    queue = jobs.queue(app)
    started = StartedJobRegistry(queue=queue)
    deadline = time.monotonic() + 10
    while (queue.count or started.count) and time.monotonic() < deadline:
        time.sleep(0.002)


def _measure(app, cases) -> list[tuple[str, float, float]]:
    client = app.test_client()
    figures = []
    for name, path, runs, known, unknown in cases:
        samples = {"known": [], "unknown": []}
        for run in range(WARM_UP + runs):  # interleaved, so that noise hits both alike
            for kind, form in (("known", known), ("unknown", unknown)):
                start = time.perf_counter()
                response = client.post(path, data=form())
                elapsed = time.perf_counter() - start
                assert response.status_code == 200, response.status_code
                _settle(app)
                if run >= WARM_UP:
                    samples[kind].append(elapsed)
        figures.append((f"{name} ({app.config['JOBS_BACKEND']})",
                        statistics.median(samples["known"]) * 1000,
                        statistics.median(samples["unknown"]) * 1000))
    return figures


def _figures(tmp: Path, redis: str) -> list[tuple[str, float, float]]:
    smtp_port, redis_port = free_port(), free_port()
    env = _environment(tmp, smtp_port, redis_port)
    with ExitStack() as stack:
        stack.enter_context(_process(
            [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink",
             "-l", f"127.0.0.1:{smtp_port}"], smtp_port))
        stack.enter_context(_process(
            [redis, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], redis_port))
        _prepare(env)
        stack.enter_context(_process(
            [str(BIN / "rq"), "worker", "-u", env["REDIS_URL"], "--worker-class",
             "rq.worker.SimpleWorker", "charter"], 0, env))
        figures = _measure(_app(env, "rq"), _mail_cases() + _hashing_cases())
        return figures + _measure(_app(env, "thread"), _mail_cases())


def run() -> None:
    print("\nAccount pages, address with an account vs without (medians, in-process; the "
          "backend that sends the e-mail in brackets)")
    redis = shutil.which("redis-server")
    if redis is None:
        print("skipped: redis-server is not installed (apt-get install redis-server)")
        return
    with tempfile.TemporaryDirectory(prefix="charter-bench-accounts-") as directory:
        figures = _figures(Path(directory), redis)
    for name, known, unknown in figures:
        print(f"{name:<37} with account {known:7.2f} ms  without {unknown:7.2f} ms  "
              f"ratio {known / unknown:5.2f}")


if __name__ == "__main__":
    run()
