"""The one guard for free text entered by people: what every form, search box, import and
service applies before a text is stored or searched.

Text is normalised (NFC, surrounding white space removed, CRLF -> LF in multi-line text), then
refused when it holds a character that cannot be seen or that changes how the text around it
is shown: control characters, bidi embeddings / overrides / isolates, unassigned, private-use
and surrogate code points; in names also zero-width characters, bidi marks and line or
paragraph separators. Such characters break e-mail headers, XML (Atom feed, XMP metadata),
PostgreSQL (NUL), or make one name look like another on an attestation.
"""

import enum
import re
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _

from .fonts import uncovered_characters


class TextKind(enum.Enum):
    LINE = "line"  # one line: a title, an address, a search
    NAME = "name"  # one line that identifies someone or something: stricter
    MULTILINE = "multiline"  # a description, a message: LF and TAB are text


class Problem(enum.Enum):
    CONTROL = "control"
    LINE_BREAK = "line_break"
    INVISIBLE = "invisible"
    UNASSIGNED = "unassigned"
    UNPRINTABLE = "unprintable"

    @property
    def label(self) -> str:
        return {
            Problem.CONTROL: _("caractère de contrôle"),
            Problem.LINE_BREAK: _("retour à la ligne"),
            Problem.INVISIBLE: _("caractère invisible ou de mise en forme"),
            Problem.UNASSIGNED: _("caractère non attribué ou à usage privé"),
            Problem.UNPRINTABLE: _("caractère absent des polices des PDF"),
        }[self]


BIDI_FORMATTING = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
NAME_INVISIBLE = frozenset(map(chr, [*range(0x200B, 0x2010), *range(0x2060, 0x2065), 0xFEFF,
                                     0x061C, 0x180E, 0x3164, 0xFFA0, 0x115F, 0x1160]))
LINE_BREAKS = frozenset("\r\n\u2028\u2029")
JOINERS = frozenset("\u200c\u200d")
MULTILINE_CONTROLS = frozenset("\n\t")
_LINE_BREAK = re.compile("\r\n|[\r\u2028\u2029]")
VIRAMA = 9  # canonical combining class of the viramas (Devanagari, Tamil, ...)


@dataclass(frozen=True)
class TextProblem:
    problem: Problem
    char: str

    @property
    def codepoint(self) -> str:
        return f"U+{ord(self.char):04X}"

    def message(self) -> str:
        """What the person who typed the text reads next to the field."""
        if self.problem is Problem.LINE_BREAK:
            return _("Ce champ tient sur une seule ligne : retirez le retour à la ligne "
                     "(%(codepoint)s).", codepoint=self.codepoint)
        if self.problem is Problem.UNASSIGNED:
            return _("Ce champ contient un caractère non reconnu ou à usage privé "
                     "(%(codepoint)s) : retirez-le.", codepoint=self.codepoint)
        if self.problem is Problem.UNPRINTABLE:
            return _("Ce champ contient un caractère que nos documents PDF ne savent pas "
                     "imprimer (%(codepoint)s) : retirez-le ou remplacez-le.",
                     codepoint=self.codepoint)
        return _("Ce champ contient un caractère invisible ou de contrôle (%(codepoint)s) : "
                 "retirez-le.", codepoint=self.codepoint)

    def describe(self) -> str:
        """For moderators' reports: « U+202E RIGHT-TO-LEFT OVERRIDE (caractère invisible…) »."""
        name = unicodedata.name(self.char, "")
        return " ".join(filter(None, (self.codepoint, name, f"({self.problem.label})")))


class UnsafeText(ValueError):
    def __init__(self, problem: TextProblem, where: str | None = None) -> None:
        super().__init__(f"{problem.message()} ({where})" if where else problem.message())
        self.problem = problem
        self.where = where


def normalise(text: str, kind: TextKind = TextKind.LINE) -> str:
    """NFC, surrounding white space removed; in multi-line text every line break becomes LF."""
    text = unicodedata.normalize("NFC", text)
    if kind is TextKind.MULTILINE:
        text = _LINE_BREAK.sub("\n", text)
    return text.strip()


def find_problem(text: str, kind: TextKind = TextKind.LINE) -> TextProblem | None:
    """The first character of `text` the guard refuses, or None; `text` as normalise() left it."""
    for index, char in enumerate(text):
        problem = _char_problem(text, index, char, kind)
        if problem is not None:
            return TextProblem(problem, char)
    return _font_problem(text)


def clean(text: str | None, kind: TextKind = TextKind.LINE, where: str | None = None) -> str:
    """The normalised text, or UnsafeText naming the first character refused (and `where`)."""
    text = normalise(text or "", kind)
    problem = find_problem(text, kind)
    if problem is not None:
        raise UnsafeText(problem, where)
    return text


def _char_problem(text: str, index: int, char: str, kind: TextKind) -> Problem | None:
    if char.isascii() and char.isprintable():
        return None  # the common case, quickly
    if char in LINE_BREAKS and kind is not TextKind.MULTILINE:
        return Problem.LINE_BREAK
    category = unicodedata.category(char)
    if category == "Cc":
        return None if kind is TextKind.MULTILINE and char in MULTILINE_CONTROLS \
            else Problem.CONTROL
    if char in BIDI_FORMATTING:
        return Problem.INVISIBLE
    if category in ("Cn", "Co", "Cs"):
        return Problem.UNASSIGNED
    if kind is TextKind.NAME and char in NAME_INVISIBLE and not _joins(text, index):
        return Problem.INVISIBLE
    return None


def _joins(text: str, index: int) -> bool:
    """A zero-width (non-)joiner that shapes the letters around it, as Hindi or Persian
    spelling and emoji sequences need (the contexts of RFC 5892, appendix A.1–A.2)."""
    if text[index] not in JOINERS or index == 0 or index == len(text) - 1:
        return False
    before, after = text[index - 1], text[index + 1]
    if unicodedata.combining(before) == VIRAMA:
        return True
    if text[index] == "\u200c":
        return _is_arabic_letter(before) and _is_arabic_letter(after)
    return _is_emoji_part(before) and unicodedata.category(after) == "So"


def _is_arabic_letter(char: str) -> bool:
    return unicodedata.category(char) == "Lo" and unicodedata.name(char, "").startswith(
        ("ARABIC", "SYRIAC", "NKO", "MANDAIC", "MONGOLIAN"))


def _is_emoji_part(char: str) -> bool:
    """An emoji, a skin-tone modifier or the emoji variation selector."""
    return unicodedata.category(char) in ("So", "Sk") or char == "\ufe0f"


def uncovered_by_pdf_fonts(text: str) -> list[str]:
    """The characters no font we ship can print (attestations and register PDFs use only
    those fonts); plain ASCII is covered, which spares most fields the font lookup."""
    if text.isascii():
        return []
    return uncovered_characters(text)


def _font_problem(text: str) -> TextProblem | None:
    uncovered = uncovered_by_pdf_fonts(text)
    return TextProblem(Problem.UNPRINTABLE, uncovered[0]) if uncovered else None
