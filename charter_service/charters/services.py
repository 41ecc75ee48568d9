"""Charter versions: import a draft from a YAML-shaped mapping, publish it, find what is public."""

import re
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import text
from ..db_types import utcnow
from ..domain import DomainError
from ..extensions import db
from .models import Charter, CharterVersion, Principle, Section, VersionStatus

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
MAX_LENGTHS = {"slug": 80, "title": 200, "code": 10}
MULTILINE_KEYS = {"preamble": text.TextKind.MULTILINE, "text": text.TextKind.MULTILINE}
DEMO_CHARTER_FILE = Path(__file__).resolve().parent.parent / "data" / "demo_charter.yaml"


class CharterError(DomainError, ValueError):
    """A charter file or command that cannot be applied; the message says why, in French."""


def current_version() -> CharterVersion | None:
    """The version open for signing, if one is published."""
    return db.session.scalar(
        select(CharterVersion).where(CharterVersion.status == VersionStatus.PUBLISHED)
        .order_by(CharterVersion.published_at.desc()).limit(1)
    )


def public_version(number: int) -> CharterVersion | None:
    """A published or archived version by number; drafts are never public."""
    return db.session.scalar(
        select(CharterVersion)
        .where(CharterVersion.number == number, CharterVersion.status != VersionStatus.DRAFT)
        .order_by(CharterVersion.published_at.desc()).limit(1)
    )


def public_versions(charter: Charter) -> list[CharterVersion]:
    return list(db.session.scalars(
        select(CharterVersion)
        .where(CharterVersion.charter_id == charter.id,
               CharterVersion.status != VersionStatus.DRAFT)
        .order_by(CharterVersion.number.desc())
    ))


def import_version(data: object) -> CharterVersion:
    """Create the next draft version of the charter the data names (created if new)."""
    document = _mapping(data, "document")
    charter_data = _mapping(document.get("charter"), "charter")
    version_data = _mapping(document.get("version"), "version")
    principles = _principles(document.get("principles"))
    title = _text(version_data, "title", "version")
    preamble = _text(version_data, "preamble", "version", required=False)
    demonstration = version_data.get("demonstration", False)
    if not isinstance(demonstration, bool):
        raise CharterError(_("« version.demonstration » doit valoir true ou false."))
    charter = _charter(charter_data)  # last: the session changes only once all is valid
    version = CharterVersion(
        charter=charter, number=_next_number(charter), status=VersionStatus.DRAFT, title=title,
        preamble=preamble, is_demonstration=demonstration, principles=principles,
    )
    db.session.add(version)
    db.session.flush()
    return version


def _next_number(charter: Charter) -> int:
    if charter.id is None:
        return 1
    highest = db.session.scalar(
        select(func.max(CharterVersion.number)).where(CharterVersion.charter_id == charter.id)
    )
    return (highest or 0) + 1


def publish_version(number: int, charter_slug: str | None = None) -> CharterVersion:
    """Publish a draft and archive the version it replaces, in the caller's transaction."""
    version = _version_to_publish(number, charter_slug)
    now = utcnow()
    previous = db.session.scalar(
        select(CharterVersion).where(CharterVersion.charter_id == version.charter_id,
                                     CharterVersion.status == VersionStatus.PUBLISHED)
    )
    if previous is not None:
        previous.status = VersionStatus.ARCHIVED
        previous.archived_at = now
        # The archive must reach the database before the partial unique index sees the new one.
        db.session.flush()
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    db.session.flush()
    return version


def _version_to_publish(number: int, charter_slug: str | None) -> CharterVersion:
    query = select(CharterVersion).where(CharterVersion.number == number)
    if charter_slug:
        query = query.join(Charter).where(Charter.slug == charter_slug)
    candidates = list(db.session.scalars(query))
    if not candidates:
        raise CharterError(_("Aucune version numéro %(number)s.", number=number))
    if len(candidates) > 1:
        raise CharterError(_("Plusieurs chartes ont une version %(number)s : précisez la charte.",
                             number=number))
    version = candidates[0]
    if version.status == VersionStatus.PUBLISHED:
        raise CharterError(_("La version %(number)s est déjà publiée.", number=number))
    if version.status == VersionStatus.ARCHIVED:
        raise CharterError(_("La version %(number)s est archivée : elle ne peut pas être "
                             "publiée à nouveau. Importez-la comme nouvelle version.",
                             number=number))
    return version


def _charter(data: dict) -> Charter:
    slug = _text(data, "slug", "charter")
    if not SLUG_PATTERN.fullmatch(slug):
        raise CharterError(_("« charter.slug » ne peut contenir que des minuscules non "
                             "accentuées, des chiffres et des tirets."))
    title = _text(data, "title", "charter")
    charter = db.session.scalar(select(Charter).where(Charter.slug == slug))
    if charter is None:
        charter = Charter(slug=slug, title=title)
        db.session.add(charter)
    elif charter.title != title:
        # The title is part of the text every signatory committed to: it cannot change.
        raise CharterError(_("La charte « %(slug)s » s’intitule déjà « %(title)s » ; ce titre "
                             "fait partie du texte signé et ne peut pas changer.",
                             slug=slug, title=charter.title))
    return charter


def _principles(items: object) -> list[Principle]:
    if not isinstance(items, list) or not items:
        raise CharterError(_("« principles » doit être une liste non vide de principes."))
    sections = {section.value for section in Section}
    principles, seen = [], set()
    for position, item in enumerate(items, start=1):
        where = _l("principe n° %(position)s", position=position)
        data = _mapping(item, where)
        code = _text(data, "code", where)
        if not CODE_PATTERN.fullmatch(code):
            raise CharterError(_("Le code « %(code)s » (%(where)s) n’est pas valide : lettres, "
                                 "chiffres, points ou tirets.", code=code, where=where))
        if code in seen:
            raise CharterError(_("Le code « %(code)s » est utilisé par plusieurs principes.",
                                 code=code))
        seen.add(code)
        section = data.get("section")
        if section not in sections:
            raise CharterError(_("Section inconnue « %(section)s » pour le principe %(code)s "
                                 "(attendu : %(known)s).", section=section, code=code,
                                 known=", ".join(sorted(sections))))
        principles.append(Principle(
            code=code, section=Section(section), title=_text(data, "title", code),
            text=_text(data, "text", code), position=position,
        ))
    return principles


def _mapping(value: object, where: str) -> dict:
    if not isinstance(value, dict):
        raise CharterError(_("« %(where)s » doit être un dictionnaire (clé : valeur).",
                             where=where))
    return value


def _text(data: dict, key: str, where: str, required: bool = True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise CharterError(_("« %(key)s » est obligatoire et doit être un texte non vide "
                             "(%(where)s).", key=key, where=where))
    try:
        value = text.clean(value, MULTILINE_KEYS.get(key, text.TextKind.LINE))
    except text.UnsafeText as exc:
        raise CharterError(_("« %(key)s » (%(where)s) : %(problem)s", key=key, where=where,
                             problem=exc.problem.message())) from exc
    limit = MAX_LENGTHS.get(key)
    if limit is not None and len(value) > limit:
        raise CharterError(_("« %(key)s » dépasse %(limit)s caractères (%(where)s).",
                             key=key, limit=limit, where=where))
    return value
