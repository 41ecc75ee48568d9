"""The commitments directory /engagements at 100,000 public commitments, on SQLite and on
PostgreSQL: one URL repeated (whole-page cache hits, goal ≥ 50 % of hello-world and p95 ≤
10 ms, issue 12 item 7) and URLs varied on every request (cache misses at 16 connections:
new pages of a known selection ≤ 50 ms p95, new searches and filters ≤ 100 ms, item 8)."""

import math
import random
import shutil
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote

from . import directory_data
from .accounts import _process
from .harness import (
    SECONDS,
    VARIED_LUA,
    drain,
    free_port,
    gunicorn,
    hello,
    judged,
    measured_on_each_database,
    size,
    warm,
    wrk,
)
from .register_data import COMMITMENT_TITLES, THEMES, TOWNS

HIT_GOAL = 0.50
HIT_P95_MS = 10.0
MISS_P95_GOALS_MS = {"page": 50.0, "q": 100.0, "filters": 100.0}
PER_PAGE = 30
COMMITMENTS = size(100_000, 300)
SIGNATORIES = size(20_000, 60)
POSTGRESQL = size(True, False)
VARIED_URLS = size(30_000, 200)
FIXED_URLS = size(None, 2)
VARIED_KINDS = size(3, 1)


def _fixed_urls(last_page: int) -> list[tuple[str, str]]:
    return [("no filter", "/engagements"),
            ("q=energie (common word)", "/engagements?q=energie"),
            ("principe+odd", "/engagements?principe=P1&odd=13"),
            ("categorie+region+conjoint", "/engagements?categorie=mecenat&region=84&conjoint=oui"),
            (f"last page {last_page}", f"/engagements?page={last_page}")]


def _words() -> list[str]:
    words = {w.lower() for phrase in COMMITMENT_TITLES + THEMES + TOWNS
             for w in phrase.replace("-", " ").replace("'", " ").split() if len(w) >= 3}
    return sorted({w[:n] for w in words for n in range(3, len(w) + 1)})


def _varied(kind: str, last_page: int, rng: random.Random) -> list[str]:
    from charter_service.organisations import geo

    if kind == "page":
        urls = [f"/engagements?page={page}" for page in range(2, last_page + 1)]
    elif kind == "q":
        words = _words()
        urls = [f"/engagements?q={quote(w)}" for w in words]
        urls += [f"/engagements?q={quote(a)}+{quote(b)}" for a, b in zip(
            rng.sample(words, len(words)), rng.sample(words, len(words)), strict=True)]
    else:
        urls = [f"/engagements?odd={n}&region={r}" for n in range(1, 18) for r in geo.regions()]
        urls += [f"/engagements?departement={d}&statut={s}" for d in geo.departements()
                 for s in directory_data.STATUSES]
        urls += [f"/engagements?principe=P{p}&categorie={c}&echelle={e}" for p in range(1, 14)
                 for c in directory_data.CATEGORIES for e in directory_data.SCALES]
    rng.shuffle(urls)
    return urls[:VARIED_URLS]


def _repeated(env: dict, last_page: int) -> list[tuple]:
    measured = []
    with gunicorn("charter_service:create_app()", env) as base:
        for name, path in _fixed_urls(last_page)[:FIXED_URLS]:
            cold = warm(base, path)
            result = wrk(base + path)
            drain(base)
            measured.append((name, result, cold))
    return measured


def _varied_runs(env: dict, last_page: int, tmp: Path) -> list[tuple]:
    measured = []
    rng = random.Random(7)  # noqa: S311  (URL order, not secrets)
    with gunicorn("charter_service:create_app()", env) as base:
        warm(base, "/engagements?page=2")  # the selection's page keys, in every worker
        for kind, label in (("page", "pages 2..last, one warm selection"),
                            ("q", "q= word prefixes (new selections)"),
                            ("filters", "odd×région, dép.×statut, principe×…"))[:VARIED_KINDS]:
            listing = tmp / f"directory-urls-{kind}.txt"
            listing.write_text("\n".join(_varied(kind, last_page, rng)) + "\n")
            result = wrk(base + "/", script=VARIED_LUA % {"file": listing}, timeout=30)
            drain(base)
            measured.append((kind, label, result))
    return measured


def _total(database_url: str) -> int:
    from sqlalchemy import func, select

    from charter_service.directory.models import DirectoryEntry
    from charter_service.extensions import db

    with directory_data.register_data._app(database_url).app_context():
        total = db.session.scalar(select(func.count()).select_from(DirectoryEntry))
        db.engine.dispose()
    return total


def _shared_cache(stack: ExitStack) -> dict:
    """The caches on a Redis of our own, as in production: the in-process cache keeps 512
    entries, fewer than the thousands of pages the varied runs ask for, and would evict the
    selection's page keys and counts while they are measured."""
    redis = shutil.which("redis-server")
    if redis is None or size(False, True):
        print("  (caches in each process: " + ("smoke run)" if redis else "no redis-server)"))
        return {}
    port = free_port()
    stack.enter_context(_process([redis, "--port", str(port), "--bind", "127.0.0.1", "--save",
                                  "", "--appendonly", "no"], port))
    print(f"  caches on Redis (127.0.0.1:{port}), as in production")
    return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": f"redis://127.0.0.1:{port}/0"}


def _measure(engine: str, database_url: str, tmp: Path) -> list[tuple[str, bool]]:
    print(f"\nCommitments directory, {engine}, {COMMITMENTS:,} public commitments, gunicorn 2 "
          f"workers, wrk -t2 -c16 -d{SECONDS}s")
    directory_data.load(database_url, SIGNATORIES, COMMITMENTS)
    last_page = max(1, math.ceil(_total(database_url) / PER_PAGE))
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "bench-only-secret",
           "RATELIMIT_STORAGE_URI": "memory://", "BENCH_TMP": str(tmp)}
    with ExitStack() as stack:
        env |= _shared_cache(stack)
        hellos = [hello(env)]
        repeated, varied = _repeated(env, last_page), _varied_runs(env, last_page, tmp)
        hellos.append(hello(env))
    reference = sum(hellos) / 2
    print(f"  {'hello-world (reference)':<38} {reference:8.0f} req/s  "
          f"(before {hellos[0]:.0f}, after {hellos[1]:.0f})")
    results = []
    for name, result, cold in repeated:
        ratio = result["rps"] / reference
        ok = (ratio >= HIT_GOAL and result["p95_ms"] <= HIT_P95_MS and not result["non_2xx"]
              and not result["timeouts"])
        results.append((f"{engine} /engagements {name}", ok))
        print("  " + judged(f"cached: {name}", f"{ratio:.0%} of hello, p95 "
                            f"{result['p95_ms']:.1f} ms (cold {cold:.0f} ms)",
                            f"≥ {HIT_GOAL:.0%}, p95 ≤ {HIT_P95_MS:.0f} ms", ok))
    for kind, label, result in varied:
        goal = MISS_P95_GOALS_MS[kind]
        ok = result["p95_ms"] <= goal and not result["non_2xx"] and not result["timeouts"]
        results.append((f"{engine} /engagements varied {kind}", ok))
        print("  " + judged(f"uncached: {label} (-c16)", f"p95 {result['p95_ms']:.1f} ms, "
                            f"{result['rps']:.0f} req/s", f"p95 ≤ {goal:.0f} ms", ok))
    return results


def run() -> list[tuple[str, bool]]:
    return measured_on_each_database("directory", _measure, POSTGRESQL)


if __name__ == "__main__":
    run()
