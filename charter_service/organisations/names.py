"""An organisation's name as the duplicate check compares it, and the index that finds the
names close to one without reading a whole département.

The moderation queue flags two organisations of one département whose normalised names have a
difflib ratio ≥ SIMILARITY_THRESHOLD (T). The ratio is 2·M / (la + lb), M the characters of the
matching blocks, so:

- a length window: M ≤ min(la, lb) gives T·(la + lb) ≤ 2·min(la, lb), so lb lies within
  [la·T / (2 − T), la·(2 − T) / T];
- shared bigrams: the blocks are common substrings, each of length L holding L − 1 bigrams
  found in both names; between two blocks at least one character of a name is unmatched, so
  there are B ≤ U + 1 blocks, U = la + lb − 2·M the unmatched characters. The names then share
  at least M − B ≥ 3·M − (la + lb) − 1 ≥ (1.5·T − 1)·(la + lb) − 1 bigrams (counted with their
  multiplicity: the k-th "ab" of a name is stored as "ab#k"). With T = 0.85 that bound is
  positive from la + lb ≥ 4 on, that is for every key of two characters or more (see
  `shared_bigrams_needed`); a one-character key is close only to itself (its window is {1}).

`OrganisationNameGram` holds one row per bigram, keyed by (département, bigram, key length):
a candidate is an organisation of the département in the length window sharing at least that
many bigrams, counted by the database from the index alone; difflib then decides on the few
candidates exactly as before, so the warnings are the same as with a scan of the département.
The look-up leaves out the few most common bigrams of the key (their postings are the long
ones) and asks for as many fewer in common: fewer than the bound, so that every candidate
still shares one of the bigrams looked up (`probe`).
Plain B-tree indexes: the same on SQLite and PostgreSQL, no extension. Words would not do (one
letter off in a one-word name shares none) and trigrams need 5·M − 2·(la + lb) − 2 shared,
which is no bound at all below ~17 characters.
"""

import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache

SIMILARITY_THRESHOLD = 0.85
# Words that say what an organisation is rather than which one it is.
_NOISE_WORDS = frozenset({
    "association", "asso", "assoc", "sas", "sasu", "sarl", "sa", "eurl", "eirl", "sci", "scop",
    "scic", "sem", "spl", "gie", "commune", "ville", "mairie",
    "de", "du", "des", "d", "la", "le", "les", "l", "et",
})
_NOT_WORD = re.compile(r"[\W_]+")
# Below the exact lower bound by this much, so that float rounding never loses a pair.
_ROUNDING = 1e-6
# The most frequent bigrams of French names, most frequent first: their postings are the long
# ones, so the look-up skips a few of them (and asks for as many fewer shared bigrams).
_COMMON = ("e ", "es", "s ", " d", "de", "en", "re", "le", "on", "nt", "er", "te", " s", "t ",
           " c", " l", "an", "ne", "ai", "ie", "se", "in", "ra", "ti", "la", "it", " p", "ou",
           "ri", "ur", "ar", "me", "un", "el", "is", "or", "at", "co", "n ", "ve", "et", "st",
           " m", "io", "r ", "ce", "a ", "us", "ss", "ll", "li", " e", "ro", "ch", " a", "nd")
_RANK = {gram: rank for rank, gram in enumerate(_COMMON)}
_SKIPPED_SHARE = 0.2


@lru_cache(maxsize=65536)
def normalised_name(name: str) -> str:
    """Accent-, case- and punctuation-insensitive, without legal forms: what identifies it."""
    folded = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    words = [w for w in _NOT_WORD.sub(" ", plain).split() if w not in _NOISE_WORDS]
    return " ".join(words)


def bigrams(key: str) -> list[str]:
    """The key's bigrams, the k-th occurrence of one marked "#k" (k ≥ 2): a set whose
    intersection with another key's counts shared bigrams with their multiplicity."""
    seen: Counter = Counter()
    found = []
    for i in range(len(key) - 1):
        gram = key[i:i + 2]
        seen[gram] += 1
        found.append(gram if seen[gram] == 1 else f"{gram}#{seen[gram]}")
    return found


def length_window(length: int) -> tuple[int, int]:
    """The key lengths that a key of `length` characters can be similar to."""
    t = SIMILARITY_THRESHOLD
    low = length * t / (2 - t) - _ROUNDING
    high = length * (2 - t) / t + _ROUNDING
    return max(1, math.ceil(low)), math.floor(high)


def probe(key: str) -> tuple[list[str], int]:
    """The bigrams to look up for `key`, and how many of its bigrams are left out: the most
    common ones, fewer than the bigrams a candidate shares at the least, so that every
    candidate still shares one of those looked up (and `skipped` fewer than the bound)."""
    grams = sorted(set(bigrams(key)), key=lambda g: _RANK.get(g.partition("#")[0], 999))
    low, _ = length_window(len(key))
    least = math.ceil(shared_bigrams_needed(len(key) + low)) - 1
    common = sum(1 for g in grams if g.partition("#")[0] in _RANK)
    skipped = max(0, min(int(len(grams) * _SKIPPED_SHARE), least, common))
    return sorted(grams[skipped:]), skipped


def shared_bigrams_needed(total_length: float) -> float:
    """A lower bound of the bigrams two similar keys share, from the sum of their lengths."""
    return (1.5 * SIMILARITY_THRESHOLD - 1) * total_length - 1 - _ROUNDING


def gram_rows(organisation_id: int, key: str, departement_code: str) -> list[dict]:
    """The index rows of one key, for bulk writes (the migration's back-fill, bench data)."""
    return [{"organisation_id": organisation_id, "gram": gram,
             "departement_code": departement_code, "name_length": len(key)}
            for gram in bigrams(key)]
