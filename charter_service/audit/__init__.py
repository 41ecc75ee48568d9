"""Tamper-evident audit log: HMAC-chained entries, one per state change (`flask audit verify`)."""
