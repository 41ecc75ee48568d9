"""The register PDF's rows as lines of fixed-width columns, every value in full.

Widths are counted in cells of the monospaced face (register.css): a character of that face
takes one cell, an East Asian wide one two, a combining mark none, and a character set in a
fallback face as many as its advance needs. A value longer than its column wraps onto
continuation lines (at spaces where it can); a cell holding anything but plain monospaced text
is an inline block exactly as wide as its column, so the next column starts where it should
whatever the fallback font's real advances are.
"""

import unicodedata
from functools import cache

from markupsafe import Markup, escape

from ... import fonts

SEPARATOR = Markup("  ")
_ZERO_WIDTH = ("Mn", "Me", "Cf")


@cache
def _mono_advance() -> float:
    return fonts.advance("0")


@cache
def _char_cells(char: str) -> float:
    if unicodedata.category(char) in _ZERO_WIDTH or char in fonts.SHAPING_ONLY:
        return 0.0
    if fonts.is_mono(char):
        return 1.0
    measured = fonts.advance(char) / _mono_advance() or 1.0
    wide = unicodedata.east_asian_width(char) in ("W", "F")
    return max(measured, 2.0) if wide else measured


@cache
def _plain(char: str) -> bool:
    """A character that fills exactly one cell of the monospaced face."""
    return _char_cells(char) == 1.0 and fonts.is_mono(char)


def cells(text: str) -> float:
    if all(map(_plain, text)):
        return len(text)
    return sum(map(_char_cells, text))


def _split_word(word: str, width: int) -> tuple[str, str]:
    """The longest head of `word` that fits `width` cells (at least one character), never
    separating a character from the marks and joiners that follow it."""
    used, end = 0.0, 0
    while end < len(word):
        step = end + 1
        while step < len(word) and (_char_cells(word[step]) == 0 or word[step - 1] == "\u200d"):
            step += 1
        piece = cells(word[end:step])
        if end and used + piece > width:
            break
        used, end = used + piece, step
    return word[:end], word[end:]


def wrap(text: str, width: int) -> list[str]:
    """`text` on as many lines of at most `width` cells as it needs; one line at least."""
    lines, line, used = [], "", 0.0
    for word in " ".join(text.split()).split(" "):
        size = cells(word)
        if line and used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
            continue
        if line:
            lines.append(line)
        while size > width:
            head, word = _split_word(word, width)
            lines.append(head)
            size = cells(word)
        line, used = word, size
    lines.append(line)
    return lines


def cell(text: str, width: int, right: bool = False) -> Markup:
    """One line of a column: padded text, or an inline block `width` cells wide."""
    if all(map(_plain, text)):
        return escape(text.rjust(width) if right else text.ljust(width))
    return Markup('<span class="cell" style="width:{}ch">{}</span>').format(width, text)


def lines(values: list[str], widths: list[int], rights: list[bool]) -> list[Markup]:
    """One row as one line per line of its tallest value."""
    wrapped = [wrap(value, width) for value, width in zip(values, widths, strict=True)]
    height = max(map(len, wrapped))
    return [SEPARATOR.join(
        cell(column[index] if index < len(column) else "", width, right)
        for column, width, right in zip(wrapped, widths, rights, strict=True)).rstrip()
        for index in range(height)]
