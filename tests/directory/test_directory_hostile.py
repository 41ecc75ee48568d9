"""Hostile queries on /engagements: a French message or an empty result, never a 500, and
the page stays cached whole for anonymous visitors until a commitment changes."""

import html
import re
import time
from urllib.parse import urlencode

import pytest

from charter_service.commitments import services as commitments
from charter_service.extensions import db

from .test_directory_page import _shown


def _alerts(response) -> str:
    match = re.search(r'role="alert">(.*?)</div>', response.get_data(as_text=True), re.S)
    return html.unescape(match.group(1)) if match else ""


@pytest.mark.parametrize(("query", "message"), [
    ({"principe": "Z9"}, "Principe inconnu"),
    ({"principe": "P" * 500}, "Principe inconnu"),
    ({"odd": "18"}, "ODD doit être"),
    ({"odd": "٣"}, "ODD doit être"),
    ({"categorie": "x"}, "Catégorie de partenariat inconnue"),
    ({"domaine": "x"}, "Domaine inconnu"),
    ({"echelle": "planetaire"}, "Échelle territoriale inconnue"),
    ({"statut": "x"}, "Statut d’engagement inconnu"),
    ({"type": "x"}, "Type d’organisation inconnu"),
    ({"region": "zz"}, "Région inconnue"),
    ({"departement": "999"}, "Département inconnu"),
    ({"conjoint": "peut-etre"}, "« oui » ou « non »"),
    ({"version": "-1"}, "Version de la charte invalide"),
    ({"page": "-1"}, "Numéro de page invalide"),
    ({"page": "1000000000"}, "Numéro de page invalide"),
    ({"page": "999"}, "La page 999 n’existe pas"),
    ({"q": "a" * 10_000}, "La recherche est limitée à 200 caractères."),
    ({"q": "abc\u202edef"}, "Recherche ignorée"),
])
def test_unknown_values_get_a_message_and_the_rest_applies(client, three, query, message):
    rest = {"echelle": "national"} if "region" in query else {"region": "53"}
    started = time.perf_counter()
    response = client.get("/engagements", query_string={**query, **rest})
    assert response.status_code == 200 and time.perf_counter() - started < 2
    assert message in _alerts(response)
    if "page" not in query:
        assert _shown(client, urlencode({**query, **rest})) == ["C"]


def test_a_nul_in_the_search_is_refused_before_the_page(client, three):
    response = client.get("/engagements", query_string={"q": "abc\x00def"})
    assert response.status_code == 400
    assert "caractère nul" in response.get_data(as_text=True)


@pytest.mark.parametrize("q", ["' OR 1=1 --", '"', "*", "NEAR(a b)", "a:* & !b",
                               "<script>alert(1)</script>", "%", "_", "\\", "日本"])
def test_search_syntax_and_markup_are_plain_text(client, three, q):
    response = client.get("/engagements", query_string={"q": q, "per_page": "1000000000"})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.get_data(as_text=True)
    assert _shown(client, "") == ["A", "B", "C"]


def test_the_cached_page_changes_when_a_commitment_does(client, world):
    holder = world.signatory("Association Cache")
    commitment = world.commit(holder, "Premier titre")
    assert "Premier titre" in client.get("/engagements").get_data(as_text=True)
    data = commitments.CommitmentData(
        title="Titre corrigé", description="", category=commitment.category,
        principle_ids=[p.id for p in commitment.principles], scale=commitment.scale,
        start_on=commitment.start_on)
    commitments.update_commitment(commitment, data, world.owner)
    db.session.commit()
    page = client.get("/engagements").get_data(as_text=True)
    assert "Titre corrigé" in page and "Premier titre" not in page


def test_the_page_is_served_from_the_whole_page_cache(app, client, three, monkeypatch):
    from charter_service.directory import views

    first = client.get("/engagements?odd=7").get_data(as_text=True)
    monkeypatch.setattr(views, "render_template", lambda *a, **k: pytest.fail("rendered"))
    assert client.get("/engagements?odd=7").get_data(as_text=True) == first
