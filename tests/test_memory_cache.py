"""The in-process cache: bounded in bytes, forgets the least recently used entries first."""

import time

from charter_service.memory_cache import MemoryCache


def test_an_entry_read_often_survives_a_stream_of_new_pages():
    cache = MemoryCache(max_bytes=200_000)
    cache.set("count", 12_345)
    for number in range(2_000):  # 2,000 pages of 10 kB: ten times what the cache holds
        cache.set(f"page-{number}", "x" * 10_000)
        assert cache.get("count") == 12_345
    assert cache.get("page-1999") is not None
    assert cache.get("page-0") is None  # the oldest page, never read again, went first


def test_the_bound_is_in_bytes():
    cache = MemoryCache(max_bytes=100_000)
    cache.set("small", 1)
    cache.set("large", "y" * 60_000)
    cache.get("small")
    cache.set("larger", "z" * 60_000)  # both cannot stay: the less recently used goes
    assert cache.get("larger") is not None and cache.get("large") is None
    assert cache.get("small") == 1
    assert not cache.set("too large", "w" * 200_000)
    assert cache.get("too large") is None


def test_a_value_read_is_a_copy_and_timeouts_hold():
    cache = MemoryCache()
    rows = [(1, "a")]
    cache.set("rows", rows)
    cache.get("rows").append((2, "b"))
    rows.append((3, "c"))
    assert cache.get("rows") == [(1, "a")]
    cache.set("brief", 1, timeout=1)
    assert cache.has("brief") and not cache.add("brief", 2)
    time.sleep(1.05)
    assert cache.get("brief") is None and cache.add("brief", 3) and cache.get("brief") == 3
    assert cache.delete("brief") and not cache.delete("brief")
    cache.clear()
    assert cache.get("rows") is None
