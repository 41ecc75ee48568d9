"""Public commitments by SDG, partnership category and principle, for the statistics page.

Read from the commitments' own tables (the directory's read model lives above the register),
three GROUP BY statements kept until anything public changes (cached_public)."""

from dataclasses import dataclass

from sqlalchemy import func, select

from ...charters.models import CharterVersion, Principle, VersionStatus
from ...commitments.models import Category, Commitment, CommitmentSdg, commitment_principles
from ...commitments.queries import publicly_visible
from ...commitments.sdgs import SDG_NUMBERS, sdg_label
from ...extensions import db
from ..readmodel.cache import cached_public


@dataclass(frozen=True)
class CommitmentFigures:
    total: int
    by_sdg: tuple[tuple[int, str, int], ...]  # (number, label, commitments), 1 to 17
    by_category: tuple[tuple[Category, int], ...]  # in the enum's order
    by_principle: tuple[tuple[str, str, int], ...]  # (code, « P1 – title », commitments)


def _by_principle() -> list[tuple[str, str, int]]:
    counts = dict(db.session.execute(
        select(Principle.code, func.count(func.distinct(Commitment.id)))
        .join(commitment_principles, commitment_principles.c.principle_id == Principle.id)
        .join(Commitment, Commitment.id == commitment_principles.c.commitment_id)
        .where(publicly_visible()).group_by(Principle.code)).all())
    titles: dict[str, tuple[int, str]] = {}
    for code, title, position in db.session.execute(
            select(Principle.code, Principle.title, Principle.position)
            .join(CharterVersion, CharterVersion.id == Principle.version_id)
            .where(CharterVersion.status != VersionStatus.DRAFT)
            .order_by(CharterVersion.published_at.desc())):
        titles.setdefault(code, (position, title))
    codes = sorted(set(titles) | set(counts), key=lambda c: (titles.get(c, (10**6, ""))[0], c))
    return [(code, f"{code} – {titles[code][1]}" if code in titles else code,
             counts.get(code, 0)) for code in codes]


def compute() -> CommitmentFigures:
    total = db.session.scalar(select(func.count(Commitment.id)).where(publicly_visible())) or 0
    per_sdg = dict(db.session.execute(
        select(CommitmentSdg.sdg, func.count())
        .join(Commitment, Commitment.id == CommitmentSdg.commitment_id)
        .where(publicly_visible()).group_by(CommitmentSdg.sdg)).all())
    per_category = dict(db.session.execute(
        select(Commitment.category, func.count()).where(publicly_visible())
        .group_by(Commitment.category)).all())
    return CommitmentFigures(
        total=total,
        by_sdg=tuple((n, sdg_label(n), per_sdg.get(n, 0)) for n in SDG_NUMBERS),
        by_category=tuple((c, per_category.get(c, 0)) for c in Category),
        by_principle=tuple(_by_principle()),
    )


def commitment_figures() -> CommitmentFigures:
    return cached_public("commitment-statistics", compute=compute)
