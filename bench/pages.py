"""Every anonymous public page, warm, against hello-world in the same run (issue 12, item 7):
≥ 50% of its requests/s with p95 ≤ 10 ms, under gunicorn (2 workers, wrk -t2 -c16), SQLite
with the demo data; the pages' cache in each process (development), then on Redis (production).
"""

import shutil
import sqlite3
import urllib.request

from .accounts import _process
from .harness import SECONDS, free_port, gunicorn, hello, judged, row, size, wrk

RATIO_GOAL, P95_GOAL_MS = 0.5, 10.0
WARM_UP = 8  # requests per URL before measuring: each of the two workers fills its copy


def _pages(database: str) -> list[tuple[str, str]]:
    with sqlite3.connect(database) as connection:
        slug, number = connection.execute(
            "SELECT o.slug, c.number FROM organisations o JOIN signatures s "
            "ON s.organisation_id = o.id JOIN certificates c ON c.signature_id = s.id "
            "WHERE c.status = 'valid' ORDER BY o.id LIMIT 1").fetchone()
        version = connection.execute(
            "SELECT number FROM charter_versions WHERE status = 'published'").fetchone()[0]
    pages = [("home page", "/"), ("charter page", "/charte"),
             ("charter version page", f"/charte/v/{version}"), ("register", "/registre"),
             ("signatory page", f"/organisations/{slug}"),
             ("attestation check", f"/verifier/{number}"),
             ("register statistics", "/registre/statistiques"), ("transparency", "/transparence"),
             ("commitments directory", "/engagements"), ("legal notice", "/mentions-legales"),
             ("privacy notice", "/donnees-personnelles"),
             ("accessibility statement", "/accessibilite")]
    return size(pages, pages[:1])


def _warm(base: str, path: str) -> None:
    for _ in range(WARM_UP):
        urllib.request.urlopen(base + path, timeout=30).read()  # noqa: S310 (our own server)


def _measure(env: dict, pages: list, label: str) -> list[tuple[str, bool]]:
    print(f"\nAnonymous public pages, warm, cache {label} (goal: ≥ {RATIO_GOAL:.0%} of hello, "
          f"p95 ≤ {P95_GOAL_MS:.0f} ms; gunicorn 2 workers, wrk -t2 -c16 -d{SECONDS}s)")
    before = hello(env)
    with gunicorn("charter_service:create_app()", env) as base:
        measured = []
        for name, path in pages:
            _warm(base, path)
            measured.append((name, path, wrk(base + path)))
        login = None if size(False, True) else wrk(base + "/compte/connexion")
    after = hello(env)
    reference = (before + after) / 2  # a noisy machine: before and after, averaged
    print(f"{'hello-world (reference)':<34} {reference:>9.0f} req/s  (before {before:.0f}, "
          f"after {after:.0f})")
    verdicts = []
    for name, path, result in measured:
        ratio = result["rps"] / reference
        passed = (ratio >= RATIO_GOAL and result["p95_ms"] <= P95_GOAL_MS
                  and not result["non_2xx"] and not result["timeouts"])
        print(judged(f"{name} ({label})", f"{ratio:6.1%} of hello, p95 {result['p95_ms']:5.1f} ms",
                     f"≥ {RATIO_GOAL:.0%}, p95 ≤ {P95_GOAL_MS:.0f} ms", passed) + f"  [{path}]")
        verdicts.append((f"{name} ({label})", passed))
    if login:
        print(row("log-in page (not cached: CSRF)", login, reference))
    return verdicts


def run(env: dict) -> list[tuple[str, bool]]:
    pages = _pages(env["DATABASE_URL"].removeprefix("sqlite:///"))
    verdicts = _measure(env, pages, "in-process")
    redis = shutil.which("redis-server")
    if redis is None or size(False, True):
        print("(pages on a Redis cache not measured: " + (
            "smoke run)" if redis else "redis-server is not installed)"))
        return verdicts
    port = free_port()
    with _process([redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no"], port):
        shared = {**env, "CACHE_TYPE": "RedisCache",
                  "CACHE_REDIS_URL": f"redis://127.0.0.1:{port}/0"}
        return verdicts + _measure(shared, pages, "Redis")
