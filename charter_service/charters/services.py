from sqlalchemy import select

from ..extensions import db
from .models import CharterVersion, VersionStatus


def current_version() -> CharterVersion | None:
    """The version open for signing, if one is published."""
    return db.session.scalar(
        select(CharterVersion).where(CharterVersion.status == VersionStatus.PUBLISHED)
        .order_by(CharterVersion.published_at.desc()).limit(1)
    )
