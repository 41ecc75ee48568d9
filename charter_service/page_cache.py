"""Whole responses of the anonymous public pages, served from the shared cache before Flask
builds a request (no session object, no Flask-Login, Babel, limiter or view).

A page is served or stored only for a visitor with nothing personal: no remember-me cookie, a
session holding at most the language choice or a CSRF token, no `?lang=` (which sets a cookie).
It is stored only if its answer was a 200 without Set-Cookie or `private` cache control, for an
anonymous visitor, with no flashed message and no CSRF token rendered. Its key: scheme and host,
path, sorted query, the language the visitor would get, the day, and what the packages add
(`key_part`: the register's and the pages' generations, the charter's published versions).
"""

import functools
from collections.abc import Callable
from datetime import date, datetime
from urllib.parse import parse_qsl

from flask import Flask, g, request, session
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_accept_header

from .caching import Store
from .db_types import PARIS

store = Store("page:")
STORABLE = "charter.page_cache.storable"
# What an anonymous visitor's session may hold and still get the shared page.
IMPERSONAL_SESSION = frozenset({"lang", "csrf_token", "_permanent", "_fresh"})
PERSONAL_CACHE_CONTROL = ("private", "no-store")


def cacheable(app: Flask, *endpoints: str, part: Callable[[], object] | None = None) -> None:
    """Mark endpoints as public pages served whole to anonymous visitors; `part`, something
    more their key carries (e.g. a time window, for a page showing figures computed every few
    minutes)."""
    _state(app)["endpoints"].update(dict.fromkeys(endpoints, part))


def key_part(app: Flask, part: Callable[[], object]) -> None:
    """Something every cached page's key carries, read in an application context."""
    _state(app)["parts"].append(part)


def _state(app: Flask) -> dict:
    return app.extensions.setdefault("page_cache", {"endpoints": {}, "parts": []})


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
        # Bounded: paths and headers come from anyone.
        self._public_page = functools.lru_cache(maxsize=4096)(self._match)
        self._best_language = functools.lru_cache(maxsize=256)(self._best_match)

    def __call__(self, environ, start_response):
        candidate = self._candidate(environ)
        if candidate is None:
            return self.wsgi_app(environ, start_response)
        with self.app.app_context():
            key = self._key(environ, *candidate)
            entry = store.get(key) if key is not None else None
        if entry is not None:
            status, headers, body = entry
            start_response(status, headers)
            return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        if key is None or environ["REQUEST_METHOD"] == "HEAD":
            return self.wsgi_app(environ, start_response)
        return self._render_and_store(key, environ, start_response)

    def _candidate(self, environ) -> tuple | None:
        """(endpoint, sorted query) of a GET or HEAD of a cached page without ?lang=."""
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or not self.app.config["PAGE_CACHE"]:
            return None
        endpoint = self._public_page(environ.get("HTTP_HOST"), environ.get("PATH_INFO", ""))
        if endpoint is None:
            return None
        query = tuple(sorted(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)))
        return None if any(name == "lang" for name, _ in query) else (endpoint, query)

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
                store.put(key, (answer[0], answer[1], body))
        return [body]

    def _key(self, environ, endpoint: str, query: tuple) -> tuple | None:
        chosen = self._session_language(environ) if "HTTP_COOKIE" in environ else None
        if chosen is False:
            return None
        if chosen not in self.app.config["LANGUAGES"]:
            chosen = self._best_language(environ.get("HTTP_ACCEPT_LANGUAGE"))
        if self.database is None:
            from .extensions import db

            self.database = db.engine.url.render_as_string()
        return (self.database, environ["wsgi.url_scheme"], environ.get("HTTP_HOST"),
                environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""), query, chosen,
                _days(), *(part() for part in self._parts(endpoint)))

    def _parts(self, endpoint: str) -> list:
        own = _state(self.app)["endpoints"][endpoint]
        return _state(self.app)["parts"] + ([own] if own else [])

    def _match(self, host: str | None, path: str) -> str | None:
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "wsgi.url_scheme": "http",
                   "SERVER_NAME": "localhost", "SERVER_PORT": "80", "SCRIPT_NAME": ""}
        if host:
            environ["HTTP_HOST"] = host
        try:
            endpoint, _ = self.app.url_map.bind_to_environ(environ).match()
        except HTTPException:
            return None
        return endpoint if endpoint in _state(self.app)["endpoints"] else None

    def _best_match(self, header: str | None) -> str:
        languages = self.app.config["LANGUAGES"]
        return parse_accept_header(header, LanguageAccept).best_match(languages) or languages[0]

    def _session_language(self, environ):
        """The session's language choice (None if none), or False for a personal visitor."""
        request = self.app.request_class(environ)
        if self.app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
            return False
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
