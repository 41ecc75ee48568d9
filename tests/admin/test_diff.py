"""/admin/charte/diff: principles matched by code, texts compared word by word, all escaped."""

import html

import pytest

from charter_service.admin.diff import word_diff
from charter_service.charters.models import Principle, Section, VersionStatus
from charter_service.extensions import db

DEL_OPEN = '<del><span class="visually-hidden">[texte supprimé : </span>'
INS_OPEN = '<ins><span class="visually-hidden">[texte ajouté : </span>'
CLOSE = '<span class="visually-hidden">]</span>'


def test_word_diff_marks_changed_words_and_keeps_the_rest():
    result = word_diff("Les signataires agissent ensemble.", "Les membres agissent ensemble.")
    assert result.changed
    assert result.old == f"Les {DEL_OPEN}signataires{CLOSE}</del> agissent ensemble."
    assert result.new == f"Les {INS_OPEN}membres{CLOSE}</ins> agissent ensemble."


def test_word_diff_escapes_html_everywhere():
    result = word_diff("a <b>gras</b> & co", "a <script>alert(1)</script> & co")
    for side in (result.old, result.new):
        assert "<b>" not in side and "<script>" not in side
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.new
    assert "&amp; co" in result.new


def test_identical_texts_are_unchanged():
    result = word_diff("Même texte.\n\nDeux paragraphes.", "Même texte.\n\nDeux paragraphes.")
    assert not result.changed and result.new == "Même texte.\n\nDeux paragraphes."


@pytest.fixture
def versions(make):
    old = make.version(number=1, principles=3)
    new = make.version(number=2, status=VersionStatus.DRAFT, principles=0)
    new.preamble = "Préambule de test, révisé."
    new.principles = [
        Principle(code="P1", section=Section.PRINCIPES, title="Principe 1",
                  text="Texte du principe 1.", position=1),
        Principle(code="P2", section=Section.MOYENS, title="Principe deux",
                  text="Texte <script>alert('x')</script> du principe 2.", position=2),
        Principle(code="P4", section=Section.MOYENS, title="Principe <i>nouveau</i>",
                  text="Un principe <b>ajouté</b>.", position=3),
    ]
    db.session.commit()
    return old, new


def test_diff_page_shows_added_removed_and_changed_principles(as_admin, versions):
    response = as_admin.get("/admin/charte/diff?de=1&a=2")
    assert response.status_code == 200
    raw = response.get_data(as_text=True)
    page = html.unescape(raw)
    assert raw.count("<h1") == 1 and "Différences entre les versions 1 et 2" in page
    assert "texte ajouté" in page and "texte supprimé" in page  # the legend

    added = page.split("<h3>Principes ajoutés</h3>")[1].split("<h3>")[0]
    removed = page.split("<h3>Principes supprimés</h3>")[1].split("<h3>")[0]
    changed = page.split("<h3>Principes modifiés</h3>")[1].split("<h3>")[0]
    unchanged = page.split("<h3>Principes inchangés</h3>")[1]
    assert "P4" in added and "P3" in removed and "P2" in changed
    assert "P1" in unchanged.split("</p>")[0]
    assert "Section : Modalités d’action → Moyens d’agir" in changed
    assert f"Principe {DEL_OPEN}2{CLOSE}</del>" in raw
    assert f"Principe {INS_OPEN}deux{CLOSE}</ins>" in raw
    assert f"Préambule de {DEL_OPEN}test.{CLOSE}</del>" in raw
    assert f"Préambule de {INS_OPEN}test, révisé.{CLOSE}</ins>" in raw

    assert "<script>" not in raw and "<b>ajouté</b>" not in raw and "<i>nouveau</i>" not in raw
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in raw
    assert "Un principe &lt;b&gt;ajouté&lt;/b&gt;." in raw


def test_diff_form_defaults_to_the_published_version_and_the_newest(as_admin, versions):
    raw = as_admin.get("/admin/charte/diff").get_data(as_text=True)
    start = raw.split('<select id="de"')[1].split("</select>")[0]
    end = raw.split('<select id="a"')[1].split("</select>")[0]
    assert '<option selected value="1">' in start and '<option selected value="2">' in end
    assert "Principes ajoutés" not in raw


@pytest.mark.parametrize("query", ["de=abc&a=2", "de=1&a=99", "de=1", "de=&a="])
def test_wrong_choices_get_a_french_message(as_admin, versions, query):
    response = as_admin.get(f"/admin/charte/diff?{query}")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert "Choisissez une version" in page and "Principes ajoutés" not in page
