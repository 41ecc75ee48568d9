"""Draft charter versions: created from a YAML upload or from a copy of the published version,
edited until publication. Published and archived versions never change.

Every function takes the acting admin and only flushes.
"""

from flask_babel import gettext as _

from ..accounts.models import User
from ..audit import services as audit
from ..charters.models import CharterVersion, Principle, VersionStatus
from ..charters.services import CharterError, current_version, import_version
from ..extensions import db


class NotEditable(CharterError):
    """Only drafts can change: a published or archived text is what signatories committed to."""


class PrincipleRefused(CharterError):
    """A principle change that would break the version (duplicate code, no principle left)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message, field or "code")


def import_draft(data: object, actor: User) -> CharterVersion:
    version = import_version(data)
    _audit_created(version, actor, "upload")
    return version


def copy_published(actor: User) -> CharterVersion:
    """A new draft holding the text of the version open for signing."""
    published = current_version()
    if published is None:
        raise CharterError(_("Aucune version n’est publiée : il n’y a rien à copier. "
                             "Importez un fichier YAML."))
    version = import_version(_document(published))
    _audit_created(version, actor, "copy")
    return version


def _document(version: CharterVersion) -> dict:
    """The version in the shape of a charter file."""
    return {
        "charter": {"slug": version.charter.slug, "title": version.charter.title},
        "version": {"title": version.title, "preamble": version.preamble,
                    "demonstration": version.is_demonstration},
        "principles": [{"code": p.code, "section": p.section.value, "title": p.title,
                        "text": p.text} for p in version.principles],
    }


def _audit_created(version: CharterVersion, actor: User, source: str) -> None:
    audit.record("charter.draft_create", "charter_version", version.id, actor=actor, before={},
                 after={"number": version.number, "status": version.status.value,
                        "sha256": version.sha256()}, reason=source)


def require_draft(version: CharterVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise NotEditable(_("La version %(number)s n’est pas un brouillon : un texte publié ou "
                            "archivé ne peut plus être modifié. Créez une nouvelle version.",
                            number=version.number))


def update_draft(version: CharterVersion, *, title: str, preamble: str, is_demonstration: bool,
                 actor: User) -> None:
    require_draft(version)
    before = version.sha256()
    version.title, version.preamble = title, preamble
    version.is_demonstration = is_demonstration
    _audit_edit(version, actor, before, "details")


def save_principle(version: CharterVersion, principle: Principle | None, data: dict,
                   actor: User) -> Principle:
    """Add a principle (principle=None) or change one; `data` holds code, section, title, text
    and position."""
    require_draft(version)
    if any(p.code == data["code"] and p is not principle for p in version.principles):
        raise PrincipleRefused(_("Le code « %(code)s » est déjà utilisé par un autre principe "
                                 "de cette version.", code=data["code"]), field="code")
    before = version.sha256()
    added = principle is None
    if added:
        principle = Principle(code=data["code"], section=data["section"], title=data["title"],
                              text=data["text"], position=data["position"])
    else:
        principle.code, principle.section = data["code"], data["section"]
        principle.title, principle.text = data["title"], data["text"]
    _place(version, principle, data["position"])
    _audit_edit(version, actor, before, "principle_added" if added else "principle_changed")
    return principle


def remove_principle(version: CharterVersion, principle: Principle, actor: User) -> None:
    require_draft(version)
    if len(version.principles) <= 1:
        raise PrincipleRefused(_("Une version garde au moins un principe : ajoutez-en un autre "
                                 "avant de supprimer celui-ci."))
    before = version.sha256()
    version.principles = [p for p in version.principles if p is not principle]
    _renumber(version.principles)
    _audit_edit(version, actor, before, "principle_removed")


def _place(version: CharterVersion, principle: Principle, position: int) -> None:
    """Put the principle at `position` (1-based), shifting the others, and keep positions
    1..n: the order is part of the signed text, so it must never depend on ties."""
    others = sorted((p for p in version.principles if p is not principle),
                    key=lambda p: p.position)
    others.insert(max(0, min(position - 1, len(others))), principle)
    version.principles = others
    _renumber(others)


def _renumber(principles: list[Principle]) -> None:
    for position, principle in enumerate(principles, start=1):
        principle.position = position


def _audit_edit(version: CharterVersion, actor: User, before_sha256: str, change: str) -> None:
    db.session.flush()
    audit.record("charter.draft_edit", "charter_version", version.id, actor=actor,
                 before={"sha256": before_sha256},
                 after={"number": version.number, "sha256": version.sha256()}, reason=change)
