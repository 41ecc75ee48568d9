"""Test harness: one migrated database per run (SQLite or a throwaway PostgreSQL), an app per
test."""

import asyncio
import gc
import hashlib
import os
import shutil
import socket
import sqlite3
import subprocess
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from flask import g, request_started
from sqlalchemy import Engine, event, func, select

from charter_service import create_app, jobs
from charter_service.extensions import db, limiter

from .attestations import _stand_in_attestations  # noqa: F401 (autouse)
from .factories import Factories

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_addoption(parser):
    parser.addoption("--db", choices=("sqlite", "postgresql"),
                     default=os.environ.get("TEST_DATABASE", "sqlite"),
                     help="database engine the suite runs against")


def pytest_configure(config):
    config.addinivalue_line("markers", "real_pdf: issues real attestations, rendered and "
                            "signed (tests/attestations.py); every test that reads one")
    config.addinivalue_line("markers", "sqlite_run_only: uses none of the suite's databases "
                            "(e.g. the bench's own); collected in the SQLite run only")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """A test that does not use the database under test (no `database_url` among its fixtures,
    or marked sqlite_run_only) runs once per `make test`, not once per database: the PostgreSQL
    run leaves it out (deselected, not skipped). So do the browser tests (marked `browser`): they
    check what Chromium shows and what a keyboard or a phone can do with it, which the database
    does not change, and they cost a third of a run. What the server does behind those pages
    is tested on both databases without a browser, and across two gunicorn nodes on PostgreSQL
    by tests/cluster/."""
    _group_world_tests(items)
    if config.getoption("--db") == "sqlite":
        return
    once = [item for item in items if item.get_closest_marker("sqlite_run_only")
            or item.get_closest_marker("browser") or "database_url" not in item.fixturenames]
    if once:
        config.hook.pytest_deselected(items=once)
        items[:] = [item for item in items if item not in once]


def pytest_collection_finish(session):
    """What collection built (the modules, the tests, ~500,000 objects) lives until the end:
    frozen, the collector's full passes no longer scan it again, each about 200 ms on a small
    machine and 15 per worker per minute of tests (about 9 % of the run's CPU)."""
    gc.freeze()


def require(condition: bool, why: str) -> None:
    """Skip when a tool is missing, except in CI where a missing tool is a failure."""
    if not condition:
        if IN_CI:
            pytest.fail(f"missing in CI: {why}")
        pytest.skip(why)


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if IN_CI and reporter and reporter.stats.get("skipped") and exitstatus == 0:
        reporter.write_line("CI=true: skipped tests count as failures", red=True)
        session.exitstatus = 1


@event.listens_for(Engine, "connect")
def _no_fsync(dbapi_connection, _record) -> None:
    """The suite's SQLite files are thrown away after the run: no fsync at each commit (5 ms
    on this machine's disk), as the throwaway PostgreSQL runs with fsync=off. A process killed
    mid-write loses nothing either way: what it wrote is in the OS's page cache."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory):
    engine = request.config.getoption("--db")
    if engine == "postgresql":
        from .pgcluster import Cluster

        cluster = Cluster().start()
        request.addfinalizer(cluster.stop)
        url = cluster.create_database("charter_test")
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "charter.sqlite3")
    app = create_app(_base_config(url, tmp_path_factory.mktemp("outbox")) | {
        "SIGNING_DIR": str(_signing_dir(tmp_path_factory))})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    return url


_SIGNING_DIRS: dict = {}


@pytest.fixture(scope="session")
def signing_pair(tmp_path_factory) -> Path:
    """One signing pair given explicitly (SIGNING_KEY, SIGNING_CERT), as production does, for
    every test of the run that needs one: generating it is not what they test."""
    from charter_service.certificates import keys

    directory = tmp_path_factory.mktemp("signing-pair") / "pair"
    keys.generate(directory)
    return directory


@pytest.fixture
def signing_pair_config(signing_pair) -> dict:
    from charter_service.certificates import keys

    return {"SIGNING_KEY": str(signing_pair / keys.KEY_FILE),
            "SIGNING_CERT": str(signing_pair / keys.CERT_FILE)}


def _signing_dir(tmp_path_factory) -> Path:
    """One development signing pair per test run, outside the repository's instance/."""
    if "dir" not in _SIGNING_DIRS:
        _SIGNING_DIRS["dir"] = tmp_path_factory.getbasetemp() / "signing"
    return _SIGNING_DIRS["dir"]


def _base_config(url: str, outbox: Path) -> dict:
    return {
        "TESTING": True,
        "ENV_NAME": "testing",
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "OUTBOX_DIR": str(outbox),
        "PUBLIC_BASE_URL": "http://localhost",
        "PASSWORD_MIN_LENGTH": 12,
        "SERVER_NAME": None,
        # Jobs (and what runs after a commit) run at once, in the caller: a test sees their
        # effect when the request returns. Tests of the thread and rq backends say so.
        "JOBS_BACKEND": "sync",
        # Tests empty tables behind the application's back: read the register's generation
        # on every request rather than trusting the per-process copy.
        "REGISTER_GENERATION_TTL": 0,
        # Cheap password hashing keeps the suite fast; production uses the library defaults.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8192,
        "ARGON2_PARALLELISM": 1,
    }


@pytest.fixture
def production_settings(tmp_path_factory) -> dict:
    """What a deployment outside development must set (config.py refuses to start without it):
    keys shared by every machine, the signing pair, a shared rate-limit store, RQ."""
    from charter_service.certificates import keys

    directory = _signing_dir(tmp_path_factory)
    keys.generate(directory)
    return {"SECRET_KEY": "shared-secret-key-of-the-test-cluster",
            "AUDIT_KEY": "shared-audit-key-of-the-test-cluster",
            "SIGNING_KEY": str(directory / keys.KEY_FILE),
            "SIGNING_CERT": str(directory / keys.CERT_FILE),
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15", "JOBS_BACKEND": "rq"}


@pytest.fixture
def app_config():
    """Override in a test module to change the configuration of `app`."""
    return {}


@pytest.fixture
def app(request, database_url, app_config, tmp_path, tmp_path_factory):
    config = _base_config(database_url, tmp_path / "outbox")
    config["SIGNING_DIR"] = str(_signing_dir(tmp_path_factory))
    config.update(app_config)
    application = _apps.get(config)
    in_world = bool(_WORLD_FIXTURES & set(request.fixturenames))
    with application.app_context():
        if not in_world:
            _world.clear()
        yield application
        jobs.wait_for_threads()  # background jobs of the thread backend end with their test
        db.session.remove()
        if not in_world:
            _empty_all_tables()
    _apps.reset(application)


class _AppCache:
    """One app per configuration and worker: create_app costs ~40 ms (werkzeug compiling the
    URL map), a test's own app would repeat it 1,400 times. Between tests the app gets back
    its configuration and extension state as built; the tables are emptied as before. The
    per-test OUTBOX_DIR is not part of the key: it is set on each use."""

    PER_TEST = ("OUTBOX_DIR",)

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self.apps: dict = {}  # key -> (app, config, extensions, limiter state), oldest first

    def get(self, config: dict):
        key = repr(sorted((k, v) for k, v in config.items() if k not in self.PER_TEST))
        if key not in self.apps:
            if len(self.apps) >= self.size:
                evicted = self.apps.pop(next(iter(self.apps)))[0]
                with evicted.app_context():
                    db.engine.dispose()  # its pool's connections, now that no test uses it
            application = create_app(config)
            request_started.connect(_fresh_g, application)
            self.apps[key] = (application, dict(application.config),
                              dict(application.extensions), dict(vars(limiter)))
        self.apps[key] = self.apps.pop(key)  # most recently used last
        application, built_config, _, limiter_state = self.apps[key]
        vars(limiter).update(limiter_state)  # Flask-Limiter keeps the last init_app's state
        application.config.update({k: config[k] for k in self.PER_TEST if k in config})
        return application

    def reset(self, application) -> None:
        """Undo what a test changed on the app: configuration, extension caches, limits."""
        for built_app, config, extensions, limiter_state in self.apps.values():
            if built_app is application:
                vars(limiter).update(limiter_state)
                if limiter.enabled:
                    limiter.reset()
                application.config.clear()
                application.config.update(config)
                application.extensions.clear()
                application.extensions.update(extensions)


_apps = _AppCache()


def _empty_all_tables() -> None:
    """Delete every row, children first: in one round trip on PostgreSQL (~10 → 4 ms a test)."""
    statements = [f'DELETE FROM "{table.name}"'  # noqa: S608 (our own table names)
                  for table in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("; ".join(statements))
        else:
            for statement in statements:
                conn.exec_driver_sql(statement)


class _World:
    """The world of the module being run, while it is in this worker's database."""

    def __init__(self) -> None:
        self.module = self.value = self.counts = self.digest = self.snapshot = None

    def clear(self) -> None:
        if self.module is not None:
            _empty_all_tables()
            self.module = self.value = self.counts = self.digest = self.snapshot = None

    def get(self, module: str, build, app):
        if self.module != module:
            self.clear()
            self.module = "(being built)"  # emptied by the next test if the build fails
            self.value = build(app)
            db.session.commit()
            self.module = module
        return self.value


_world = _World()
# The fixtures that keep a module's world in the database from one test to the next: the
# tests asking for one run in the same worker, one after the other (pytest_collection_modifyitems).
_WORLD_FIXTURES = {"read_only_world", "reusable_world"}


def _group_world_tests(items) -> None:
    """A module's tests that share a world go to one worker (`--dist loadgroup`), so that it is
    built once rather than each time another module's test has emptied the tables between two
    of them."""
    for item in items:
        if _WORLD_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


def _row_counts() -> list[int]:
    counts = [select(func.count()).select_from(table).scalar_subquery()
              for table in db.metadata.sorted_tables]
    return list(db.session.execute(select(*counts)).one())


def _digest() -> str:
    """A hash of every row of every table: what a test changed, even in place."""
    digest = hashlib.blake2b(digest_size=16)
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        for row in db.session.execute(select(table).order_by(*order)):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


@pytest.fixture
def read_only_world(request, app):
    """world(build) → build(app)'s result, built once for the tests of this module that ask
    for it, in this worker. The rule: those tests only read. The world stays in the database
    from one to the next (a test of another kind, or of another module, empties it first),
    and a test that adds or removes a row in it fails."""
    def world(build):
        if _world.module != request.module.__name__:
            _world.get(request.module.__name__, build, app)
            _world.counts = _row_counts()
        return _world.value

    yield world
    if _world.counts is not None:
        db.session.rollback()
        if _row_counts() != _world.counts:
            _world.clear()
            pytest.fail("a test of a read-only world wrote to it")


@pytest.fixture
def reusable_world(request, app):
    """world(build) → build(app)'s result, as built: kept in this worker's database for the
    tests of this module that ask for it, and built again (tables emptied first) when anything
    in it changed since, which is checked on each call. For tests that mostly read and
    sometimes write (each POST of the permission matrix): call it again after a write."""
    def world(build):
        if _world.module == request.module.__name__:
            db.session.rollback()
            if _digest() != _world.digest and not _restore(_world.snapshot, _world.digest):
                _world.clear()
        if _world.module != request.module.__name__:
            _world.get(request.module.__name__, build, app)
            _world.snapshot = _snapshot()
            _world.digest = _digest()
        return _world.value

    yield world
    db.session.rollback()


def _snapshot() -> dict:
    """Every row of every table, as the world's build left them."""
    return {table.name: [dict(row._mapping) for row in db.session.execute(select(table))]
            for table in db.metadata.sorted_tables}


def _restore(snapshot: dict | None, digest: str | None) -> bool:
    """Put the world's rows back as built (tables emptied, rows inserted again with their
    ids), which costs a fraction of building it again (the permission matrix's world after
    each POST that changed it). True if the rows are then exactly as built (the digest says
    so); otherwise the caller builds the world again."""
    if snapshot is None:
        return False
    db.session.rollback()
    _empty_all_tables()
    with db.engine.begin() as conn:
        for table in db.metadata.sorted_tables:
            if snapshot[table.name]:
                conn.execute(table.insert(), snapshot[table.name])
    db.session.expire_all()
    return _digest() == digest


def _fresh_g(sender, **extra) -> None:
    """Each request starts with an empty `g`, as in production where it has its own app
    context; the test keeps one context open, which would otherwise carry the logged-in user
    and the CSRF token from one request to the next."""
    vars(g).clear()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make(app):
    """Factories: make.user(), make.organisation(), make.version(), make.signature()."""
    return Factories()


@pytest.fixture
def login(client, make):
    """Log `user` in on the client (or `target`) with a fresh server-side session."""
    def _login(user, target=None):
        session_id = make.login_session(user)
        with (target or client).session_transaction() as session:
            session["_user_id"] = session_id
            session["_fresh"] = True
        return target or client

    return _login


class SMTPRecorder:
    """A real SMTP server (aiosmtpd) on a free loopback port that keeps what it receives."""

    def __init__(self) -> None:
        self.messages = []
        self.peers = []  # the client's (host, port) of each message: one per SMTP connection
        self.delay = 0.0  # seconds the server takes to answer RCPT (a slow or hanging server)
        self.gate: threading.Event | None = None  # when set up, RCPT waits until it opens
        self.fail_with = None
        self.refuse_recipients: set[str] = set()
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        while self.gate is not None and not self.gate.is_set():
            await asyncio.sleep(0.01)
        if self.delay:
            await asyncio.sleep(self.delay)
        if address in self.refuse_recipients:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.fail_with:
            return self.fail_with
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            self.peers.append(session.peer)
        return "250 Message accepted"

    def wait_for(self, count: int, timeout: float = 5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.02)
        raise AssertionError(f"expected {count} e-mails, received {len(self.messages)}")

    def to(self, address: str):
        return [m for m in self.messages if address in str(m["To"])]

    def deliver_set_up(self) -> None:
        """Send what the set-up queued, if its delivery jobs left anything (its decisions told
        the organisations, as they were told at the time), and forget it: what arrives next is
        the test's own."""
        from charter_service.mailing.services import deliver_due

        deliver_due()
        with self._lock:
            self.messages.clear()
            self.peers.clear()


class _CurrentRecorder:
    """The handler of the worker's one SMTP server: each SMTP connection goes to the recorder
    of the test that was running when it began, so a late connection of an ended test (a
    server told to hang) never lands among the next test's messages."""

    def __init__(self) -> None:
        self.recorder: SMTPRecorder | None = None

    def _for(self, session) -> SMTPRecorder:
        if not hasattr(session, "test_recorder"):
            session.test_recorder = self.recorder
        return session.test_recorder

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return await self._for(session).handle_RCPT(server, session, envelope, address,
                                                    rcpt_options)

    async def handle_DATA(self, server, session, envelope):
        return await self._for(session).handle_DATA(server, session, envelope)


@pytest.fixture(scope="session")
def _smtp_controller():
    """One aiosmtpd server per worker, on one port: the app's configuration (MAIL_PORT) stays
    the same from test to test, so the tests that send e-mail share a cached app (_AppCache)
    rather than each building its own (~50 ms)."""
    from aiosmtpd.controller import Controller

    current = _CurrentRecorder()
    controller = Controller(current, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, current
    controller.stop()


@pytest.fixture
def smtp_server(_smtp_controller):
    """A fresh recorder for this test on the worker's SMTP server (a real aiosmtpd)."""
    controller, current = _smtp_controller
    recorder = SMTPRecorder()
    recorder.host, recorder.port = controller.hostname, controller.port
    current.recorder = recorder
    yield recorder
    current.recorder = None


@pytest.fixture
def smtp_app_config(smtp_server):
    return {"MAIL_SERVER": smtp_server.host, "MAIL_PORT": smtp_server.port, "MAIL_TIMEOUT": 3}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, launched once per worker (~1 s) for every test
    that drives it (tests/browser/, tests/accounts/test_accessibility.py); each test opens its
    own context, so no cookie or storage crosses from one test to the next."""
    require(CHROMIUM.exists(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def redis_url():
    """A real redis-server on a free loopback port, for the whole run (RQ, rate limits)."""
    binary = shutil.which("redis-server")
    require(binary is not None, "redis-server is not installed")
    port = _free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1",
                                "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    from redis import Redis

    deadline = time.monotonic() + 10
    while True:
        try:
            Redis.from_url(url).ping()
            break
        except Exception:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(10)
