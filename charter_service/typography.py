"""French typography in one place: the preposition before an organisation's name, and the
spaces and apostrophes of French text.

« de » and « à » take the name's article: a name that starts with a common noun has one
(« de l’Association Les Amis », « du Département du Rhône », « à la Ville de Lyon »), a name
that starts with its own article contracts with it (« du Relais », « aux Amis de la Terre »),
and a proper name takes none (« de Renault », « d’Orange »). In English the same filters give
« of X » and « to X », so that one message serves both languages:
`_("Engagements %(of_name)s", of_name=of(name))` → « Engagements de l’Association X »,
« Commitments of Association X ».
"""

import re
import unicodedata

from flask_babel import get_locale

APOSTROPHE = "\u2019"
NNBSP = "\u202f"  # narrow no-break space, before ; : ! ? » and after «

# The common nouns an organisation's name starts with, and their gender: they take the article.
FEMININE = frozenset("""
    agence amicale association banque caisse chambre clinique communauté commune compagnie
    confédération coopérative délégation direction école entreprise fédération fondation
    fabrique ferme galerie grande ligue maison mairie métropole mission mutuelle préfecture
    région régie résidence scop scic société structure union université ville
""".split())
MASCULINE = frozenset("""
    atelier bureau cabinet centre cercle club collectif collège comité conseil conservatoire
    département domaine établissement foyer fonds garage groupe groupement gip hôpital institut
    laboratoire lycée musée observatoire office parc pays pôle réseau secours service syndicat
    théâtre
""".split())
# Words starting with an h that does not let the article elide (« du Hameau », « le Haut »).
ASPIRATED_H = frozenset("hameau halle halles hangar haut haute hautes hauts".split())
_OWN_ARTICLE = re.compile(r"^(?:(les|le|la)\s+|(l['\u2019]))(?=\S)", re.IGNORECASE)
_VOWELS = "aeiouyh"


def _name(value) -> str:
    return str(getattr(value, "name", value) or "").strip()


def _first_word(name: str) -> str:
    return re.split(r"[\s'\u2019\-,]", name, maxsplit=1)[0].lower()


def _elides(word: str) -> bool:
    bare = unicodedata.normalize("NFD", word.lower())[:1]
    return bool(bare) and bare in _VOWELS and word.lower() not in ASPIRATED_H


def _split_article(name: str) -> tuple[str, str]:
    """(article, rest): the article that `name` takes or carries (« le », « la », « l’ »,
    « les » or none), and the name without its own article."""
    own = _OWN_ARTICLE.match(name)
    if own:
        article = (own.group(1) or own.group(2)).lower().replace("'", APOSTROPHE)
        rest = name[own.end():]
        # « La Poste », « L’Oréal »: an article written with a capital belongs to the name.
        if article in ("la", "l" + APOSTROPHE):
            return "", name
        return article, rest
    word = _first_word(name)
    if word[-1:] in ("s", "x") and (word[:-1] in FEMININE or word[:-1] in MASCULINE):
        return "les", name  # « des Ateliers du Rhône », « aux Bureaux … »
    if word in FEMININE or word in MASCULINE:
        if _elides(word):
            return "l" + APOSTROPHE, name
        return ("la" if word in FEMININE else "le"), name
    return "", name


def _french(name: str, preposition: str) -> str:
    article, rest = _split_article(name)
    contracted = {("de", "le"): "du", ("de", "les"): "des",
                  ("à", "le"): "au", ("à", "les"): "aux"}.get((preposition, article))
    if contracted:
        return f"{contracted} {rest}"
    if article:
        joiner = "" if article.endswith(APOSTROPHE) else " "
        return f"{preposition} {article}{joiner}{rest}"
    if preposition == "de" and _elides(_first_word(rest)):
        return f"d{APOSTROPHE}{rest}"
    return f"{preposition} {rest}"


def _english() -> bool:
    locale = get_locale()
    return locale is not None and locale.language == "en"


def of(value) -> str:
    """« de » before a name, elided or contracted (« de l’Association X », « du Relais »,
    « d’Orange »); « of X » in English."""
    name = _name(value)
    return f"of {name}" if _english() else _french(name, "de")


def to(value) -> str:
    """« à » before a name, contracted (« au Département du Rhône », « à l’Association X »);
    « to X » in English."""
    name = _name(value)
    return f"to {name}" if _english() else _french(name, "à")


_SPACE_BEFORE = re.compile(r"[ \u00a0\u202f]+(?=[;:!?»])")
_NO_SPACE_BEFORE_CLOSING = re.compile(r"(?<=\S)»")
_SPACE_AFTER_OPENING = re.compile(r"«[ \u00a0\u202f]*")
_STRAIGHT = re.compile(r"(?<=\w)'(?=\w)")


def french_spacing(text: str) -> str:
    """French punctuation of a text: the space before ; : ! ? » and after « made a narrow
    no-break space (added inside guillemets where missing), typographic apostrophes between
    letters. A colon or question mark written without a space (« http:// », « 10:30 »,
    « ?lang= ») stays as it is."""
    text = _STRAIGHT.sub(APOSTROPHE, text)
    text = _SPACE_BEFORE.sub(NNBSP, text)
    text = _NO_SPACE_BEFORE_CLOSING.sub(NNBSP + "»", text)
    return _SPACE_AFTER_OPENING.sub("«" + NNBSP, text)


def register(app) -> None:
    app.add_template_filter(of, "de")
    app.add_template_filter(to, "a")
