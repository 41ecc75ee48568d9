"""Near names at scale: the bigram index finds exactly the pairs that difflib over the whole
département found, and the database narrows the candidates from an index."""

import random
import re

import pytest
from sqlalchemy import bindparam, select
from sqlalchemy import text as sql

from charter_service.extensions import db
from charter_service.moderation import warnings
from charter_service.organisations.models import Organisation, OrganisationNameGram
from charter_service.organisations.names import (
    SIMILARITY_THRESHOLD,
    bigrams,
    length_window,
    normalised_name,
    probe,
    shared_bigrams_needed,
)

from .conftest import text

# (name in the queue, names already registered in the Rhône) → the ones flagged, as the scan
# of the whole département flagged them before the index.
TRICKY = [
    ("Association Les Jardins Partagés de Lyon", ["jardins partages - LYON"],
     ["jardins partages - LYON"]),                                  # legal form, accents
    ("Ateliers lyonnais", ["Atelier lyonais"], ["Atelier lyonais"]),  # no word in common
    ("Boulangerie Dupré", ["Boulangerie Dupres"], ["Boulangerie Dupres"]),  # one letter
    ("SARL Menuiserie Faure", ["Menuiserie Faure SAS"], ["Menuiserie Faure SAS"]),
    ("Lyon Vélo Solidaire", ["Solidaire Vélo Lyon", "Vélo Solidaire Lyon"], []),  # word order
    ("Ville de Y", ["Commune de Y", "Ville de Z"], ["Commune de Y"]),  # a one-letter key
    ("Cœur de ville", ["Coeur de ville"], []),                      # œ is not o + e
    ("Straße Müller", ["Strasse Muller"], ["Strasse Muller"]),
    ("Aaaa", ["Aaa", "Aa"], ["Aaa"]),                               # repeated bigrams
    ("Théâtre du Pont", ["Theatre du Pond"], ["Theatre du Pond"]),
    ("Les Amis de Gap", ["Amis de Gip"], ["Amis de Gip"]),          # short keys
    ("Mairie de Die", ["Die", "Diet", "Dieu le fit"], ["Die", "Diet"]),
]


def _flagged(page: str, name: str) -> list[str]:
    start = page.index(f">{name}</a>")
    row = page[start:page.index("</tr>", start)]
    return re.findall(r"Doublon possible : « ([^ »]+) », au nom très proche", row)


@pytest.mark.parametrize(("queued", "registered", "expected"), TRICKY,
                         ids=[case[0] for case in TRICKY])
def test_tricky_names_are_flagged_as_before(as_moderator, place, make, queued, registered,
                                            expected):
    place(queued, days_ago=1)
    for name in registered:
        make.organisation(name=name)
        make.organisation(name=name, departement_code="38")  # another département: never
    page = text(as_moderator.get("/moderation/")).replace("&#39;", "'")
    assert sorted(_flagged(page, queued)) == sorted(expected)


def test_the_bounds_of_the_proof_hold_for_every_key_length():
    """names.py: a candidate shares at least one bigram for every key of two characters or
    more, and outside the length window no pair reaches the threshold."""
    assert length_window(1) == (1, 1)
    for length in range(2, 401):
        low, high = length_window(length)
        for other in range(low, high + 1):
            assert shared_bigrams_needed(length + other) > 0
        for other in (low - 1, high + 1):
            assert 2 * min(length, other) / (length + other) < SIMILARITY_THRESHOLD
        # The commonest bigrams left out of the look-up are fewer than those shared.
        for key in (("les entreprises " * 30)[:length], "x" * length):
            looked_up, skipped = probe(key)
            assert skipped < shared_bigrams_needed(length + low)
            assert set(looked_up) <= set(bigrams(key))
            assert len(looked_up) + skipped == len(set(bigrams(key)))


def _variant(name: str, rng: random.Random) -> str:
    """A letter dropped, doubled or changed, or two words swapped."""
    position = rng.randrange(len(name))
    change = rng.choice(("drop", "double", "change", "swap"))
    if change == "drop":
        return name[:position] + name[position + 1:]
    if change == "double":
        return name[:position] + name[position] + name[position:]
    if change == "change":
        return name[:position] + rng.choice("aeiouéstrnl") + name[position + 1:]
    words = name.split()
    return " ".join(words[1:] + words[:1])


@pytest.fixture
def crowd(make):
    """A few hundred names of two départements, many of them close to each other."""
    rng = random.Random(12)  # noqa: S311  (names, not secrets)
    stems = ["Ateliers Martin", "Jardins de Cléry", "Comité des fêtes de Gap", "Lycée Zoé Roux",
             "Fondation Noël Blanc", "Brasserie du Vélo", "Amis de Die", "SCIC Verrerie de Riom",
             "Université de Thiers", "Institut de recherche en santé", "Ville de Crest", "Agen"]
    names = [name for stem in stems for name in [stem] + [_variant(stem, rng) for _ in range(9)]]
    names += [f"Organisation n°{n} {rng.choice(stems)}" for n in range(60)]
    made = []
    for n, name in enumerate(names):
        made.append(Organisation(name=name, slug=f"foule-{n}", kind="association",
                                 departement_code=rng.choice(("69", "43")), region_code="84"))
    db.session.add_all(made)
    db.session.commit()
    return made


def _by_scan(organisations: list[Organisation]) -> set[tuple[int, int]]:
    """The check as it was: difflib against every organisation of the département."""
    everyone = db.session.scalars(select(Organisation)).all()
    return {(o.id, other.id) for o in organisations for other in everyone
            if other.id != o.id and other.departement_code == o.departement_code
            and warnings.similar_names(normalised_name(other.name), normalised_name(o.name))}


def test_the_index_finds_every_pair_that_a_scan_of_the_departement_finds(crowd):
    found = {(o.id, other.id) for o, other in warnings._similar_in_departement(crowd)}
    expected = _by_scan(crowd)
    assert len(expected) > 300  # the crowd is crowded: the comparison means something
    assert found == expected


def test_the_candidates_are_few_among_many(crowd):
    """A name of the crowd gets the near names and a few more, not its whole département."""
    organisation = next(o for o in crowd if o.name == "Brasserie du Vélo")
    candidates = {row.id for row in warnings._candidates([organisation])[organisation.id]}
    same_departement = [o for o in crowd if o.departement_code == organisation.departement_code]
    assert len(candidates) < len(same_departement) / 4
    near = {other.id for o, other in warnings._similar_in_departement([organisation])}
    assert near <= candidates


def test_the_stored_key_and_bigrams_are_those_of_the_name(crowd):
    organisation = crowd[3]
    rows = db.session.scalars(select(OrganisationNameGram).where(
        OrganisationNameGram.organisation_id == organisation.id)).all()
    key = normalised_name(organisation.name)
    assert organisation.name_key == key
    assert sorted(row.gram for row in rows) == sorted(bigrams(key))
    assert {(row.departement_code, row.name_length) for row in rows} == {
        (organisation.departement_code, len(key))}


def _plan(organisations) -> str:
    query, parameters = warnings.candidate_query(organisations)
    explain = "EXPLAIN QUERY PLAN" if db.engine.dialect.name == "sqlite" else "EXPLAIN"
    if explain == "EXPLAIN":
        # The planner's statistics of the crowd, not whatever autovacuum saw (or did not) yet.
        db.session.execute(sql("ANALYZE organisations, organisation_name_grams"))
        db.session.execute(sql("SET LOCAL enable_seqscan = off"))  # the table is tiny here
    lists = [bindparam(name, expanding=True) for name in parameters if name.startswith("grams")]
    rows = db.session.execute(sql(f"{explain} {query.text}").bindparams(*lists), parameters)
    return "\n".join(str(row[-1]) for row in rows)


def test_the_candidate_query_reads_the_indexes(crowd):
    """Bigrams from (département, bigram, length); a one-letter key from its département."""
    organisations = [next(o for o in crowd if o.name == "Brasserie du Vélo"),
                     Organisation(name="Ville de Y", departement_code="69")]
    plan = _plan(organisations)
    assert "ix_organisation_name_grams_lookup" in plan, plan
    assert "Seq Scan" not in plan, plan
    assert re.search(r"SCAN organisation(_name_grams|s)\b(?! USING)", plan) is None, plan
    db.session.rollback()


def test_the_queue_sees_a_near_name_as_soon_as_one_appears_or_goes(as_moderator, place, make,
                                                                  app):
    """The queue keeps each organisation's near names between two views; any organisation
    created, renamed, moved or deleted is seen on the next one."""
    place("Boulangerie Dupré", days_ago=1)

    def flagged():
        page = text(as_moderator.get("/moderation/")).replace("&#39;", "'")
        return sorted(_flagged(page, "Boulangerie Dupré"))

    assert flagged() == []
    near = make.organisation(name="Boulangerie Dupres")
    db.session.commit()
    assert flagged() == ["Boulangerie Dupres"]
    near.name = "Imprimerie Martin"
    db.session.commit()
    assert flagged() == []
    near.name = "Boulangerie Dupret"
    db.session.commit()
    assert flagged() == ["Boulangerie Dupret"]
    near.departement_code = "38"
    db.session.commit()
    assert flagged() == []
    near.departement_code = "69"
    db.session.commit()
    assert flagged() == ["Boulangerie Dupret"]
    db.session.delete(near)
    db.session.commit()
    assert flagged() == []
