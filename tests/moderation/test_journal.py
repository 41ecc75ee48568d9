"""The moderators' journal: newest first, filtered, paged by seq, names not digests; and the
integrity check."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete
from sqlalchemy import text as sql

from charter_service.accounts.models import User
from charter_service.audit import services as audit
from charter_service.db_types import utcnow
from charter_service.extensions import db

from .conftest import text


def _seqs(page: str) -> list[int]:
    return [int(n) for n in re.findall(r"<tr>\s*<td[^>]*>(\d+)</td>", page)]


@pytest.fixture
def entries(make, moderator):
    former = make.user("ancien@example.org", full_name="Ancien Modérateur")
    audit.record("signature.approve", "signature", 7, actor=moderator,
                 before={"status": "pending"}, after={"status": "approved"})
    audit.record("signature.reject", "signature", 8, actor=former, before={"status": "pending"},
                 after={"status": "rejected"}, reason="doublon",
                 personal={"message": "Déjà signée par la mairie."})
    audit.record("organisation.merge", "organisation", 3, actor=moderator, before={}, after={},
                 personal={"kept": "A", "removed": "B"})
    audit.record("demo.load", "demo", "demo", actor=None, before={}, after={})
    db.session.commit()
    return former


def test_newest_first_with_names_messages_and_no_digest(as_moderator, entries, moderator):
    page = text(as_moderator.get("/moderation/journal"))
    assert _seqs(page) == [4, 3, 2, 1]
    assert "Mona Modératrice" in page and "Ancien Modérateur" in page and "Système" in page
    assert "Déjà signée par la mairie." in page and "doublon" in page
    assert audit.actor_digest(moderator) not in page
    assert 'href="/moderation/signatures/8"' in page


def test_a_deleted_account_and_an_erased_message(as_moderator, entries):
    entry_id = db.session.scalar(sql("SELECT id FROM audit_entries WHERE seq = 2"))
    audit.erase_personal_data(entry_id)
    db.session.execute(delete(User).where(User.id == entries.id))
    db.session.commit()
    page = text(as_moderator.get("/moderation/journal"))
    assert "Ancien Modérateur" not in page and "Compte supprimé" in page
    assert "Déjà signée par la mairie." not in page and "message effacé" in page


@pytest.mark.parametrize(("query", "expected"), [
    ("action=signature.reject", [2]),
    ("objet=signature", [2, 1]),
    ("objet=organisation&action=organisation.merge", [3]),
    ("action=inconnue", [4, 3, 2, 1]),
])
def test_filters_by_action_and_object_type(as_moderator, entries, query, expected):
    assert _seqs(text(as_moderator.get(f"/moderation/journal?{query}"))) == expected


def test_filters_by_date_range(as_moderator, entries):
    today = utcnow().astimezone(ZoneInfo("Europe/Paris")).date()
    tomorrow, yesterday = today + timedelta(days=1), today - timedelta(days=1)
    assert _seqs(text(as_moderator.get(f"/moderation/journal?du={today}&au={today}"))) == [
        4, 3, 2, 1]
    assert _seqs(text(as_moderator.get(f"/moderation/journal?du={tomorrow}"))) == []
    assert _seqs(text(as_moderator.get(f"/moderation/journal?au={yesterday}"))) == []


@pytest.mark.parametrize("query", ["du=31/02/2026", "du=2026-05-02&au=2026-05-01"])
def test_wrong_dates_are_reported_and_ignored(as_moderator, entries, query):
    response = as_moderator.get(f"/moderation/journal?{query}")
    assert response.status_code == 200
    page = text(response)
    assert 'class="error-message"' in page and "Not a valid" not in page
    assert _seqs(page) == [4, 3, 2, 1]


def test_pages_by_seq_keyset(as_moderator, moderator):
    for n in range(55):
        audit.record("signature.approve", "signature", n, actor=moderator, before={}, after={})
    db.session.commit()
    first = text(as_moderator.get("/moderation/journal?objet=signature"))
    assert _seqs(first) == list(range(55, 5, -1))
    older = re.search(r'href="([^"]*avant=6[^"]*)">Entrées plus anciennes', first).group(1)
    assert "objet=signature" in older
    second = text(as_moderator.get(older.replace("&amp;", "&")))
    assert _seqs(second) == [5, 4, 3, 2, 1]
    assert "Entrées plus anciennes" not in second and "Entrées les plus récentes" in second


def test_the_integrity_check_reports_an_intact_chain(as_moderator, entries):
    page = text(as_moderator.get("/moderation/journal/integrite"))
    assert "Journal intègre : 4 entrées vérifiées" in page
    seq, entry_hash = audit.head()
    assert f"{seq}:{entry_hash}" in page


def test_the_integrity_check_names_the_first_tampered_entry(as_moderator, entries):
    db.session.execute(sql("UPDATE audit_entries SET reason = 'conforme' WHERE seq = 2"))
    db.session.commit()
    page = text(as_moderator.get("/moderation/journal/integrite")).replace("&#39;", "'")
    assert "Journal corrompu à l’entrée n° 2" in page
    assert "1 entrée précédente est intègre" in page


def test_a_signature_page_shows_its_own_history(as_moderator, place, moderator):
    signature = place("Les Jardins Partagés")
    audit.record("signature.request_changes", "signature", signature.id, actor=moderator,
                 before={"status": "pending"}, after={"status": "changes_requested"},
                 personal={"message": "Ajoutez le RNA."})
    audit.record("signature.approve", "signature", signature.id + 1, actor=moderator,
                 before={}, after={})
    db.session.commit()
    page = text(as_moderator.get(f"/moderation/signatures/{signature.id}"))
    history = page[page.index('id="history"'):]
    assert "Modifications demandées" in history and "Ajoutez le RNA." in history
    assert "Mona Modératrice" in history
    assert "Signature approuvée" not in history


@pytest.mark.parametrize("query", ["avant=²", "avant=abc", "avant=99999999999", "du=%1b",
                                   "action=" + "x" * 500])
def test_odd_query_values_never_fail(as_moderator, entries, query):
    response = as_moderator.get(f"/moderation/journal?{query}")
    assert response.status_code == 200 and _seqs(text(response)) == [4, 3, 2, 1]
