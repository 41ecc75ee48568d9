"""/engagements: search, every filter, counts per value, keyset pages, and the /charte link."""

import re
from datetime import date

import pytest

from charter_service.directory import queries
from charter_service.directory.selection import parse_selection

TITLES = {"A": "Énergie solaire citoyenne", "B": "Achats locaux", "C": "Mécénat de compétences"}


def _shown(client, query: str) -> list[str]:
    """The titles listed, in order, by /engagements?query."""
    response = client.get(f"/engagements?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    found = re.findall(r'<li class="register-row directory-entry">\s*<h3>([^<]+)</h3>', page)
    return [key for title in found for key, known in TITLES.items() if known == title]


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["A", "B", "C"]),
    ("q=energie", ["A"]),
    ("q=ÉNERGIE+Sol", ["A"]),
    ("q=saint-etienne", ["A", "B"]),  # B's organisation, A's partner
    ("q=forez", ["B"]),  # description
    ("q=lycee", ["C"]),  # outside partner
    ("q=cooperative", ["A"]),  # organisation
    ("q=mecenat+tutorat", ["C"]),
    ("q=absent", []),
    ("q=%21%21%21", []),
])
def test_search_is_accent_and_case_insensitive(client, three, query, expected):
    assert _shown(client, query) == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("principe=P1", ["A"]), ("principe=p2", ["B"]), ("principe=P3", ["C"]),
    ("odd=7", ["A"]), ("odd=8", ["B"]), ("odd=17", ["C"]), ("odd=1", []),
    ("categorie=mecenat", ["C"]), ("categorie=innovation_societale", ["A"]),
    ("domaine=social", ["C"]), ("domaine=economique", ["B"]),
    ("echelle=regional", ["A"]), ("echelle=national", ["C"]),
    ("statut=in_progress", ["A"]), ("statut=planned", ["B"]),
    ("type=collectivite", ["B"]), ("type=fondation", ["C"]),
    ("region=53", ["C"]), ("region=84", ["A", "B"]),
    ("departement=42", ["B"]), ("departement=69", ["A"]),
    ("conjoint=oui", ["A"]), ("conjoint=non", ["B", "C"]),
    ("version=1", ["A", "B", "C"]), ("version=2", []),
    ("region=84&conjoint=non", ["B"]), ("q=achats&type=fondation", []),
])
def test_every_filter(client, three, query, expected):
    assert _shown(client, query) == expected


def _option_counts(page: str, name: str) -> dict[str, int]:
    select = re.search(rf'<select id="f-{name}" name="{name}">(.*?)</select>', page, re.S)
    return {value: int(count) for value, count in re.findall(
        r'<option value="([^"]+)"[^>]*>[^<]*\((\d+)\)</option>', select.group(1))}


def test_counts_per_value_keep_the_other_filters(client, three):
    page = client.get("/engagements?region=84").get_data(as_text=True)
    assert _option_counts(page, "conjoint") == {"oui": 1, "non": 1}
    assert _option_counts(page, "categorie") == {"pratiques_responsables": 0,
                                                 "cooperation_economique": 1,
                                                 "innovation_societale": 1, "mecenat": 0}
    assert _option_counts(page, "principe") == {"P1": 1, "P2": 1, "P3": 0}
    # A filter's own counts ignore its own value: every région stays offered.
    assert {k: v for k, v in _option_counts(page, "region").items() if v} == {"84": 2, "53": 1}
    assert _option_counts(page, "odd")["7"] == 1 and _option_counts(page, "odd")["4"] == 0
    assert _option_counts(page, "domaine")["environnemental"] == 1
    assert _option_counts(page, "type")["fondation"] == 0


def test_each_entry_shows_organisation_principle_partners_and_progress(client, three):
    page = client.get("/engagements?principe=P1").get_data(as_text=True)
    assert 'href="/organisations/cooperative-lumiere"' in page or "/organisations/" in page
    assert "P1 – Principe 1" in page
    assert "Ville de Saint-Étienne" in page
    assert "1er octobre 2026" in page and "Douze toits équipés." in page
    assert "1 engagement public" in page


def test_keyset_pages_cover_the_selection_once_in_order(world):
    holder = world.signatory("Association Pages")
    for day in (1, 2, 2, 2, 3, 4, 5, 6):  # equal days: the id breaks the tie
        world.commit(holder, f"Engagement {day}", start_on=date(2025, 1, day))
    selection = queries.Selection()
    pages = [queries.page(selection, n, 3) for n in (1, 2, 3)]
    ids = [row["commitment_id"] for p in pages for row in p.rows]
    every = [row["commitment_id"] for row in queries.iter_rows(selection, batch=2)]
    assert len(ids) == len(set(ids)) == 8 and ids == every
    assert [p.total for p in pages] == [8, 8, 8] and pages[2].pages == 3
    assert queries.page(selection, 4, 3).past_the_end


def test_the_page_links_its_next_page(client, three, monkeypatch):
    from charter_service.directory import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    page = client.get("/engagements?conjoint=non").get_data(as_text=True)
    assert "page 1 sur 1" not in page
    assert _shown(client, "page=2") == ["C"]


def test_the_charter_counts_link_to_the_filtered_directory(client, three):
    page = client.get("/charte").get_data(as_text=True)
    link = re.search(r'<a href="(/engagements\?[^"]+)">1 engagement public</a>', page)
    assert link is not None
    target = link.group(1).replace("&amp;", "&")
    assert "principe=P1" in target and "version=1" in target
    assert _shown(client, target.split("?", 1)[1]) == ["A"]


def test_the_selection_round_trips_through_its_arguments(three):
    args = {"q": "énergie", "principe": "P1", "odd": "7", "categorie": "mecenat",
            "domaine": "social", "echelle": "local", "statut": "planned", "type": "fondation",
            "region": "53", "departement": "35", "conjoint": "non", "version": "1"}
    selection, errors = parse_selection(args)
    assert errors == [] and selection.query_args() == args
