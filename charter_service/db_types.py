"""Column types shared by every domain: UTC timestamps, string-backed enums, amounts."""

import enum
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, Enum, Numeric, TypeDecorator

# The service's civil time: dates shown to people (approval days, extraction times) are French.
PARIS = ZoneInfo("Europe/Paris")
# Amounts (indicator values, resources): up to 12 integer digits and 4 decimals.
AMOUNT = Numeric(16, 4)


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso_utc(moment: datetime) -> str:
    """RFC 3339 in UTC to the second, as feeds and open data write it: 2026-11-30T22:05:00Z."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC, so SQLite and PostgreSQL behave alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def str_enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """A VARCHAR column holding the enum's values, guarded by a CHECK constraint."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
