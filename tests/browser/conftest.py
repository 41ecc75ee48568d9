"""Debian's Chromium, driven by Playwright, against the test app served on a real loopback port.

The served app has real CSRF and a real SMTP server, and builds its external links (e-mails)
with the live server's address.
"""

import os
import re
import socket
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from ..conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 (browser is in tests/conftest.py)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
# WCAG 2.1 A/AA plus axe's best practices; only serious and critical findings fail a test.
AXE_OPTIONS = {"runOnly": {"type": "tag",
                           "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
               "resultTypes": ["violations"]}
BLOCKING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="session")
def live_port() -> int:
    """One port per worker for every test's live server (werkzeug binds it with SO_REUSEADDR):
    the app's configuration (SERVER_NAME, PUBLIC_BASE_URL) stays the same from one browser
    test to the next, so they share a cached app rather than each building its own."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def app_config(smtp_app_config, live_port):
    return {**smtp_app_config, "WTF_CSRF_ENABLED": True,
            "SERVER_NAME": f"127.0.0.1:{live_port}",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{live_port}"}


@pytest.fixture
def live_server(app, live_port):
    """The test `app` served by werkzeug in a thread; yields its base URL."""
    server = make_server("127.0.0.1", live_port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{live_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def page(browser, live_server):
    """A fresh context per test (no shared cookies), in French, relative URLs on the live server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR",
                                  base_url=live_server)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def _describe(violation: dict) -> str:
    lines = [f"{violation['id']} ({violation['impact']}): {violation['help']}"
             f" — {violation['helpUrl']}"]
    for node in violation["nodes"]:
        target = " ".join(str(part) for part in node["target"])
        summary = node.get("failureSummary", "").replace("\n", " ")
        lines.append(f"    at {target}: {node['html'][:200]}\n      {summary}")
    return "\n".join(lines)


@pytest.fixture
def axe():
    """axe(page): fail on any serious or critical WCAG 2.1 AA violation, listing each one."""
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()

    def check(tab) -> list[dict]:
        violations = checker.run(tab, options=AXE_OPTIONS).response["violations"]
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe on {tab.url}:\n" + "\n".join(map(_describe, blocking))
        return violations

    return check


@pytest.fixture
def screenshot(request):
    """screenshot(page, name=None): a full-page PNG under screenshots/ for people to look at,
    when SCREENSHOTS=1 (`make screenshots`); the suite's runs leave them out (~8 s of CPU)."""

    def save(tab, name: str | None = None) -> Path | None:
        if os.environ.get("SCREENSHOTS") != "1":
            return None
        SCREENSHOTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", name or request.node.name).strip("-")
        path = SCREENSHOTS / f"{stem}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def sign_in(app, make, live_server):
    """sign_in(context_or_page, user): `user` logged in on that browser context with a fresh
    server-side session, as the log-in form would leave it, without loading the form: for tests
    where logging in is not what they check (the journeys through the form keep it)."""
    def _sign_in(target, user):
        context = getattr(target, "context", target)
        session_id = make.login_session(user)
        cookie = app.session_interface.get_signing_serializer(app).dumps(
            {"_user_id": session_id, "_fresh": True})
        context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie,
                              "url": live_server, "httpOnly": True, "sameSite": "Lax"}])
        return target

    return _sign_in
