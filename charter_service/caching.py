"""get/put of computed values through the shared cache (`extensions.cache`): Flask-Caching on
Redis outside development, the process's memory in it. A cache that cannot be reached (Redis
down) is a miss: the value is computed, never refused."""

import hashlib
import logging
import pickle
import time

from flask import current_app

from .extensions import cache as flask_cache

log = logging.getLogger(__name__)
# After a failure the app (in this process) leaves the shared cache alone for as long: a Redis
# that does not answer costs a page one timeout every few seconds, not one per value it reads.
RETRY_AFTER = 5.0
_DOWN_UNTIL = "charter.cache_down_until"


def _reachable() -> bool:
    return time.monotonic() >= current_app.extensions.get(_DOWN_UNTIL, 0.0)


def _failed() -> None:
    current_app.extensions[_DOWN_UNTIL] = time.monotonic() + RETRY_AFTER


class Store:
    """get/put under any key with a stable repr, in the namespace `prefix`."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def _name(self, key) -> str:
        return self.prefix + hashlib.sha256(repr(key).encode()).hexdigest()

    def get(self, key):
        if not _reachable():
            return None
        try:
            return flask_cache.get(self._name(key))
        except Exception as exc:  # a shared cache that fails is a miss, never an error page
            _failed()
            log.warning("%s cache unreadable: %s", self.prefix, exc)
            return None

    def put(self, key, value):
        if not _reachable():
            return value
        try:
            flask_cache.set(self._name(key), value)
        except (pickle.PicklingError, TypeError, AttributeError):
            raise
        except Exception as exc:
            _failed()
            log.warning("%s cache unwritable: %s", self.prefix, exc)
        return value

    def get_many(self, keys: list) -> list:
        if not _reachable():
            return [None] * len(keys)
        try:
            return flask_cache.get_many(*(self._name(key) for key in keys))
        except Exception as exc:
            _failed()
            log.warning("%s cache unreadable: %s", self.prefix, exc)
            return [None] * len(keys)

    def put_many(self, values: dict) -> None:
        if not values or not _reachable():
            return
        try:
            flask_cache.set_many({self._name(key): value for key, value in values.items()})
        except Exception as exc:
            _failed()
            log.warning("%s cache unwritable: %s", self.prefix, exc)

    def clear(self):
        flask_cache.clear()
