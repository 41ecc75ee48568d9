"""The fonts the PDFs are set in (pdf_templates/fonts/), and which characters they can print.

A low-level module: no Flask, only fontTools, so that the input guard, the PDF renderers and
the tests can all ask it. WeasyPrint knows no host font (rendering.py), so a
character that no file here covers would print as an empty box.
"""

import unicodedata
from functools import cache
from pathlib import Path

from .paths import PDF_TEMPLATES_DIR

FONTS_DIR = PDF_TEMPLATES_DIR / "fonts"
# The monospaced face of the register's rows, then the order of every font-family stack after
# its Latin face (pdf_templates/fonts.css; tests/certificates/test_fonts_stacks.py checks both).
MONO = "NotoSansMono-Regular.ttf"
FALLBACKS = ("NotoSansArabic-Regular.ttf", "NotoSansHebrew-Regular.ttf",
             "NotoSansDevanagari-Regular.ttf", "NotoSansBengali-Regular.ttf",
             "NotoSansTamil-Regular.ttf", "NotoSansThai-Regular.ttf",
             "NotoSansArmenian-Regular.ttf", "NotoSansGeorgian-Regular.ttf",
             "NotoSansEthiopic-Regular.ttf", "NotoSansCJKsc-Regular-subset.otf",
             "NotoEmoji-Regular.ttf")
# Joiners and variation selectors: shaping folds them into the glyph of their neighbours.
SHAPING_ONLY = frozenset({"\u200c", "\u200d", "\u034f", *map(chr, range(0xFE00, 0xFE10))})


def font_files() -> list[Path]:
    return sorted(path for path in FONTS_DIR.iterdir() if path.suffix in (".ttf", ".otf"))


def _open(name: str):
    from fontTools.ttLib import TTFont

    return TTFont(FONTS_DIR / name, lazy=True)


@cache
def _cmap(name: str) -> dict[int, str]:
    with _open(name) as font:
        return font.getBestCmap()


@cache
def _advances(name: str) -> dict[str, float]:
    """Glyph name → advance in ems, for the glyphs the cmap reaches."""
    with _open(name) as font:
        metrics, em = font["hmtx"], font["head"].unitsPerEm
        return {glyph: metrics[glyph][0] / em for glyph in set(font.getBestCmap().values())}


@cache
def covered_codepoints() -> frozenset[int]:
    """Every code point that at least one shipped font maps to a glyph (read once)."""
    covered: set[int] = set()
    for path in font_files():
        covered.update(_cmap(path.name))
    return frozenset(covered)


def _needs_a_glyph(char: str) -> bool:
    return not char.isspace() and char not in SHAPING_ONLY


def uncovered_characters(text: str) -> list[str]:
    """The characters of `text` that no shipped font covers, each once, in order."""
    covered = covered_codepoints()
    found: dict[str, None] = {}
    for char in text:
        if ord(char) not in covered and _needs_a_glyph(char):
            found[char] = None
    return list(found)


def advance(char: str) -> float:
    """The advance of `char` in ems, in the first font of the register's stack that covers it
    (the monospaced face, then the fallbacks); 0 for a character none covers."""
    for name in (MONO, *FALLBACKS):
        glyph = _cmap(name).get(ord(char))
        if glyph is not None:
            return _advances(name)[glyph]
    return 0.0


def is_mono(char: str) -> bool:
    """Whether the register's monospaced face has `char`, so that it fills exactly one cell."""
    return ord(char) in _cmap(MONO) and unicodedata.east_asian_width(char) not in ("W", "F")
