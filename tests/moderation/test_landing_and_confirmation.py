"""Moderators land on the queue, which says how long each signature has waited and flags those
past the usual delay; a signature's file shows the facts before the decision; approving asks
for a confirmation that restates what is approved."""

import re
from datetime import timedelta

import pytest

from charter_service.accounts.models import Role
from charter_service.db_types import utcnow
from charter_service.extensions import db
from charter_service.moderation.delays import waited_words
from charter_service.signatures.models import Signature, SignatureStatus
from charter_service.signatures.workflow import Transition

from .conftest import audit_count, lock_version_in, status_of, text

S = SignatureStatus
NOW = utcnow()


@pytest.mark.parametrize(("elapsed", "words"), [
    (timedelta(0), "depuis moins d’une minute"),
    (timedelta(seconds=59), "depuis moins d’une minute"),
    (timedelta(minutes=1), "depuis 1 min"),
    (timedelta(minutes=59, seconds=59), "depuis 59 min"),
    (timedelta(hours=1), "depuis 1 h"),
    (timedelta(hours=23, minutes=59), "depuis 23 h"),
    (timedelta(days=1), "depuis 1 jour"),
    (timedelta(hours=47, minutes=59), "depuis 1 jour"),
    (timedelta(days=2), "depuis 2 jours"),
    (timedelta(seconds=-30), "depuis moins d’une minute"),  # a clock a little ahead
])
def test_waited_words_at_the_boundaries(app, elapsed, words):
    with app.test_request_context():
        assert waited_words(NOW - elapsed, NOW) == words


def _log_in(client, user, password, **query):
    return client.post("/compte/connexion", query_string=query,
                       data={"email": user.email, "password": password})


@pytest.mark.parametrize(("role", "landing"), [
    (Role.MODERATOR, "/moderation/"), (Role.ADMIN, "/moderation/"), (Role.USER, "/espace/"),
])
def test_each_role_lands_on_what_waits_for_it(client, make, role, landing):
    user = make.user(role=role)
    assert _log_in(client, user, make.password).headers["Location"] == landing
    assert client.get("/compte/connexion").headers["Location"] == landing


def test_next_still_wins_and_a_moderator_member_keeps_their_space(client, make):
    moderator = make.user(role=Role.MODERATOR)
    make.organisation(owner=moderator, name="Les Jardins")
    response = _log_in(client, moderator, make.password, next="/charte")
    assert response.headers["Location"] == "/charte"
    page = text(client.get("/moderation/"))
    assert 'href="/espace/"' in page  # the menu
    assert "Les Jardins" in text(client.get("/espace/"))


def test_evil_next_falls_back_to_the_queue(client, make):
    moderator = make.user(role=Role.MODERATOR)
    response = _log_in(client, moderator, make.password, next="//evil.example")
    assert response.headers["Location"] == "/moderation/"


def _decided_in(make, version, days: float) -> None:
    """A signature approved `days` after it was signed: the transparency page's median."""
    signature = make.signature(make.organisation(), version)
    signature.signed_at = NOW - timedelta(days=days + 1)
    make.decide(signature, Transition.APPROVE, at=NOW - timedelta(days=1))


def _row(page: str, name: str) -> str:
    return page[page.index(name):].split("</tr>", 1)[0]


def test_the_queue_says_how_long_each_waited_and_flags_the_overdue(as_moderator, make, place,
                                                                   version):
    for _ in range(3):
        _decided_in(make, version, 2)  # the usual delay: 2 days
    place("Ancienne Association", days_ago=3)
    recent = place("Récente Association")
    recent.signed_at = utcnow() - timedelta(hours=2, minutes=5)
    db.session.commit()

    page = text(as_moderator.get("/moderation/"))

    old_row, new_row = _row(page, "Ancienne Association"), _row(page, "Récente Association")
    assert page.index("Ancienne Association") < page.index("Récente Association")
    assert "en attente depuis 3 jours" in old_row
    assert "au-delà du délai habituel (2 jours)" in old_row
    assert "en attente depuis 2 h" in new_row and "délai habituel" not in new_row
    time_tag = re.search(r'<time class="meta" datetime="([^"]+)" title="([^"]+)">', new_row)
    assert time_tag.group(1) == recent.signed_at.isoformat()
    assert re.fullmatch(r"(1er|\d{1,2}) \w+ \d{4} à \d\d:\d\d", time_tag.group(2))


def test_without_any_decision_nothing_is_flagged(as_moderator, place):
    place("Ancienne Association", days_ago=40)
    page = text(as_moderator.get("/moderation/"))
    assert "en attente depuis 40 jours" in page and "délai habituel" not in page


def test_the_file_shows_the_facts_before_the_decision(as_moderator, make, version):
    organisation = make.organisation(name="Les Jardins", siren="732829320")
    signature = make.signature(organisation, version)
    page = text(as_moderator.get(f"/moderation/signatures/{signature.id}"))
    headings = re.findall(r'<h2 id="([a-z-]+)"', page)
    order = ["organisation", "signatory", "version", "attention", "history", "decision"]
    assert [h for h in headings if h in order] == order
    assert "clé de contrôle vérifiée" in page and "Version 1" in page


def _approve(client, signature, **fields):
    data = {"approuver-lock_version": str(signature.lock_version)}
    data.update({f"approuver-{name}": value for name, value in fields.items()})
    return client.post(f"/moderation/signatures/{signature.id}/approuver", data=data)


def test_one_post_without_confirmation_changes_nothing_and_asks(as_moderator, make, version):
    organisation = make.organisation(name="Les Jardins", siren="732829320")
    signature = make.signature(organisation, version)

    response = _approve(as_moderator, signature)

    page = text(response)
    assert response.status_code == 200
    assert status_of(signature.id) == S.PENDING and audit_count() == 0
    assert "Approuver la signature de « Les Jardins » ?" in page
    assert "SIREN 732 829 320" in page and "Dominique Durand, Présidente" in page
    assert "version 1" in page
    assert 'name="approuver-confirm" type="hidden" value="1"' in page
    assert f'href="/moderation/signatures/{signature.id}">Revenir</a>' in page

    confirmed = as_moderator.post(  # the confirmation's own form
        f"/moderation/signatures/{signature.id}/approuver",
        data={"approuver-lock_version": lock_version_in(page, "approuver"),
              "approuver-confirm": "1"})

    assert confirmed.status_code == 302 and confirmed.location.endswith("/moderation/")
    assert status_of(signature.id) == S.APPROVED


def test_a_confirmation_made_stale_by_another_decision_changes_nothing(as_moderator, make,
                                                                      version):
    signature = make.signature(make.organisation(), version)
    page = text(_approve(as_moderator, signature))
    seen = lock_version_in(page, "approuver")
    make.reach(db.session.get(Signature, signature.id), S.REJECTED)
    response = as_moderator.post(f"/moderation/signatures/{signature.id}/approuver",
                                 data={"approuver-lock_version": seen, "approuver-confirm": "1"})
    assert response.status_code == 302
    assert status_of(signature.id) == S.REJECTED


def test_other_decisions_keep_their_single_step(as_moderator, make, version):
    signature = make.signature(make.organisation(), version)
    response = as_moderator.post(
        f"/moderation/signatures/{signature.id}/demander-des-modifications",
        data={"demander-des-modifications-lock_version": str(signature.lock_version),
              "demander-des-modifications-message": "Précisez la fonction."})
    assert response.status_code == 302
    assert status_of(signature.id) == S.CHANGES_REQUESTED
