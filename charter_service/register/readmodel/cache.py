"""Cache of the register's computed pages and counts, keyed by its generation.

Every change to the register bumps `register_state.generation` (see sync.py); a worker trusts
its copy of it for REGISTER_GENERATION_TTL seconds and forgets it after its own commits. The
entries live in Flask-Caching (`extensions.cache`): on Redis outside development, so that every
worker and machine shares one copy, in the process's memory in development. A cache that cannot
be reached (Redis down) is a miss: the page is computed, never refused.
"""

import hashlib
import logging
import pickle
import time

from flask import current_app, g, has_request_context
from sqlalchemy import select

from ...extensions import cache as flask_cache
from ...extensions import db
from .models import RegisterState

log = logging.getLogger(__name__)


class _Store:
    """get/put of computed values under any hashable key, through the configured cache."""

    @staticmethod
    def _name(key) -> str:
        return "register:" + hashlib.sha256(repr(key).encode()).hexdigest()

    def get(self, key):
        try:
            return flask_cache.get(self._name(key))
        except Exception as exc:  # a shared cache that fails is a miss, never an error page
            log.warning("register cache unreadable: %s", exc)
            return None

    def put(self, key, value):
        try:
            flask_cache.set(self._name(key), value)
        except (pickle.PicklingError, TypeError, AttributeError):
            raise
        except Exception as exc:
            log.warning("register cache unwritable: %s", exc)
        return value

    def clear(self):
        flask_cache.clear()


store = _Store()


_shared = {"value": None, "read_at": 0.0}


def forget_generation() -> None:
    """Called after a commit that changed the register: read the generation again."""
    _shared["value"] = None


def generation() -> int:
    """The register's change counter: read once per request, and trusted for
    REGISTER_GENERATION_TTL seconds by this process (its own commits refresh it at once)."""
    if has_request_context() and "register_generation" in g:
        return g.register_generation
    now = time.monotonic()
    ttl = current_app.config["REGISTER_GENERATION_TTL"]
    value = _shared["value"]
    if value is None or now - _shared["read_at"] >= ttl:
        value = db.session.scalar(
            select(RegisterState.generation).where(RegisterState.id == 1)) or 0
        _shared.update(value=value, read_at=now)
    if has_request_context():
        g.register_generation = value
    return value


def cached(kind: str, *key, compute):
    full_key = (db.engine.url.render_as_string(), generation(), kind, *key)
    value = store.get(full_key)
    if value is None:
        value = store.put(full_key, compute())
    return value
