"""French content on an English page carries lang="fr" and a note that it exists in French only;
a French page has neither."""

import re

import pytest

from charter_service.extensions import db

from .helpers import add_commitment

NOTE = 'class="meta french-only"'
DESCRIPTION = "Cette association cultive des jardins partagés."


@pytest.fixture
def world(alpha, make, version):
    alpha.organisation.description = DESCRIPTION
    db.session.commit()
    alpha.commitment_id = add_commitment(alpha, title="Achats locaux").id
    return alpha


def _pages(world) -> dict[str, str]:
    base = f"/espace/organisations/{world.id}/engagements"
    return {"charter": "/charte", "charter version": "/charte/v/1",
            "public page": f"/organisations/{world.organisation.slug}",
            "directory": "/engagements", "member commitments": base,
            "member commitment": f"{base}/{world.commitment_id}"}


def _get(client, url: str, language: str) -> str:
    separator = "&" if "?" in url else "?"
    return client.get(f"{url}{separator}lang={language}").get_data(as_text=True)


def test_english_pages_mark_french_content(client, login, world, version):
    login(world.owner)
    for name, url in _pages(world).items():
        page = _get(client, url, "en")
        assert 'lang="en"' in page.split(">", 2)[1], name
        # The member's list shows titles only; the note comes with a description.
        assert (NOTE in page) == (name != "member commitments"), name
        if name.startswith("charter"):
            assert re.search(r'<p lang="fr">Texte du principe 1\.</p>', page), name
            assert '<span lang="fr">Principe 1</span>' in page, name
        else:
            assert '<span lang="fr">Achats locaux</span>' in page, name
    public = _get(client, _pages(world)["public page"], "en").replace("&#39;", "'")
    assert f'<p class="prewrap lead" lang="fr">{DESCRIPTION}</p>' in public
    assert '<p class="prewrap" lang="fr">Description de l\'engagement.</p>' in public


def test_french_pages_carry_no_mark(client, login, world):
    login(world.owner)
    for name, url in _pages(world).items():
        page = _get(client, url, "fr")
        # The html element's own lang, nothing else (the switch link is lang="en").
        assert page.count('lang="fr"') == 1 and NOTE not in page, name
