"""`make test-cluster`: the topology of a deployment on several machines, started once for the
tests of this folder (tests/cluster/topology.py), which `make test` leaves out."""

import asyncio
import itertools
import shutil
from pathlib import Path

import pytest

from ..conftest import SMTPRecorder, require
from ..factories import PASSWORD
from ..pgcluster import PG_BIN

HERE = Path(__file__).parent


def pytest_configure(config):
    config.addinivalue_line("markers", "cluster: starts PostgreSQL, Redis, two gunicorn nodes "
                            "and an RQ worker (make test-cluster, `-m cluster`)")


def pytest_collection_modifyitems(config, items):
    """Collected only when asked for with `-m cluster`: each of `make test`'s runs leaves
    this folder out (deselected, not skipped)."""
    mine = [item for item in items if HERE in item.path.parents]
    for item in mine:
        item.add_marker(pytest.mark.cluster)
    if "cluster" not in (config.getoption("markexpr") or ""):
        config.hook.pytest_deselected(items=mine)
        items[:] = [item for item in items if item not in mine]


class SlowSMTP(SMTPRecorder):
    """The recorder, with a delay before each message is accepted (so that two senders
    overlap) and a switch that holds every recipient (so that a sender hangs mid-message)."""

    def __init__(self) -> None:
        super().__init__()
        self.delay = 0.0
        self.holding = False
        self.held = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.holding:
            self.held += 1
            while self.holding:
                await asyncio.sleep(0.05)
            return "451 4.3.0 Try again later"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)

    def forget(self) -> None:
        with self._lock:
            self.messages.clear()

    def received(self, address: str, subject: str = "") -> int:
        with self._lock:
            return sum(1 for m in self.messages
                       if address in str(m["To"]) and subject in str(m["Subject"]))


@pytest.fixture(scope="package")
def smtp():
    from aiosmtpd.controller import Controller

    from bench.harness import free_port

    recorder = SlowSMTP()
    recorder.host, recorder.port = "127.0.0.1", free_port()
    controller = Controller(recorder, hostname=recorder.host, port=recorder.port)
    controller.start()
    yield recorder
    controller.stop()


@pytest.fixture(scope="package")
def topology(smtp, tmp_path_factory):
    from .topology import Topology

    require(shutil.which("redis-server") is not None, "redis-server is not installed")
    require((PG_BIN / "initdb").exists(), f"PostgreSQL binaries not found in {PG_BIN}")
    started = Topology(tmp_path_factory.mktemp("cluster"), smtp)
    try:
        yield started.start()
    finally:
        started.stop()


@pytest.fixture(scope="package")
def cluster_app(topology):
    """An app of the test's own on the cluster's database: the set-up and what the tests read
    back; it never serves a request."""
    from charter_service import create_app

    env = topology.env
    settings = {key: env[key] for key in ("ENV_NAME", "SECRET_KEY", "AUDIT_KEY", "SIGNING_KEY",
                                          "SIGNING_CERT", "REDIS_URL", "JOBS_BACKEND")}
    application = create_app({**settings, "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"]})
    yield application
    from charter_service.extensions import db

    with application.app_context():
        db.engine.dispose()


_addresses = itertools.count(10)


@pytest.fixture
def browser():
    """A visitor from an address of its own, so that each test has its own per-address
    limits."""
    from .topology import Browser

    def new() -> Browser:
        return Browser(f"198.51.100.{next(_addresses)}")
    return new


ORGANISATIONS = ("Alpha Coopérative", "Bêta Solidaire", "Gamma Territoires", "Delta Commun")


@pytest.fixture(scope="package")
def world(cluster_app):
    """A moderator, and one organisation per name with its owner and a pending signature."""
    from charter_service.accounts.models import Role
    from charter_service.extensions import db

    from ..factories import Factories

    make, seeded = Factories(), {}
    with cluster_app.app_context():
        moderator = make.user("moderatrice@example.org", role=Role.MODERATOR)
        version = make.version()
        for n, name in enumerate(ORGANISATIONS):
            owner = make.user(f"presidence{n}@example.org", full_name=f"Présidence {n}")
            organisation = make.organisation(owner=owner, name=name)
            signature = make.signature(organisation, version)
            seeded[name] = {"owner": owner.email, "signature": signature.id,
                            "slug": organisation.slug, "organisation": organisation.id}
        seeded["moderator"] = moderator.email
        db.session.remove()
    return seeded


@pytest.fixture(scope="package")
def moderator(topology, world):
    """The moderator, logged in once through node A."""
    from .topology import Browser

    session = Browser("198.51.100.2")
    assert session.log_in(topology.nodes["a"], world["moderator"], PASSWORD).status_code == 302
    return session
