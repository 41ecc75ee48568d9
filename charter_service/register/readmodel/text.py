"""Folding of names for the register's order and full-text search: lower-case ASCII words."""

import re
import unicodedata

_NOT_WORD = re.compile(r"[^a-z0-9]+")
# Letters NFKD does not decompose into ASCII.
_EXTRA = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l",
                        "Æ": "AE", "Œ": "OE", "Ø": "O", "Đ": "D", "Ł": "L"})


def fold(text: str) -> str:
    """'Saint-Étienne  Œuvre' -> 'saint etienne oeuvre'."""
    ascii_text = (unicodedata.normalize("NFKD", text.translate(_EXTRA))
                  .encode("ascii", "ignore").decode().lower())
    return _NOT_WORD.sub(" ", ascii_text).strip()


def words(text: str, limit: int = 8) -> list[str]:
    """The distinct folded words of a search, at most `limit` of them, in order."""
    seen: list[str] = []
    for word in fold(text).split():
        if word not in seen:
            seen.append(word[:40])
        if len(seen) == limit:
            break
    return seen
