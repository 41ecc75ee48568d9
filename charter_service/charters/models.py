import hashlib
import json
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, str_enum, utcnow
from ..enums import LabelledEnum
from ..extensions import db


class VersionStatus(LabelledEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"
    __labels__ = {"draft": _l("Brouillon"), "published": _l("Publiée"),
                  "archived": _l("Archivée")}


class Section(LabelledEnum):
    PRINCIPES = "principes"
    MODALITES = "modalites"
    MOYENS = "moyens"
    __labels__ = {"principes": _l("Principes"), "modalites": _l("Modalités d’action"),
                  "moyens": _l("Moyens d’agir")}


class Charter(db.Model):
    __tablename__ = "charters"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))

    versions: Mapped[list["CharterVersion"]] = relationship(
        back_populates="charter", order_by="CharterVersion.number"
    )


class CharterVersion(db.Model):
    __tablename__ = "charter_versions"
    __table_args__ = (
        UniqueConstraint("charter_id", "number"),
        # One published version per charter, enforced by the database.
        Index(
            "uq_charter_versions_one_published",
            "charter_id",
            unique=True,
            sqlite_where=db.text("status = 'published'"),
            postgresql_where=db.text("status = 'published'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(ForeignKey("charters.id", ondelete="CASCADE"))
    number: Mapped[int]
    status: Mapped[VersionStatus] = mapped_column(
        str_enum(VersionStatus, "version_status"), default=VersionStatus.DRAFT
    )
    title: Mapped[str] = mapped_column(String(200))
    preamble: Mapped[str] = mapped_column(Text, default="")
    is_demonstration: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    charter: Mapped[Charter] = relationship(back_populates="versions")
    principles: Mapped[list["Principle"]] = relationship(
        back_populates="version", order_by="Principle.position", cascade="all, delete-orphan"
    )

    def canonical_text(self) -> str:
        """The exact text a signatory commits to; its SHA-256 is stored with each signature."""
        document = {
            "charter": self.charter.title,
            "version": self.number,
            "title": self.title,
            "preamble": self.preamble,
            "principles": [
                {"code": p.code, "section": p.section.value, "title": p.title, "text": p.text}
                for p in self.principles
            ],
        }
        return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical_text().encode("utf-8")).hexdigest()

    def principles_by_section(self) -> list[tuple[Section, list["Principle"]]]:
        return [
            (section, [p for p in self.principles if p.section == section])
            for section in Section
            if any(p.section == section for p in self.principles)
        ]


class Principle(db.Model):
    __tablename__ = "principles"
    __table_args__ = (UniqueConstraint("version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("charter_versions.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(10))
    section: Mapped[Section] = mapped_column(str_enum(Section, "principle_section"))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int]

    version: Mapped[CharterVersion] = relationship(back_populates="principles")
