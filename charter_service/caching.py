"""get/put of computed values through the shared cache (`extensions.cache`): Flask-Caching on
Redis outside development, the process's memory in it. A cache that cannot be reached (Redis
down) is a miss: the value is computed, never refused."""

import hashlib
import logging
import pickle

from .extensions import cache as flask_cache

log = logging.getLogger(__name__)


class Store:
    """get/put under any key with a stable repr, in the namespace `prefix`."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def _name(self, key) -> str:
        return self.prefix + hashlib.sha256(repr(key).encode()).hexdigest()

    def get(self, key):
        try:
            return flask_cache.get(self._name(key))
        except Exception as exc:  # a shared cache that fails is a miss, never an error page
            log.warning("%s cache unreadable: %s", self.prefix, exc)
            return None

    def put(self, key, value):
        try:
            flask_cache.set(self._name(key), value)
        except (pickle.PicklingError, TypeError, AttributeError):
            raise
        except Exception as exc:
            log.warning("%s cache unwritable: %s", self.prefix, exc)
        return value

    def get_many(self, keys: list) -> list:
        try:
            return flask_cache.get_many(*(self._name(key) for key in keys))
        except Exception as exc:
            log.warning("%s cache unreadable: %s", self.prefix, exc)
            return [None] * len(keys)

    def put_many(self, values: dict) -> None:
        try:
            flask_cache.set_many({self._name(key): value for key, value in values.items()})
        except Exception as exc:
            log.warning("%s cache unwritable: %s", self.prefix, exc)

    def clear(self):
        flask_cache.clear()
