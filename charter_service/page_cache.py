"""Whole responses of the anonymous public pages, served from the shared cache before Flask
builds a request (no session object, no Flask-Login, Babel, limiter or view).

A page is served or stored only for a visitor with nothing personal: no remember-me cookie, a
session holding at most the language choice or a CSRF token, no `?lang=` (which sets a cookie).
It is stored only if its answer was a 200 without Set-Cookie or `private` cache control, for an
anonymous visitor, with no flashed message and no CSRF token rendered. Its key: scheme and host,
path, sorted query, the language the visitor would get, the day, and what the packages add
(`key_part`: the register's and the pages' generations, the charter's published versions).
"""

from collections.abc import Callable
from datetime import date, datetime

from flask import Flask, g, request, session
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from .caching import Store
from .db_types import PARIS

store = Store("page:")
STORABLE = "charter.page_cache.storable"
# What an anonymous visitor's session may hold and still get the shared page.
IMPERSONAL_SESSION = frozenset({"lang", "csrf_token", "_permanent", "_fresh"})
PERSONAL_CACHE_CONTROL = ("private", "no-store")


def cacheable(app: Flask, *endpoints: str) -> None:
    """Mark endpoints as public pages served whole to anonymous visitors."""
    _state(app)["endpoints"].update(endpoints)


def key_part(app: Flask, part: Callable[[], object]) -> None:
    """Something every cached page's key carries, read in an application context."""
    _state(app)["parts"].append(part)


def _state(app: Flask) -> dict:
    return app.extensions.setdefault("page_cache", {"endpoints": set(), "parts": []})


def install(app: Flask) -> None:
    """Wrap the WSGI app (call before any proxy fix, which must see the request first)."""
    _state(app)
    app.config.setdefault("PAGE_CACHE", True)
    app.after_request(_judge)
    app.wsgi_app = PageCache(app, app.wsgi_app)


def _judge(response):
    """Inside the request: was the page what any anonymous visitor would get?"""
    if STORABLE in request.environ:
        request.environ[STORABLE] = not (
            current_user.is_authenticated or "_flashes" in session or "csrf_token" in g
            or not IMPERSONAL_SESSION.issuperset(session.keys()))
    return response


class PageCache:
    def __init__(self, app: Flask, wsgi_app) -> None:
        self.app, self.wsgi_app = app, wsgi_app
        self.database = None

    def __call__(self, environ, start_response):
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or not self.app.config["PAGE_CACHE"]:
            return self.wsgi_app(environ, start_response)
        with self.app.app_context():
            key = self._key(environ)
            entry = store.get(key) if key is not None else None
        if entry is not None:
            status, headers, body = entry
            return Response(body, status, headers)(environ, start_response)
        if key is None or environ["REQUEST_METHOD"] == "HEAD":
            return self.wsgi_app(environ, start_response)
        return self._render_and_store(key, environ, start_response)

    def _render_and_store(self, key, environ, start_response):
        environ[STORABLE] = False
        answer: list = []

        def capture(status, headers, exc_info=None):
            answer[:] = [status, headers]
            return start_response(status, headers, exc_info)

        chunks = self.wsgi_app(environ, capture)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        if environ[STORABLE] and _impersonal(*answer):
            with self.app.app_context():
                store.put(key, (int(answer[0].split()[0]), answer[1], body))
        return [body]

    def _key(self, environ) -> tuple | None:
        request = self.app.request_class(environ)
        if not self._public_page(environ) or "lang" in request.args:
            return None
        if self.app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
            return None
        languages = self.app.config["LANGUAGES"]
        chosen = self._session_language(request)
        if chosen is False:
            return None
        locale = chosen if chosen in languages else (
            request.accept_languages.best_match(languages) or languages[0])
        if self.database is None:
            from .extensions import db

            self.database = db.engine.url.render_as_string()
        return (self.database, request.host_url, request.path,
                tuple(sorted(request.args.items(multi=True))), locale, _days(),
                *(part() for part in _state(self.app)["parts"]))

    def _public_page(self, environ) -> bool:
        try:
            endpoint, _ = self.app.url_map.bind_to_environ(environ).match()
        except HTTPException:
            return False
        return endpoint in _state(self.app)["endpoints"]

    def _session_language(self, request):
        """The session's language choice (None if none), or False for a personal session."""
        if self.app.config["SESSION_COOKIE_NAME"] not in request.cookies:
            return None
        opened = self.app.session_interface.open_session(self.app, request)
        if opened is None or not IMPERSONAL_SESSION.issuperset(opened.keys()):
            return False
        return opened.get("lang")


def _days() -> tuple[date, date]:
    """Today for the server and in Paris: pages mark what is late by the day."""
    return date.today(), datetime.now(PARIS).date()


def _impersonal(status: str, headers: list) -> bool:
    if not status.startswith("200 "):
        return False
    for name, value in headers:
        lowered = name.lower()
        if lowered == "set-cookie":
            return False
        if lowered == "cache-control" and any(v in value for v in PERSONAL_CACHE_CONTROL):
            return False
    return True
