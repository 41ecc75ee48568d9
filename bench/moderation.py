"""The moderation queue at 100,000 organisations, on SQLite and on PostgreSQL: a moderator's
/moderation/ under gunicorn (2 workers) with wrk, and the near-name check alone, by the bigram
index (now) and by a scan of the départements concerned (before)."""

import difflib
import random
import time
import urllib.request
from pathlib import Path
from statistics import median

from . import register_data
from .harness import gunicorn, judged, measured_on_each_database, size, warm, wrk

ORGANISATIONS = size(100_000, 300)
PENDING = size(40, 5)
POSTGRESQL = size(True, False)  # as in register.py
P95_GOAL_MS = 100.0
USER_AGENT = "charter-bench"
RUNS = size(7, 2)
HEADERS_LUA = 'wrk.headers["Cookie"] = "%s"\nwrk.headers["User-Agent"] = "%s"\n'


def _near(name: str, rng: random.Random) -> str:
    """The same name with one letter changed: what a second sign-up often looks like."""
    position = rng.randrange(len(name))
    return name[:position] + rng.choice("aeilnorstu") + name[position + 1:]


def _queue(app, rng: random.Random) -> None:
    """Pending signatures of new organisations, half of them named like a registered one."""
    from sqlalchemy import func, select

    from charter_service.charters.services import current_version
    from charter_service.extensions import db
    from charter_service.organisations.models import Organisation, OrganisationKind
    from charter_service.signatures.models import Signature, SignatureStatus

    with app.app_context():
        version = current_version()
        models = db.session.scalars(select(Organisation).order_by(func.random())
                                    .limit(PENDING)).all()
        for n, model in enumerate(models):
            name = _near(model.name, rng) if n % 2 == 0 else f"Collectif banc numéro {n}"
            organisation = Organisation(
                name=name, slug=f"banc-moderation-{n}", kind=OrganisationKind.ASSOCIATION,
                departement_code=model.departement_code, region_code=model.region_code,
                rna=f"W9Y{n:07d}")
            db.session.add(Signature(
                organisation=organisation, charter_version_id=version.id,
                status=SignatureStatus.PENDING, signatory_name="Camille Durand",
                signatory_function="Présidente", signatory_email=f"camille{n}@example.org",
                authority_attested=True, principles_accepted=True,
                version_sha256=version.sha256()))
        db.session.commit()


def _moderator_cookie(app) -> str:
    from flask_login.utils import _create_identifier
    from sqlalchemy import select

    from charter_service.accounts.models import Role, User
    from charter_service.accounts.sessions import open_session
    from charter_service.extensions import db

    with app.app_context():
        moderator = db.session.scalars(select(User).where(User.role == Role.MODERATOR)).first()
        with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                      headers={"User-Agent": USER_AGENT}):
            session = {"_user_id": open_session(moderator), "_fresh": True,
                       "_id": _create_identifier()}
        db.session.commit()
        cookie = app.session_interface.get_signing_serializer(app).dumps(session)
        db.engine.dispose()  # no connection shared with the forked workers
        return f"{app.config['SESSION_COOKIE_NAME']}={cookie}"


def _scan(organisations) -> int:
    """The check before the index: every organisation of the départements, compared."""
    from sqlalchemy import select

    from charter_service.extensions import db
    from charter_service.moderation.warnings import _similar
    from charter_service.organisations.models import Organisation
    from charter_service.organisations.names import normalised_name

    rows = db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.departement_code)
        .where(Organisation.departement_code.in_({o.departement_code for o in organisations}))
    ).all()
    found = 0
    for organisation in organisations:
        name = normalised_name(organisation.name)
        matcher = difflib.SequenceMatcher(None, "", name)
        found += sum(1 for row in rows if row.departement_code == organisation.departement_code
                     and row.id != organisation.id
                     and _similar(matcher, normalised_name(row.name), name))
    return found


def _check_alone(app) -> dict[str, tuple[float, int]]:
    """Median ms and pairs found of the near-name check for the queue's first page, by the
    index (now) and by the scan (before)."""
    from charter_service.moderation import services, warnings

    with app.app_context():
        organisations = [s.organisation for s in services.queue_page(
            services.QueueFilters()).signatures]
        checks = {"index": lambda: len(list(warnings._similar_in_departement(organisations))),
                  "scan": lambda: _scan(organisations)}
        measured = {}
        for way, check in checks.items():
            timings = []
            for _ in range(RUNS):
                start = time.perf_counter()
                found = check()
                timings.append((time.perf_counter() - start) * 1000)
            measured[way] = (median(timings), found)
    return measured


def _cold_view(base: str, cookie: str) -> float:
    request = urllib.request.Request(base + "/moderation/", headers={  # noqa: S310
        "Cookie": cookie, "User-Agent": USER_AGENT})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        response.read()
    return (time.perf_counter() - start) * 1000


def _measure(engine: str, database_url: str, tmp: Path) -> list[tuple[str, bool]]:
    print(f"\nModeration queue, {engine}, {ORGANISATIONS:,} organisations + {PENDING} pending, "
          "gunicorn 2 workers")
    register_data.load(database_url, ORGANISATIONS)
    app = register_data._app(database_url)
    _queue(app, random.Random(9))  # noqa: S311  (fictional data)
    alone = _check_alone(app)
    (index_ms, by_index), (scan_ms, by_scan) = alone["index"], alone["scan"]
    print(f"  near-name check, first page: {index_ms:.1f} ms by the index, {scan_ms:.1f} ms by "
          f"a scan of the départements (before); {by_index} / {by_scan} pairs")
    cookie = _moderator_cookie(app)
    script = HEADERS_LUA % (cookie, USER_AGENT)
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "bench-only-secret",
           "RATELIMIT_STORAGE_URI": "memory://", "BENCH_TMP": str(tmp)}
    results = [(f"{engine} same pairs as the scan", by_index == by_scan)]
    with gunicorn("charter_service:create_app()", env) as base:
        print(f"  first view, every near-name answer computed: {_cold_view(base, cookie):.0f} ms"
              " (then kept until a name changes)")
        # Each worker has its own in-process cache here (Redis, shared, in production): both
        # answer once before the measurements, which are of a warm queue.
        warm(base, "/moderation/", headers={"Cookie": cookie, "User-Agent": USER_AGENT})
        for connections in (2, 16):
            result = wrk(base + "/moderation/", connections=connections, script=script,
                         timeout=10)
            passed = (result["p95_ms"] <= P95_GOAL_MS and not result["non_2xx"]
                      and not result["timeouts"])
            figure = (f"p95 {result['p95_ms']:.1f} ms, p50 {result['p50_ms']:.1f} ms, "
                      f"{result['rps']:.0f} req/s, non-2xx {result['non_2xx']}")
            name = f"{engine} /moderation/, wrk -c{connections}"
            if connections == 2:  # the goal: the time a page takes, one request per worker
                print(judged(name, figure, f"p95 ≤ {P95_GOAL_MS:.0f} ms", passed))
                results.append((name, passed))
            else:
                print(f"      {name:<46} {figure}  (16 at once on 2 workers: queueing)")
    return results


def run() -> list[tuple[str, bool]]:
    return measured_on_each_database("moderation", _measure, POSTGRESQL)


if __name__ == "__main__":
    run()
