"""/registre: search, every filter, counts per value, order, keyset pages, bad input."""

import html
import re
from datetime import date

import pytest

from charter_service.commitments.models import Category, Visibility
from charter_service.extensions import db
from charter_service.organisations.models import OrganisationKind as Kind
from charter_service.register import queries
from charter_service.register.selection import parse_selection
from charter_service.signatures.models import SignatureStatus
from charter_service.signatures.workflow import Transition, apply

from .register_world import World


@pytest.fixture
def world(make):
    return World(make)


def names(response) -> list[str]:
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body[:500]
    return [html.unescape(n) for n in
            re.findall(r'<li class="register-row">\s*<h3><a href="[^"]+">([^<]+)</a>', body)]


def alerts(response) -> str:
    match = re.search(r'role="alert">(.*?)</div>', response.get_data(as_text=True), re.S)
    return html.unescape(match.group(1)) if match else ""


def test_only_approved_signatories_are_listed(client, world, make):
    world.signatory("Élan Solidaire")
    pending = make.organisation(name="Élan en attente")
    make.signature(pending, world.version)
    rejected = make.organisation(name="Élan refusé")
    apply(make.signature(rejected, world.version), Transition.REJECT, actor=world.moderator,
          reason="Doublon")
    db.session.commit()
    assert names(client.get("/registre")) == ["Élan Solidaire"]


def test_search_ignores_accents_and_case_and_matches_word_prefixes(client, world):
    world.signatory("Commune de Saint-Étienne-de-Tinée", commune="Saint-Étienne-de-Tinée",
                    departement="06", region="93")
    world.signatory("Association Œuvre des Îles", commune="Bastia", departement="2B",
                    region="94")
    world.signatory("Coopérative du Lac", commune="Annecy", departement="74")
    assert names(client.get("/registre?q=SAINT etien")) == ["Commune de Saint-Étienne-de-Tinée"]
    assert names(client.get("/registre?q=saint-étienne")) == [
        "Commune de Saint-Étienne-de-Tinée"]
    assert names(client.get("/registre?q=oeuvre iles")) == ["Association Œuvre des Îles"]
    # The commune is searched too.
    assert names(client.get("/registre?q=bast")) == ["Association Œuvre des Îles"]
    assert names(client.get("/registre?q=annecy lac")) == ["Coopérative du Lac"]
    # Every word must match; a word inside another word is not a prefix.
    assert names(client.get("/registre?q=lac bastia")) == []
    assert names(client.get("/registre?q=tienne")) == []


@pytest.mark.parametrize("q", ["' OR 1=1 --", '"', "*", "NEAR(a b)", "a:* & !b",
                               "<script>alert(1)</script>", "%", "_", "\\", "日本"])
def test_search_syntax_and_markup_are_plain_text(client, world, q):
    world.signatory("Élan Solidaire")
    response = client.get("/registre", query_string={"q": q})
    assert names(response) == []
    assert "<script>alert(1)" not in response.get_data(as_text=True)


def test_a_search_of_ten_thousand_characters_is_refused_clearly(client, world):
    world.signatory("Élan Solidaire")
    response = client.get("/registre", query_string={"q": "a" * 10_000})
    assert "La recherche est limitée à 200 caractères." in alerts(response)
    assert names(response) == ["Élan Solidaire"]


def test_each_filter_narrows_the_selection(client, world):
    lyon = world.signatory("Alpha Lyon", kind=Kind.ASSOCIATION, approved_on=date(2025, 3, 1))
    world.signatory("Beta Paris", kind=Kind.ENTREPRISE, departement="75", region="11",
                    commune="Paris", approved_on=date(2025, 6, 1))
    world.signatory("Gamma Annecy", kind=Kind.COLLECTIVITE, departement="74",
                    approved_on=date(2026, 1, 10))
    world.commitment(lyon, sdgs=(13,), category=Category.MECENAT)
    assert names(client.get("/registre?type=entreprise")) == ["Beta Paris"]
    assert names(client.get("/registre?region=84")) == ["Alpha Lyon", "Gamma Annecy"]
    assert names(client.get("/registre?departement=74")) == ["Gamma Annecy"]
    assert names(client.get("/registre?odd=13")) == ["Alpha Lyon"]
    assert names(client.get("/registre?odd=8")) == []
    assert names(client.get("/registre?categorie=mecenat")) == ["Alpha Lyon"]
    assert names(client.get("/registre?depuis=2025-06-01")) == ["Beta Paris", "Gamma Annecy"]
    assert names(client.get("/registre?jusqu_a=2025-06-01")) == ["Alpha Lyon", "Beta Paris"]
    assert names(client.get("/registre?depuis=2025-04-01&jusqu_a=2025-12-31")) == ["Beta Paris"]
    assert names(client.get("/registre?region=84&type=collectivite")) == ["Gamma Annecy"]
    assert names(client.get("/registre?tri=date")) == ["Gamma Annecy", "Beta Paris",
                                                        "Alpha Lyon"]


def test_private_or_hidden_commitments_do_not_count_for_the_sdg_filter(client, world):
    organisation = world.signatory("Alpha Lyon")
    world.commitment(organisation, sdgs=(13,), visibility=Visibility.PRIVATE)
    assert names(client.get("/registre?odd=13")) == []


def test_counts_per_filter_value_leave_out_the_filter_itself(client, world):
    world.signatory("A1", kind=Kind.ASSOCIATION)
    world.signatory("A2", kind=Kind.ASSOCIATION, departement="75", region="11", commune="Paris")
    world.signatory("E1", kind=Kind.ENTREPRISE)
    body = html.unescape(client.get("/registre?type=association&region=84").get_data(True))
    # Types are counted within région 84, whatever the chosen type.
    assert re.search(r'value="association" selected>Association \(1\)', body)
    assert re.search(r'value="entreprise" >Entreprise \(1\)', body)
    # Régions are counted among associations, whatever the chosen région.
    assert re.search(r'value="11" >Île-de-France \(1\)', body)
    assert re.search(r'value="84" selected>Auvergne-Rhône-Alpes \(1\)', body)


def test_unknown_filter_values_get_a_message_and_the_rest_still_applies(client, world):
    world.signatory("Alpha Lyon", kind=Kind.ASSOCIATION)
    world.signatory("Beta", kind=Kind.ENTREPRISE)
    response = client.get("/registre?type=association&region=zz&departement=999&odd=18"
                          "&categorie=x&depuis=2025-13-01&jusqu_a=hier&tri=taille")
    message = alerts(response)
    for expected in ("Région inconnue", "Département inconnu", "ODD doit être",
                     "Catégorie de partenariat inconnue", "Date « depuis » invalide",
                     "Date « jusqu’à » invalide", "Tri inconnu"):
        assert expected in message
    assert names(response) == ["Alpha Lyon"]


def test_pages_are_keyset_slices_of_the_whole_order(client, world, app):
    for n in range(7):
        world.signatory(f"Organisation {n:02d}")
    selection, _ = parse_selection({})
    everything = [row["name"] for row in queries.iter_rows(selection, batch=3)]
    assert everything == sorted(everything) and len(everything) == 7
    pages = [queries.page(selection, number, 3) for number in (1, 2, 3)]
    assert [row["name"] for p in pages for row in p.rows] == everything
    assert [p.pages for p in pages] == [3, 3, 3]
    by_date, _ = parse_selection({"tri": "date"})
    dated = [row["name"] for row in queries.iter_rows(by_date, batch=2)]
    assert [row["name"] for number in (1, 2, 3, 4)
            for row in queries.page(by_date, number, 2).rows] == dated


def test_page_arguments_out_of_range(client, world):
    for n in range(3):
        world.signatory(f"Organisation {n}")
    response = client.get("/registre?page=9")
    assert names(response) == []
    assert "La page 9 n’existe pas" in alerts(response)
    for bad in ("-1", "0", "abc", "1e9", "99999999999999999999"):
        response = client.get(f"/registre?page={bad}")
        assert "Numéro de page invalide" in alerts(response)
        assert len(names(response)) == 3


def test_rows_link_to_public_pages_and_filters_stay_in_links(client, world):
    organisation = world.signatory("Élan Solidaire")
    body = client.get("/registre?type=association&q=elan").get_data(as_text=True)
    assert f'href="/organisations/{organisation.slug}"' in body
    assert 'href="/registre.csv?q=elan&amp;type=association"' in body
    assert 'href="/registre.pdf?q=elan&amp;type=association"' in body


def test_the_page_shows_changes_at_once_despite_its_cache(client, world, make):
    organisation = world.signatory("Élan Solidaire")
    assert names(client.get("/registre")) == ["Élan Solidaire"]
    world.edit(organisation, name="Élan Solidaire et Durable")
    assert names(client.get("/registre")) == ["Élan Solidaire et Durable"]
    signature = organisation_signature(organisation)
    apply(signature, Transition.SUSPEND, actor=world.moderator, reason="Enquête")
    db.session.commit()
    assert names(client.get("/registre")) == []
    apply(signature, Transition.REINSTATE, actor=world.moderator)
    db.session.commit()
    assert names(client.get("/registre")) == ["Élan Solidaire et Durable"]


def organisation_signature(organisation):
    from charter_service.signatures.models import Signature
    return db.session.query(Signature).filter_by(
        organisation_id=organisation.id, status=SignatureStatus.APPROVED).one()


def test_works_in_english(client, world):
    world.signatory("Élan Solidaire")
    body = client.get("/registre?lang=en").get_data(as_text=True)
    assert "Register of signatories" in body or "Registre" not in body.split("<h1>")[1][:40]


def test_sdg_and_category_filters_follow_edits_and_moderation(client, world):
    from dataclasses import replace as changed

    from charter_service.commitments import moderation, services
    from charter_service.commitments.services import CommitmentData

    organisation = world.signatory("Alpha Lyon")
    commitment = world.commitment(organisation, sdgs=(13,), category=Category.MECENAT)
    assert names(client.get("/registre?odd=13&categorie=mecenat")) == ["Alpha Lyon"]
    data = CommitmentData(title=commitment.title, description=commitment.description,
                          category=Category.INNOVATION_SOCIETALE,
                          principle_ids=[p.id for p in commitment.principles],
                          scale=commitment.scale, start_on=commitment.start_on,
                          visibility=commitment.visibility, sdgs=[4])
    services.update_commitment(commitment, changed(data), world.owner)
    db.session.commit()
    assert names(client.get("/registre?odd=13")) == []
    assert names(client.get("/registre?odd=4&categorie=innovation_societale")) == ["Alpha Lyon"]
    moderation.hide(commitment, "Contenu trompeur", world.moderator)
    db.session.commit()
    assert names(client.get("/registre?odd=4")) == []
