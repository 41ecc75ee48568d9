"""What changed between two charter versions: principles matched by code, texts word by word."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..charters.models import CharterVersion, Principle

WORD = re.compile(r"\s*\S+\s*|\s+")


@dataclass(frozen=True)
class TextDiff:
    """The old text with <del> marks and the new text with <ins> marks, escaped."""

    old: Markup
    new: Markup
    changed: bool


@dataclass(frozen=True)
class PrincipleDiff:
    code: str
    kind: str  # "added", "removed", "changed" or "unchanged"
    old: Principle | None
    new: Principle | None
    title: TextDiff | None = None
    text: TextDiff | None = None
    section_changed: bool = False


@dataclass(frozen=True)
class VersionDiff:
    old: CharterVersion
    new: CharterVersion
    title: TextDiff
    preamble: TextDiff
    principles: list[PrincipleDiff]

    def of_kind(self, kind: str) -> list[PrincipleDiff]:
        return [p for p in self.principles if p.kind == kind]


def word_diff(old: str, new: str) -> TextDiff:
    """Compare word by word; the spaces and line breaks around a word travel with it."""
    old_words, new_words = WORD.findall(old), WORD.findall(new)
    matcher = SequenceMatcher(None, [w.strip() for w in old_words],
                              [w.strip() for w in new_words], autojunk=False)
    old_parts, new_parts = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old_words[i1:i2]), "".join(new_words[j1:j2])
        if tag == "equal":
            old_parts.append(escape(removed))
            new_parts.append(escape(added))
            continue
        if removed:
            old_parts.append(_marked("del", removed, _("texte supprimé")))
        if added:
            new_parts.append(_marked("ins", added, _("texte ajouté")))
    return TextDiff(Markup("").join(old_parts), Markup("").join(new_parts), old != new)


_MARKS = {
    "del": Markup('<del><span class="visually-hidden">[{label} : </span>{words}'
                  '<span class="visually-hidden">]</span></del>{space}'),
    "ins": Markup('<ins><span class="visually-hidden">[{label} : </span>{words}'
                  '<span class="visually-hidden">]</span></ins>{space}'),
}


def _marked(tag: str, text: str, label: str) -> Markup:
    """<del>/<ins> carry the meaning; screen readers that ignore them still hear the label.
    The trailing space stays outside, so that only words are underlined or struck."""
    words = text.rstrip()
    return _MARKS[tag].format(label=label, words=words, space=text[len(words):])


def compare(old: CharterVersion, new: CharterVersion) -> VersionDiff:
    old_by_code = {p.code: p for p in old.principles}
    new_codes = {p.code for p in new.principles}
    principles = [_principle_diff(old_by_code.get(p.code), p) for p in new.principles]
    principles += [_principle_diff(p, None) for p in old.principles if p.code not in new_codes]
    return VersionDiff(old, new, word_diff(old.title, new.title),
                       word_diff(old.preamble, new.preamble), principles)


def _principle_diff(old: Principle | None, new: Principle | None) -> PrincipleDiff:
    if old is None:
        return PrincipleDiff(new.code, "added", None, new)
    if new is None:
        return PrincipleDiff(old.code, "removed", old, None)
    title, text = word_diff(old.title, new.title), word_diff(old.text, new.text)
    section_changed = old.section != new.section
    changed = title.changed or text.changed or section_changed
    return PrincipleDiff(new.code, "changed" if changed else "unchanged", old, new, title, text,
                         section_changed)
