"""Tamper-evident audit log: HMAC-chained entries, one per state change (`flask audit verify`)."""

from . import receivers  # noqa: F401  (records what other packages announce)
