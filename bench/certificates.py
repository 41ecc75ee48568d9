"""Attestations: render + sign in a warm process against the bare WeasyPrint render of the same
page, and the download of a stored attestation against a static file of the same size."""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .harness import ROOT, SECONDS, gunicorn, row, size

RUNS = size(60, 2)
USER_AGENT = "charter-bench"


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _environment(tmp: Path) -> dict:
    return {
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "SECRET_KEY": "bench-only-secret",
        "RATELIMIT_STORAGE_URI": "memory://",
        "PUBLIC_BASE_URL": "https://charte.example.org",
        "BENCH_TMP": str(tmp),
    }


def _prepare(env: dict) -> None:
    flask = [sys.executable, "-m", "flask", "--app", "charter_service"]
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run(flask + command, cwd=ROOT, env={**os.environ, **env},  # noqa: S603
                       check=True, capture_output=True)


def _app(env: dict):
    from charter_service import create_app

    # The development pair under instance/signing/, as `make run` and the demo loader use it.
    return create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
                       "SECRET_KEY": env["SECRET_KEY"],
                       "PUBLIC_BASE_URL": env["PUBLIC_BASE_URL"]})


def _timings(app) -> dict:
    from sqlalchemy import select

    from charter_service.certificates import render, services, signing
    from charter_service.certificates.data import rendering_data
    from charter_service.db_types import utcnow
    from charter_service.extensions import db
    from charter_service.signatures.models import Signature, SignatureStatus

    with app.app_context():
        signature = db.session.scalars(select(Signature).where(
            Signature.status == SignatureStatus.APPROVED)).first()
        # Issued for and rolled back each time: a signature without an attestation.
        pending = db.session.scalars(select(Signature).where(
            Signature.status == SignatureStatus.PENDING)).first()
        identity = signing.current_identity()
        data = rendering_data(signature, number="CFA-2026-000123", issued_at=utcnow(),
                              approved_at=signature.decided_at,
                              verify_url=services.verify_url("CFA-2026-000123"),
                              signer=identity.common_name, development=identity.development)
        html = render.render_html(data)
        for _ in range(5):  # warm: fonts loaded, key parsed, caches filled
            signing.sign(render.render_pdf(data), identity, number=data["number"],
                         box=render.SIGNATURE_BOX)
        bare, full, issue = [], [], []
        for _ in range(RUNS):  # interleaved, so that the machine's noise hits all three
            start = time.perf_counter()
            render.write_pdf(html)
            bare.append(time.perf_counter() - start)
            start = time.perf_counter()
            signing.sign(render.render_pdf(data), identity, number=data["number"],
                         box=render.SIGNATURE_BOX)
            full.append(time.perf_counter() - start)
            start = time.perf_counter()
            services.issue(pending, actor=None, at_once=True)
            db.session.flush()
            issue.append(time.perf_counter() - start)
            db.session.rollback()
        return {"bare": _median_ms(bare), "full": _median_ms(full), "issue": _median_ms(issue)}


def _download_target(app) -> tuple[str, str, bytes]:
    """A member's download URL, their session cookie and the stored bytes."""
    from flask_login.utils import _create_identifier
    from sqlalchemy import select

    from charter_service.accounts.sessions import open_session
    from charter_service.certificates.models import Certificate, CertificateStatus
    from charter_service.extensions import db

    with app.app_context():
        certificate = db.session.scalars(select(Certificate).where(
            Certificate.status == CertificateStatus.VALID)).first()
        organisation = certificate.signature.organisation
        member = organisation.memberships[0].user
        with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                      headers={"User-Agent": USER_AGENT}):
            # The identifier Flask-Login checks, so that no request rewrites the cookie.
            session = {"_user_id": open_session(member), "_fresh": True,
                       "_id": _create_identifier()}
        db.session.commit()
        cookie = app.session_interface.get_signing_serializer(app).dumps(session)
        url = f"/espace/organisations/{organisation.id}/attestations/{certificate.number}.pdf"
        return url, f"{app.config['SESSION_COOKIE_NAME']}={cookie}", certificate.pdf


def _wrk(url: str, headers: dict[str, str]) -> dict:
    arguments = ["wrk", "-t2", "-c16", f"-d{SECONDS}s", "--latency", url]
    for name, value in headers.items():
        arguments += ["-H", f"{name}: {value}"]
    output = subprocess.run(arguments, capture_output=True, text=True,  # noqa: S603
                            check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50_ms": _latency(output, "50%"), "p99_ms": _latency(output, "99%"),
            "non_2xx": int(errors.group(1)) if errors else 0}


def _latency(output: str, label: str) -> float:
    value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def _downloads(app, env: dict) -> tuple[dict, dict, int]:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is required for the benchmarks: apt-get install wrk")
    url, cookie, pdf = _download_target(app)
    static = ROOT / "charter_service" / "static" / "_bench-attestation.pdf"
    static.write_bytes(pdf)
    headers = {"User-Agent": USER_AGENT}
    try:
        with gunicorn("charter_service:create_app()", env) as base:
            stored = _wrk(base + url, {**headers, "Cookie": cookie})
            plain = _wrk(base + "/static/_bench-attestation.pdf", headers)
    finally:
        static.unlink(missing_ok=True)
    return stored, plain, len(pdf)


def run() -> None:
    with tempfile.TemporaryDirectory(prefix="charter-bench-certificates-") as directory:
        env = _environment(Path(directory))
        _prepare(env)
        app = _app(env)
        timings = _timings(app)
        print(f"\nAttestations, warm process, median of {RUNS}")
        print(f"  bare WeasyPrint render (same page)   {timings['bare']:6.1f} ms")
        print(f"  render + sign                        {timings['full']:6.1f} ms  "
              f"{timings['full'] / timings['bare']:.2f}× the bare render "
              "(goal: < 100 ms and ≤ 1.5×)")
        print(f"  issue (number, render, sign, row, audit) {timings['issue']:6.1f} ms")
        stored, plain, size = _downloads(app, env)
        print(f"Downloads under gunicorn (2 workers, wrk -t2 -c16 -d{SECONDS}s), "
          f"{size / 1024:.0f} KiB")
        print(row("static file /static/…", plain).replace("     — of hello", ""))
        print(row("stored attestation (member)", stored, plain["rps"]).replace(
            "of hello", "of static (goal ≥ 50%)"))


if __name__ == "__main__":
    run()
