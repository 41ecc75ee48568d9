"""Password strength: zxcvbn's estimate, taught French words and the AZERTY keyboard, reduced to
the one reason the forms explain in French."""

import enum
import re
import threading

from zxcvbn import matching, zxcvbn

# zxcvbn's score 3: about 10^8 guesses, out of reach of an online attack.
MIN_SCORE = 3
# zxcvbn refuses longer input; a password is at least as strong as its beginning.
JUDGED_LENGTH = 72
SEPARATORS = re.compile(r"[\s\-_.'’,;:]+")

# Frequent in French password leaks and missing from zxcvbn's English dictionaries.
FRENCH_WORDS = """
motdepasse azerty soleil bonjour bonsoir salut coucou merci jetaime amour amoureux doudou loulou
chouchou cheri cherie bisous bisou calin chaton chouette papillon poussin princesse louloute
chocolat vacances famille maison jardin bienvenue liberte egalite fraternite france paris
marseille lyon toulouse bordeaux nantes lille strasbourg bretagne normandie provence printemps
automne hiver noel janvier fevrier mars avril mai juin juillet aout septembre octobre novembre
decembre lundi mardi mercredi jeudi vendredi samedi dimanche maman papa bebe enfant garcon fille
nicolas julien thomas camille pierre marie sophie isabelle nathalie julie manon lucas mathieu
secret confidentiel utilisateur administrateur connexion compte bureau travail association
mairie commune entreprise societe partenaire engagement territoire territoires
""".split()
# Words of this service: the first an attacker tries on its accounts.
SERVICE_WORDS = """
charte alliance fairealliance chartedufairealliance fondation fondationdesterritoires
territoires signature signataire engagement engagements registre moderation
""".split()
# The French AZERTY keyboard, each key as its unshifted and shifted characters, in the layout
# zxcvbn's own adjacency graphs are built from (one row per line, each indented one step more).
AZERTY = r"""
   &1 é2 "3 '4 (5 -6 è7 _8 ç9 à0 )° =+
    aA zZ eE rR tT yY uU iI oO pP ^¨ $£
     qQ sS dD fF gG hH jJ kK lL mM ù% *µ
   <> wW xX cC vV bB nN ,? ;. :/ !§
"""


class PasswordProblem(enum.Enum):
    TOO_SHORT = "too_short"
    SAME_AS_EMAIL = "same_as_email"
    PERSONAL = "personal"
    SERVICE = "service"
    COMMON = "common"
    KEYBOARD = "keyboard"
    REPEAT = "repeat"
    SEQUENCE = "sequence"
    DATE = "date"
    GUESSABLE = "guessable"


_lock = threading.Lock()  # zxcvbn keeps the user inputs of a call in a module global
_taught = False


def _adjacency_graph(layout: str) -> dict[str, list[str | None]]:
    """Neighbours of each character in zxcvbn's order (left, up-left... as for its qwerty)."""
    positions = {}
    for y, line in enumerate(layout.split("\n")):
        for match in re.finditer(r"\S+", line):
            positions[((match.start() - (y - 1)) // 3, y)] = match.group()
    graph = {}
    for (x, y), keys in positions.items():
        around = [(x - 1, y), (x, y - 1), (x + 1, y - 1), (x + 1, y), (x, y + 1), (x - 1, y + 1)]
        for char in keys:
            graph[char] = [positions.get(place) for place in around]
    return graph


def _teach() -> None:
    global _taught
    if not _taught:
        matching.add_frequency_lists({"french": FRENCH_WORDS, "service": SERVICE_WORDS})
        matching.GRAPHS["azerty"] = _adjacency_graph(AZERTY)
        _taught = True


def _estimate(password: str, personal: list[str]) -> dict:
    with _lock:
        _teach()
        return zxcvbn(password, user_inputs=personal, max_length=JUDGED_LENGTH)


def personal_words(full_name: str | None, email: str | None) -> list[str]:
    """The name, the address and their parts, which an attacker who knows the person tries."""
    words = []
    for text in (full_name, email, (email or "").partition("@")[0]):
        if text:
            words.extend((text, SEPARATORS.sub("", text)))
            words.extend(part for part in re.split(r"[\W_]+", text) if len(part) >= 3)
    return words


def weakness(password: str, personal: list[str]) -> PasswordProblem | None:
    """Why the password is too easy to guess, or None: judged as typed and without its
    separators, since « mot de passe » is no stronger than « motdepasse »."""
    typed = password[:JUDGED_LENGTH]
    results = [_estimate(typed, personal)]
    compact = SEPARATORS.sub("", typed)
    if compact and compact != typed:
        results.append(_estimate(compact, personal))
    weakest = min(results, key=lambda result: result["guesses"])
    if weakest["score"] >= MIN_SCORE:
        return None
    return _reason(weakest["sequence"])


def _reason(sequence: list[dict]) -> PasswordProblem:
    dictionaries = {match.get("dictionary_name") for match in sequence}
    if "user_inputs" in dictionaries:
        return PasswordProblem.PERSONAL
    if "service" in dictionaries:
        return PasswordProblem.SERVICE
    patterns = [match for match in sequence if match["pattern"] != "bruteforce"]
    if not patterns:
        return PasswordProblem.GUESSABLE
    longest = max(patterns, key=lambda match: len(match["token"]))
    return {
        "dictionary": PasswordProblem.COMMON,
        "spatial": PasswordProblem.KEYBOARD,
        "repeat": PasswordProblem.REPEAT,
        "sequence": PasswordProblem.SEQUENCE,
        "regex": PasswordProblem.DATE,
        "date": PasswordProblem.DATE,
    }.get(longest["pattern"], PasswordProblem.GUESSABLE)
