"""French prepositions before an organisation's name, and French punctuation."""

import pytest
from flask import render_template_string
from flask_babel import force_locale

from charter_service.typography import french_spacing, of, to

NN = "\u202f"


@pytest.mark.parametrize(("name", "with_de", "with_a"), [
    # A name that starts with a common noun takes its article.
    ("Association Les Amis du Parc", "de l’Association Les Amis du Parc",
     "à l’Association Les Amis du Parc"),
    ("Commune de Lyon", "de la Commune de Lyon", "à la Commune de Lyon"),
    ("Ville de Saint-Étienne", "de la Ville de Saint-Étienne", "à la Ville de Saint-Étienne"),
    ("Département du Rhône", "du Département du Rhône", "au Département du Rhône"),
    ("Atelier Bois Vivant", "de l’Atelier Bois Vivant", "à l’Atelier Bois Vivant"),
    ("Fondation Bretagne", "de la Fondation Bretagne", "à la Fondation Bretagne"),
    ("Lycée agricole de Vendôme", "du Lycée agricole de Vendôme",
     "au Lycée agricole de Vendôme"),
    ("Université de Tours", "de l’Université de Tours", "à l’Université de Tours"),
    ("Hameau des Tilleuls", "de Hameau des Tilleuls", "à Hameau des Tilleuls"),
    ("Ateliers du Rhône", "des Ateliers du Rhône", "aux Ateliers du Rhône"),
    ("Coopérative des Deux Rives", "de la Coopérative des Deux Rives",
     "à la Coopérative des Deux Rives"),
    ("Établissement public foncier", "de l’Établissement public foncier",
     "à l’Établissement public foncier"),
    # A name that carries its article contracts with it, unless the article is part of a
    # proper name (« La Poste », « L’Oréal »).
    ("Le Relais Solidaire", "du Relais Solidaire", "au Relais Solidaire"),
    ("Les Amis de la Terre", "des Amis de la Terre", "aux Amis de la Terre"),
    ("La Poste", "de La Poste", "à La Poste"),
    ("L'Oréal", "de L'Oréal", "à L'Oréal"),
    # A proper name takes none, and « de » elides before a vowel.
    ("Renault", "de Renault", "à Renault"),
    ("Orange", "d’Orange", "à Orange"),
    ("EDF", "d’EDF", "à EDF"),
    ("Harmonie Mutuelle", "d’Harmonie Mutuelle", "à Harmonie Mutuelle"),
])
def test_de_and_a_before_a_name(app, name, with_de, with_a):
    with force_locale("fr"):
        assert (of(name), to(name)) == (with_de, with_a)


def test_in_english_the_filters_say_of_and_to(app):
    with force_locale("en"):
        assert of("Commune de Lyon") == "of Commune de Lyon"
        assert to("Le Relais") == "to Le Relais"


def test_templates_have_the_filters_and_take_an_organisation(app, make):
    organisation = make.organisation(name="Association Les Amis")
    with app.test_request_context(), force_locale("fr"):
        html = render_template_string("Engagements {{ o|de }} ; écrire {{ o|a }}",
                                      o=organisation)
    assert html == "Engagements de l’Association Les Amis ; écrire à l’Association Les Amis"


@pytest.mark.parametrize(("text", "expected"), [
    ("Attention : le « bilan » est dû ! Pourquoi ?",
     f"Attention{NN}: le «{NN}bilan{NN}» est dû{NN}! Pourquoi{NN}?"),
    ("un «mot» ; l'Association d'un membre",
     f"un «{NN}mot{NN}»{NN}; l’Association d’un membre"),
    ("déjà\u00a0: fait", f"déjà{NN}: fait"),
    # Written without a space, a colon or a question mark is not punctuation of a sentence.
    ("https://exemple.fr/?lang=en à 10:30", "https://exemple.fr/?lang=en à 10:30"),
    ("« %(name)s »", f"«{NN}%(name)s{NN}»"),
])
def test_french_spacing(text, expected):
    assert french_spacing(text) == expected
    assert french_spacing(expected) == expected  # applying it twice changes nothing


def test_every_french_message_follows_french_punctuation():
    """Every msgid of the catalogue template (singular and plural) is already what
    french_spacing makes of it: typographic apostrophes between letters, a narrow no-break space
    before ; : ! ? » and after «. Code inside a message agrees by construction: a placeholder
    (`%(name)s`), an apostrophe that is not between letters (« (') », `='x'`), a colon or a
    question mark written without a space before it (« https:// », « ?lang= ») are left as
    they are. After adding messages, run /work/tr/punct.py (or french_spacing by hand), then
    `make translations`."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    pot = Path(__file__).parent.parent / "charter_service/translations/messages.pot"
    with pot.open("rb") as f:
        catalog = read_po(f)
    offending = [
        msgid for message in catalog if message.id
        for msgid in (message.id if isinstance(message.id, tuple) else (message.id,))
        if french_spacing(msgid) != msgid
    ]
    assert not offending, "msgids to write with French punctuation:\n" + "\n".join(
        f"  {msgid!r} → {french_spacing(msgid)!r}" for msgid in offending)
