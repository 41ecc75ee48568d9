"""Cache of the register's computed pages and counts, keyed by its generation.

Every change to the register bumps `register_state.generation` (see sync.py), and every domain
signal its `pages_generation` (in the key of the whole public pages, charter_service/page_cache.py);
a worker trusts its copy of them for REGISTER_GENERATION_TTL seconds and forgets it after its own
commits. The entries live in Flask-Caching (charter_service/caching.py): on Redis outside
development, so that every worker and machine shares one copy, in the process's memory in it.
"""

import time

from flask import current_app, g, has_request_context
from sqlalchemy import func, select

from ...caching import Store
from ...charters.models import CharterVersion, VersionStatus
from ...commitments.progress import local_today
from ...extensions import db
from .models import RegisterState

store = Store("register:")


_shared = {"value": None, "read_at": 0.0}


def forget_generation() -> None:
    """Called after a commit that changed the register: read the generation again."""
    _shared["value"] = None


def generation() -> int:
    """The register's change counter: read once per request, and trusted for
    REGISTER_GENERATION_TTL seconds by this process (its own commits refresh it at once)."""
    return public_state()[0]


def public_state() -> tuple:
    """What every public page's cache key carries, in one statement: the register's generation,
    the pages' generation (every domain signal moves it, see sync.follow) and the charter's
    published versions. Read once per request, trusted like the generation."""
    if has_request_context() and "public_state" in g:
        return g.public_state
    now = time.monotonic()
    ttl = current_app.config["REGISTER_GENERATION_TTL"]
    value = _shared["value"]
    if value is None or now - _shared["read_at"] >= ttl:
        value = tuple(db.session.execute(_STATE).one())
        _shared.update(value=value, read_at=now)
    if has_request_context():
        g.public_state = value
    return value


def _state_statement():
    def register(column):
        return func.coalesce(select(column).where(RegisterState.id == 1).scalar_subquery(), 0)

    def shown(aggregate):
        return select(aggregate).where(
            CharterVersion.status != VersionStatus.DRAFT).scalar_subquery()

    return select(
        register(RegisterState.generation), register(RegisterState.pages_generation),
        shown(func.count(CharterVersion.id)), shown(func.max(CharterVersion.published_at)),
        shown(func.max(CharterVersion.archived_at)))


_STATE = _state_statement()


def page_key(*parts) -> tuple:
    """A rendered register page: it shows the reporting status badges, which move with the
    day as well as with the register."""
    return ("page", generation(), local_today(), *parts)


def cached(kind: str, *key, compute):
    """Keyed by the Paris day too: the reporting status (filter and counts) is relative to it."""
    full_key = (db.engine.url.render_as_string(), generation(), local_today(), kind, *key)
    value = store.get(full_key)
    if value is None:
        value = store.put(full_key, compute())
    return value


def cached_item(kind: str, *key, index: int, compute, chunk: int = 200):
    """Item `index` of a long list computed in one go (`compute`), kept in chunks of `chunk`
    items: a page of the register reads its own start among 2,000, not all of them."""
    prefix = (db.engine.url.render_as_string(), generation(), local_today(), kind, *key)
    part = store.get((*prefix, index // chunk))
    if part is None:
        values = compute()
        for start in range(0, len(values), chunk):
            store.put((*prefix, start // chunk), values[start:start + chunk])
        part = values[index - index % chunk:index - index % chunk + chunk]
    return part[index % chunk]


def cached_public(kind: str, *key, compute):
    """`cached`, for figures that any public change may move (every domain signal, a charter
    version published), not only the register's rows."""
    return cached(kind, public_state()[1:], *key, compute=compute)
