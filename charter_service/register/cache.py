"""Per-process cache of the register's computed pages and counts, keyed by its generation.

Every change to the register bumps `register_state.generation` (see sync.py); a worker trusts
its copy of it for REGISTER_GENERATION_TTL seconds and forgets it after its own commits.
"""

import threading
import time
from collections import OrderedDict

from flask import current_app, g, has_request_context
from sqlalchemy import select

from ..extensions import db
from .models import RegisterState


class _Cache:
    def __init__(self, size: int = 512):
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key, value):
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value

    def clear(self):
        with self.lock:
            self.items.clear()


store = _Cache()


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
