"""The font programs a PDF embeds, read with pypdf and fontTools: what they cover, and whether
each is one of the fonts we ship (a host font would be another file: another name or date)."""

import re
from functools import cache
from io import BytesIO

from fontTools.ttLib import TTFont
from pypdf import PdfReader

from charter_service import fonts


def _program(font) -> TTFont:
    font = font.get_object()
    if font["/Subtype"] == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font["/FontDescriptor"].get_object()
    stream = descriptor.get("/FontFile2") or descriptor["/FontFile3"]
    return TTFont(BytesIO(stream.get_object().get_data()))


def embedded_fonts(pdf: bytes) -> dict[str, TTFont]:
    """Every embedded font program by PDF base font name, across all pages."""
    found = {}
    for page in PdfReader(BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            name = font.get_object()["/BaseFont"]
            if name not in found:
                found[name] = _program(font)
    return found


def _identity(font: TTFont) -> tuple:
    """What subsetting keeps of a font file: its names, version and creation date."""
    names = font["name"]
    return (names.getDebugName(1), names.getDebugName(2), font["head"].fontRevision,
            font["head"].created)


@cache
def shipped_identities() -> frozenset[tuple]:
    identities = set()
    for path in fonts.font_files():
        with TTFont(path, lazy=True) as font:
            identities.add(_identity(font))
    return frozenset(identities)


def foreign_fonts(pdf: bytes) -> list[str]:
    """The embedded fonts that are none of ours."""
    return [name for name, font in embedded_fonts(pdf).items()
            if _identity(font) not in shipped_identities()]


_BFCHAR = re.compile(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


def _to_unicode(font) -> dict[int, str]:
    """Glyph id → text from a Type0 font's /ToUnicode map (WeasyPrint writes Identity-H
    codes, one bfchar per glyph): how shaped glyphs (Arabic joining forms, Indic conjuncts),
    which the subset's cmap no longer lists, say which characters they print."""
    font = font.get_object()
    if font["/Subtype"] != "/Type0" or font["/Encoding"] != "/Identity-H":
        return {}
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    return {int(code, 16): bytes.fromhex(text).decode("utf-16-be")
            for code, text in _BFCHAR.findall(cmap.split("beginbfchar", 1)[-1])}


def embedded_coverage(pdf: bytes) -> set[str]:
    """The characters an embedded font prints with a real glyph: its subset's cmap, and the
    /ToUnicode text of every glyph other than .notdef (0) that its program holds."""
    covered = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            program = _program(font)
            covered.update(map(chr, program.getBestCmap() or {}))
            glyphs = program["maxp"].numGlyphs
            for glyph, text in _to_unicode(font).items():
                if 0 < glyph < glyphs:
                    covered.update(text)
    return covered


def printed_characters(text: str) -> set[str]:
    """The characters of `text` that need a glyph of their own."""
    return {char for char in text if not char.isspace() and char not in fonts.SHAPING_ONLY}
