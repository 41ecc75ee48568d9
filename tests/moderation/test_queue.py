"""The queue: pending and changes-requested signatures, oldest first, filtered, counted,
paginated, each with its warnings, in a bounded number of queries."""

import hashlib
import re

import pytest
from sqlalchemy import event

from charter_service.extensions import db
from charter_service.moderation import stats as moderation_stats
from charter_service.moderation.services import PAGE_SIZE
from charter_service.organisations.models import OrganisationKind
from charter_service.signatures.models import SignatureStatus

from .conftest import text

S = SignatureStatus


def _rows(page: str) -> list[str]:
    """Organisation names in the queue, in order."""
    return re.findall(r'<a href="/moderation/signatures/\d+">([^<]+)</a>', page)


def _row_of(page: str, name: str) -> str:
    start = page.index(f">{name}</a>")
    return page[start:page.index("</tr>", start)]


@pytest.fixture
def queue(place):
    place("Ancienne", days_ago=30)
    place("Modifiable", days_ago=20, status=S.CHANGES_REQUESTED)
    place("Récente", days_ago=1, kind=OrganisationKind.ENTREPRISE, departement_code="29",
          region_code="53")
    place("Approuvée", days_ago=40, status=S.APPROVED)
    place("Refusée", days_ago=50, status=S.REJECTED)
    place("Suspendue", days_ago=50, status=S.SUSPENDED)


def test_pending_and_changes_requested_oldest_first(as_moderator, queue):
    page = text(as_moderator.get("/moderation/"))
    assert _rows(page) == ["Ancienne", "Modifiable", "Récente"]
    counts = re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", page)
    assert counts == [("En attente de validation", "2"), ("Modifications demandées", "1"),
                      ("Total", "3")]


@pytest.mark.parametrize(("query", "expected"), [
    ("type=entreprise", ["Récente"]),
    ("type=association", ["Ancienne", "Modifiable"]),
    ("region=53", ["Récente"]),
    ("region=84&type=association", ["Ancienne", "Modifiable"]),
    ("statut=changes_requested", ["Modifiable"]),
    ("statut=pending", ["Ancienne", "Récente"]),
    ("statut=approved", ["Ancienne", "Modifiable", "Récente"]),  # not a queue status: ignored
    ("type=inconnu&region=99", ["Ancienne", "Modifiable", "Récente"]),
])
def test_filters(as_moderator, queue, query, expected):
    response = as_moderator.get(f"/moderation/?{query}")
    assert response.status_code == 200
    assert _rows(text(response)) == expected


def test_an_unknown_filter_value_is_reported_in_french(as_moderator, queue):
    page = text(as_moderator.get("/moderation/?type=inconnu"))
    assert 'id="type-error"' in page and "Not a valid" not in page


def test_counts_follow_kind_and_region_filters(as_moderator, queue):
    page = text(as_moderator.get("/moderation/?region=84&statut=pending"))
    assert re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", page) == [
        ("En attente de validation", "1"), ("Modifications demandées", "1"), ("Total", "2")]


def test_pages_of_fifty_by_keyset(as_moderator, place):
    for n in range(PAGE_SIZE + 3):
        place(f"Organisation n{n:03d}", days_ago=100 - n)
    first = text(as_moderator.get("/moderation/"))
    assert _rows(first) == [f"Organisation n{n:03d}" for n in range(PAGE_SIZE)]
    following = re.search(r'href="(/moderation/\?apres=\d+)">Signatures suivantes', first)
    second = text(as_moderator.get(following.group(1)))
    assert _rows(second) == [f"Organisation n{n:03d}" for n in range(PAGE_SIZE, PAGE_SIZE + 3)]
    assert "Signatures suivantes" not in second and "Retour au début" in second


def test_an_identical_normalised_name_in_the_same_departement_is_a_duplicate(as_moderator,
                                                                             place, make):
    place("Association Les Jardins Partagés de Lyon", days_ago=2)
    other = make.organisation(name="jardins partages - LYON")
    make.organisation(name="Jardins partagés de Lyon", departement_code="38", region_code="84")
    page = text(as_moderator.get("/moderation/"))
    row = _row_of(page, "Association Les Jardins Partagés de Lyon")
    assert "Doublon possible : « jardins partages - LYON »" in row
    assert f"b={other.id}" in row
    assert row.count("Doublon possible") == 1  # not the namesake in another département


def test_a_very_similar_name_is_a_duplicate_a_different_one_is_not(as_moderator, place, make):
    place("Commune de Saint-Étienne-des-Bois", days_ago=2)
    make.organisation(name="Saint Etienne des Bois")
    place("Saint-Étienne Métropole Football", days_ago=1)
    page = text(as_moderator.get("/moderation/"))
    assert "Saint Etienne des Bois" in _row_of(page, "Commune de Saint-Étienne-des-Bois")
    assert "Doublon" not in _row_of(page, "Saint-Étienne Métropole Football")


def test_a_shared_siren_is_a_duplicate(as_moderator, place, make):
    """An organisation known by its SIRET only shares the SIREN of another one."""
    signature = place("Mécanique Forvaux", days_ago=2, siren="732829320",
                      kind=OrganisationKind.ENTREPRISE)
    twin = make.organisation(name="Forvaux Industrie", departement_code="25")
    twin.siret = "73282932000074"
    db.session.commit()
    row = _row_of(text(as_moderator.get("/moderation/")), "Mécanique Forvaux")
    assert "« Forvaux Industrie » a le même identifiant légal" in row
    assert signature.organisation.siren == "732829320"


@pytest.mark.parametrize(("identifiers", "message"), [
    ({}, "Aucun identifiant légal"),
    ({"siren": "123456789"}, "SIREN n’est pas valide"),
    ({"rna": "X123"}, "RNA commence par la lettre W"),
])
def test_a_missing_or_invalid_identifier_is_flagged(as_moderator, place, identifiers, message):
    place("Organisation à vérifier", **identifiers)
    row = _row_of(text(as_moderator.get("/moderation/")), "Organisation à vérifier")
    assert message in row.replace("&#39;", "'")


def test_a_valid_identifier_and_matching_domain_raise_nothing(as_moderator, place):
    place("Organisation en règle", siren="552100554")
    row = _row_of(text(as_moderator.get("/moderation/")), "Organisation en règle")
    assert "concern" not in row


@pytest.mark.parametrize(("email", "website", "flagged"), [
    ("dominique.durand@gmail.com", "https://www.example.org", True),
    ("dominique.durand@mairie.example.org", "https://www.example.org/contact", False),
    ("d@jardins.asso.fr", "https://potagers.asso.fr", True),
    ("d@jardins.asso.fr", "http://www.jardins.asso.fr", False),
])
def test_the_signatory_email_domain_is_compared_with_the_website(as_moderator, place, email,
                                                                 website, flagged):
    signature = place("Organisation du domaine", siren="552100554")
    signature.signatory_email = email
    signature.organisation.website = website
    db.session.commit()
    row = _row_of(text(as_moderator.get("/moderation/")), "Organisation du domaine")
    assert ("n’est pas du domaine du site web" in row.replace("&#39;", "'")) is flagged


def _queries_for(client, path) -> int:
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_warnings_cost_the_same_queries_for_5_or_40_signatures(as_moderator, place, make):
    def add(count, offset):
        for n in range(offset, offset + count):
            word = hashlib.sha256(str(n).encode()).hexdigest()[:12]
            place(f"Société {word}", departement_code=f"{n % 9 + 10}")
            make.organisation(name=f"SAS societe {word.upper()}", departement_code=f"{n % 9 + 10}")

    add(5, 0)
    moderation_stats.usual_delay_days()  # the queue's usual delay: cached, as on a busy site
    few = _queries_for(as_moderator, "/moderation/")
    add(35, 5)
    many = _queries_for(as_moderator, "/moderation/")
    assert many == few
    assert text(as_moderator.get("/moderation/")).count("Doublon possible") == 40


@pytest.mark.parametrize("query", ["apres=²", "apres=-3", "apres=99999999999999", "apres=abc",
                                   "type=%1b", "region=" + "9" * 500])
def test_odd_query_values_show_the_queue_from_the_start(as_moderator, queue, query):
    response = as_moderator.get(f"/moderation/?{query}")
    assert response.status_code == 200
    assert _rows(text(response))[0] == "Ancienne"
