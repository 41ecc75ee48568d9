"""Public, anonymised statistics: decisions per month by outcome and the median delay."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from charter_service.db_types import utcnow
from charter_service.extensions import db
from charter_service.moderation.stats import moderation_stats
from charter_service.signatures.models import SignatureStatus

from .conftest import text

S = SignatureStatus
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def decided(make, version):
    def _decided(status, signed_at, days, name="Organisation"):
        signature = make.signature(make.organisation(name=name), version, status=status,
                                   decided_at=signed_at + timedelta(days=days))
        signature.signed_at = signed_at
        db.session.commit()
        return signature

    return _decided


@pytest.fixture
def known_set(decided, make, version):
    decided(S.APPROVED, datetime(2026, 5, 1, 9, tzinfo=UTC), 2)
    decided(S.REJECTED, datetime(2026, 5, 2, 9, tzinfo=UTC), 4)
    decided(S.CHANGES_REQUESTED, datetime(2026, 4, 28, 9, tzinfo=UTC), 7)
    decided(S.APPROVED, datetime(2026, 6, 1, 9, tzinfo=UTC), 10)
    decided(S.APPROVED, datetime(2026, 6, 10, 9, tzinfo=UTC), 1)
    # 31 May 22:30 UTC is 1 June in Paris: a June decision.
    decided(S.APPROVED, datetime(2026, 5, 28, 22, 30, tzinfo=UTC), 3)
    decided(S.APPROVED, datetime(2025, 6, 1, 9, tzinfo=UTC), 5)  # thirteen months ago
    decided(S.SUSPENDED, datetime(2026, 6, 2, 9, tzinfo=UTC), 1)  # not a queue decision
    make.signature(make.organisation(), version)  # pending: no decision yet


def test_decisions_per_month_by_outcome_and_medians(app, known_set):
    stats = moderation_stats(NOW)

    assert len(stats.months) == 12
    assert (stats.months[0].month, stats.months[-1].month) == (date(2025, 7, 1), date(2026, 6, 1))
    by_month = {m.month: m for m in stats.months}
    may, june = by_month[date(2026, 5, 1)], by_month[date(2026, 6, 1)]
    assert may.counts == {S.APPROVED: 1, S.REJECTED: 1, S.CHANGES_REQUESTED: 1}
    assert june.counts == {S.APPROVED: 3, S.REJECTED: 0, S.CHANGES_REQUESTED: 0}
    assert may.median_days == 4 and june.median_days == 3
    assert stats.total == 6 and stats.median_days == 3.5
    assert sum(m.total for m in stats.months if m.month < date(2026, 5, 1)) == 0
    assert by_month[date(2026, 4, 1)].median_days is None


def test_the_public_page_shows_the_table_without_names(client, decided):
    a_minute_ago = utcnow() - timedelta(minutes=1)
    decided(S.APPROVED, a_minute_ago - timedelta(days=2), 2, name="Association Secrète")
    decided(S.REJECTED, a_minute_ago - timedelta(days=1), 1, name="Entreprise Discrète")

    response = client.get("/transparence")

    page = text(response)
    assert response.status_code == 200 and page.count("<h1") == 1
    assert "Secrète" not in page and "Discrète" not in page
    assert len(re.findall(r'<th scope="row">', page)) == 12
    assert re.search(r"<dt>Décisions en 12 mois</dt><dd>2</dd>", page)
    assert re.search(r"<dt>Délai médian avant décision</dt><dd>1,5 j</dd>", page)
    last_row = page[page.rindex('<th scope="row">'):]
    cells = re.findall(r"<td>([^<]*)</td>", last_row)
    assert cells[:5] == ["1", "1", "0", "2", "1,5"]
