"""Document numbers « PREFIX-YYYY-NNNNNN » (attestations CFA-, annual reports RAA-), read
however loosely people type them: « cfa 2026 13 », « CFA-2026-13 », « CFA_2026.000013 »,
« CFA2026000013 »."""

import re
import unicodedata
from functools import cache

_SEPARATORS = r"[\s\-_./\u2010-\u2015\u2212]"


@cache
def _loose(prefix: str) -> re.Pattern:
    return re.compile(rf"{prefix}{_SEPARATORS}*(\d{{4}})(?:{_SEPARATORS}+(\d{{1,6}})|(\d{{6}}))",
                      re.ASCII)


def canonical(prefix: str, text: str | None) -> str | None:
    """The number « PREFIX-2026-000013 » however loosely `text` typed it; None if it is not
    one of that series."""
    if text is None or len(text) > 60:
        return None
    found = _loose(prefix).fullmatch(unicodedata.normalize("NFKC", text).strip().upper())
    if found is None:
        return None
    year, serial = found.group(1), found.group(2) or found.group(3)
    return f"{prefix}-{year}-{int(serial):06d}"
