"""The in-process cache of development and single-machine use: a Flask-Caching backend that
forgets the least recently used entries once it holds CACHE_MEMORY_BYTES.

Flask-Caching's SimpleCache keeps a number of entries (CACHE_THRESHOLD) and, once full, sorts
them all on every `set` and drops the oldest written: under a stream of new register URLs, each
storing its page, the small entries every page reads (a selection's count, its page keys, the
counts of the filter form) were dropped within a few hundred requests and computed again, at
100 ms each. Here a set or a get costs the same whatever the cache holds, an entry read often
stays, and the bound is in bytes, so that a few large pages weigh what they weigh.

Values are stored pickled, as in every Flask-Caching backend: a caller can never change what
another one reads.
"""

import pickle
import threading
import time
from collections import OrderedDict

from flask_caching.backends.base import BaseCache


class MemoryCache(BaseCache):
    def __init__(self, max_bytes: int = 64 * 1024 * 1024, default_timeout: int = 300) -> None:
        super().__init__(default_timeout=default_timeout)
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @classmethod
    def factory(cls, app, config, args, kwargs):
        return cls(max_bytes=config["CACHE_MEMORY_BYTES"],
                   default_timeout=config["CACHE_DEFAULT_TIMEOUT"])

    def _expiry(self, timeout: int | None) -> float:
        timeout = self._normalize_timeout(timeout)
        return time.monotonic() + timeout if timeout > 0 else float("inf")

    def get(self, key: str):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] <= time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
        return pickle.loads(entry[1])  # noqa: S301  (our own values, pickled by set below)

    def set(self, key: str, value, timeout: int | None = None) -> bool:
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        if len(data) > self.max_bytes:
            return False
        with self._lock:
            self._drop(key)
            self._entries[key] = (self._expiry(timeout), data)
            self._bytes += len(data)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))
        return True

    def add(self, key: str, value, timeout: int | None = None) -> bool:
        if self.has(key):
            return False
        return self.set(key, value, timeout)

    def has(self, key: str) -> bool:
        with self._lock:
            entry = self._entries.get(key)
            return entry is not None and entry[0] > time.monotonic()

    def delete(self, key: str) -> bool:
        with self._lock:
            return self._drop(key)

    def clear(self) -> bool:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
        return True

    def _drop(self, key: str) -> bool:
        entry = self._entries.pop(key, None)
        if entry is None:
            return False
        self._bytes -= len(entry[1])
        return True
