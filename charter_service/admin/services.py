"""What the admin's charter pages read: versions with their signature counts, a version by number.

The role rules live in accounts/roles.py, publishing and archiving in charters/publishing.py.
"""

from dataclasses import dataclass

from sqlalchemy import func, select

from ..charters.models import CharterVersion
from ..extensions import db
from ..signatures.models import Signature, SignatureStatus


@dataclass(frozen=True)
class VersionRow:
    version: CharterVersion
    signatures: int
    approved: int


def version_rows() -> list[VersionRow]:
    counts: dict[int, dict[SignatureStatus, int]] = {}
    for version_id, status, count in db.session.execute(
            select(Signature.charter_version_id, Signature.status, func.count())
            .group_by(Signature.charter_version_id, Signature.status)):
        counts.setdefault(version_id, {})[status] = count
    versions = db.session.scalars(
        select(CharterVersion).order_by(CharterVersion.charter_id, CharterVersion.number.desc()))
    return [VersionRow(v, sum(counts.get(v.id, {}).values()),
                       counts.get(v.id, {}).get(SignatureStatus.APPROVED, 0)) for v in versions]


def version_by_number(number: int) -> CharterVersion | None:
    """The version with this number; None when there is none, or several charters have one."""
    found = db.session.scalars(
        select(CharterVersion).where(CharterVersion.number == number).limit(2)).all()
    return found[0] if len(found) == 1 else None
