"""Redis unreachable, refused at once or silent (its machine gone, packets lost): a rate-limited
form answers the French 503 within a second or so, a register PDF export that cannot be queued
says so at once (and can be asked again), and the public pages are served (their shared cache
missing)."""

import socket
import threading
import time

import pytest
from flask_limiter import Limiter
from sqlalchemy import select

from charter_service.extensions import db
from charter_service.register.readmodel.models import ExportJob, ExportStatus

from .register.register_world import World

UNAVAILABLE = "momentanément indisponible"


class Silent:
    """A TCP port where Redis would be that never answers. `accepting`: the connection is
    made, and nothing ever comes back. Otherwise its queue is full, so a connection never
    completes: what a host whose packets are dropped looks like."""

    def __init__(self, accepting: bool) -> None:
        self.server = socket.create_server(("127.0.0.1", 0), backlog=16 if accepting else 0)
        self.fillers = []
        if not accepting:  # at backlog 0 the kernel queues one connection; later SYNs wait
            for _ in range(2):
                filler = socket.socket()
                filler.setblocking(False)
                filler.connect_ex(self.server.getsockname())
                self.fillers.append(filler)
            time.sleep(0.1)
        self.url = f"redis://127.0.0.1:{self.server.getsockname()[1]}/0"

    def close(self) -> None:
        for filler in self.fillers:
            filler.close()
        self.server.close()


@pytest.fixture(params=["refused", "accepting", "blackholed"])
def redis_down(request):
    """The URL of a Redis that is down, one way or another."""
    if request.param == "refused":
        yield "redis://127.0.0.1:9/0"  # port 9 (discard): refused at once
        return
    port = Silent(accepting=request.param == "accepting")
    yield port.url
    port.close()  # a request still waiting on it (no timeout) then ends with an error


@pytest.fixture
def app_config(redis_down):
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": redis_down,
            "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_down,
            "EXPORT_PDF_INLINE_ROWS": 2}


@pytest.fixture(autouse=True)
def limits_not_reset(monkeypatch):
    """Between tests conftest clears the limits in their store, which is down here."""
    monkeypatch.setattr(Limiter, "reset", lambda self: None)


def _within(seconds: float, call, what: str = ""):
    """call()'s answer, which must come within `seconds` (in a thread: a request left waiting
    for the system's TCP timeout fails the test rather than hanging it)."""
    answers: list = []
    thread = threading.Thread(target=lambda: answers.append(call()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert answers, f"no answer within {seconds} s {what}"
    return answers[0]


def test_a_rate_limited_form_answers_the_french_503_quickly(client):
    refused = _within(2, lambda: client.post("/compte/connexion", data={
        "email": "personne@example.org", "password": "x" * 12}))
    assert refused.status_code == 503 and refused.headers["Retry-After"]
    assert UNAVAILABLE in refused.text and "réessayez dans quelques minutes" in refused.text


@pytest.fixture
def signatories(make):
    world = World(make)
    for name in ("Alpha Coopérative", "Bêta Solidaire", "Gamma Territoires"):
        world.signatory(name)


def _job(token: str) -> ExportJob:
    db.session.expire_all()
    return db.session.scalar(select(ExportJob).where(ExportJob.token == token))


def test_an_export_that_cannot_be_queued_says_so_and_can_be_asked_again(app, client,
                                                                         signatories, redis_down):
    app.config.update(JOBS_BACKEND="rq", REDIS_URL=redis_down)
    asked = _within(2, lambda: client.post("/registre.pdf"))
    assert asked.status_code == 303
    token = asked.location.rsplit("/", 1)[1]
    assert _job(token).status == ExportStatus.FAILED
    page = client.get(asked.location).text
    assert "La préparation du fichier a échoué" in page and "Relancer l’export" in page
    assert "http-equiv" not in page  # no page refreshing itself while nothing happens
    app.config.update(JOBS_BACKEND="sync")  # the queue is back
    again = client.post("/registre.pdf")
    assert again.location.rsplit("/", 1)[1] != token
    assert _job(again.location.rsplit("/", 1)[1]).status == ExportStatus.DONE


def test_public_pages_are_served(client, signatories):
    # 5 s: one timeout, then the page's own work (the PDF is rendered here), on a busy machine.
    for path in ("/registre", "/registre.csv", "/registre.json", "/registre.pdf",
                 "/registre/donnees", "/verifier"):
        assert _within(5, lambda p=path: client.get(p), path).status_code == 200, path
