"""What anyone can read without an account: the home page, the charter, a signatory's page and
its logo."""

import time

from flask import Flask

from .. import page_cache
from ..moderation.stats import CACHE_FOR
from . import charter_views, legal_views, signatory_views, views

# The anonymous public pages served whole from the shared cache (charter_service/page_cache.py),
# the register's own aside (register/__init__.py). A new public page is one more name here.
CACHED_PAGES = ("public.home", "charters.current", "charters.version", "signatories.page",
                "certificates.status", "legal.notice", "legal.privacy", "legal.accessibility")


def _stats_window() -> int:
    """/transparence shows figures each process recomputes every CACHE_FOR: a copy lasts as long."""
    return int(time.time() // CACHE_FOR.total_seconds())


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.register_blueprint(charter_views.bp)
    app.register_blueprint(signatory_views.bp)
    app.register_blueprint(legal_views.bp)
    page_cache.cacheable(app, *CACHED_PAGES)
    page_cache.cacheable(app, "transparency.transparency", part=_stats_window)
