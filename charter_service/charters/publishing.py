"""Publishing and archiving charter versions, audited; the version a publication replaces is
announced through `version_published`, so that its signatories can be invited to sign anew.

Every function takes the acting admin (None for the command line) and only flushes.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import User
from ..audit import services as audit
from ..db_types import utcnow
from ..extensions import db
from ..signals import version_published
from .models import CharterVersion, VersionStatus
from .services import CharterError, publish_version


def publish_and_invite(number: int, actor: User | None,
                       charter_slug: str | None = None) -> tuple[CharterVersion, int]:
    """Publish draft `number`, archive the version it replaces and invite that version's approved
    signatories to sign the new one; returns the version and the number of e-mails queued."""
    published_before = list(db.session.scalars(
        select(CharterVersion).where(CharterVersion.status == VersionStatus.PUBLISHED)))
    version = publish_version(number, charter_slug)
    previous = next((v for v in published_before if v.charter_id == version.charter_id
                     and v.status == VersionStatus.ARCHIVED), None)
    audit.record("charter.publish", "charter_version", version.id, actor=actor,
                 before={"number": version.number, "status": VersionStatus.DRAFT.value},
                 after={"number": version.number, "status": version.status.value,
                        "sha256": version.sha256()})
    if previous is None:
        return version, 0
    _audit_archive(previous, actor, reason="superseded")
    replies = version_published.send(None, previous=previous, version=version)
    return version, sum(queued for _receiver, queued in replies)


def archive_version(version: CharterVersion, actor: User | None) -> None:
    """Close the published version to signatures without publishing another one."""
    if version.status != VersionStatus.PUBLISHED:
        raise CharterError(_("Seule la version publiée peut être archivée."))
    version.status = VersionStatus.ARCHIVED
    version.archived_at = utcnow()
    db.session.flush()
    _audit_archive(version, actor, reason="withdrawn_from_signature")


def _audit_archive(version: CharterVersion, actor: User | None, reason: str) -> None:
    audit.record("charter.archive", "charter_version", version.id, actor=actor,
                 before={"number": version.number, "status": VersionStatus.PUBLISHED.value},
                 after={"number": version.number, "status": version.status.value},
                 reason=reason)
