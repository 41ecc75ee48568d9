"""The rules of the text guard (charter_service/text.py), against a literal table, and the check
that every free-text field of every form goes through it."""

import importlib
import pkgutil

import pytest
from wtforms import Form, StringField

import charter_service
from charter_service.text import TextKind, UnsafeText, clean
from charter_service.text_fields import _GuardedText

LINE, NAME, MULTILINE = TextKind.LINE, TextKind.NAME, TextKind.MULTILINE

# (text, kind, what clean() returns)
ACCEPTED = [
    ("  Saint-Étienne  ", LINE, "Saint-Étienne"),
    ("Zoe\u0301", NAME, "Zoé"),  # NFD in, NFC out
    ("Ligne 1\r\nLigne 2\rLigne 3\u2028fin", MULTILINE, "Ligne 1\nLigne 2\nLigne 3\nfin"),
    ("col 1\tcol 2", MULTILINE, "col 1\tcol 2"),
    ("Ελληνικά العربية 中文 हिन्दी ไทย", NAME, "Ελληνικά العربية 中文 हिन्दी ไทย"),
    ("क्\u200dष", NAME, "क्\u200dष"),  # ZWJ after a virama: Devanagari spelling
    ("می\u200cخواهم", NAME, "می\u200cخواهم"),  # ZWNJ between Persian letters
    ("👩🏽\u200d💼 👨\u200d👩\u200d👧", NAME, "👩🏽\u200d💼 👨\u200d👩\u200d👧"),  # emoji sequences
    ("thai\u200bword", LINE, "thai\u200bword"),  # zero-width space breaks Thai lines
    ("\u00adsoft hyphen", NAME, "\u00adsoft hyphen"),
]
# (text, kind, the code point named in the message)
REFUSED = [
    ("a\x00b", LINE, "U+0000"), ("a\x1bb", MULTILINE, "U+001B"), ("a\x08b", NAME, "U+0008"),
    ("a\x7fb", LINE, "U+007F"), ("a\x85b", MULTILINE, "U+0085"), ("a\x9fb", LINE, "U+009F"),
    ("a\tb", LINE, "U+0009"), ("a\r\nb", LINE, "U+000D"), ("a\nb", NAME, "U+000A"),
    ("a\u2028b", LINE, "U+2028"), ("a\u2029b", NAME, "U+2029"),
    ("a\u202ab", MULTILINE, "U+202A"), ("a\u202eb", NAME, "U+202E"),
    ("a\u2066b", LINE, "U+2066"), ("a\u2069b", MULTILINE, "U+2069"),
    ("a\u200bb", NAME, "U+200B"), ("a\u200db", NAME, "U+200D"), ("a\u200cb", NAME, "U+200C"),
    ("a\u200eb", NAME, "U+200E"), ("a\u200fb", NAME, "U+200F"), ("a\u2060b", NAME, "U+2060"),
    ("a\ufeffb", NAME, "U+FEFF"), ("\u200d💼", NAME, "U+200D"),
    ("a\u0378b", LINE, "U+0378"), ("a\ue000b", MULTILINE, "U+E000"),
    ("a\U000f0000b", NAME, "U+F0000"), ("a\ud800b", LINE, "U+D800"),
]


@pytest.mark.parametrize(("value", "kind", "expected"), ACCEPTED)
def test_accepted_text_is_normalised(value, kind, expected):
    assert clean(value, kind) == expected


@pytest.mark.parametrize(("value", "kind", "codepoint"), REFUSED)
def test_refused_text_names_the_character(app, value, kind, codepoint):
    with pytest.raises(UnsafeText) as refused:
        clean(value, kind)
    assert refused.value.problem.codepoint == codepoint
    assert f"({codepoint})" in str(refused.value)


# Text fields that are not free text: parsed by a pattern, a number or an e-mail address.
NOT_FREE_TEXT = {
    ("OrganisationForm", "identifier"), ("OrganisationForm", "rna"),
    ("OrganisationForm", "postcode"), ("IndicatorRowForm", "target"),
    ("ResourceRowForm", "amount"),
    ("PrincipleForm", "code"), ("LookupForm", "numero"),
}


def _forms():
    for module_info in pkgutil.walk_packages(charter_service.__path__, "charter_service."):
        if module_info.name.endswith(".forms"):
            module = importlib.import_module(module_info.name)
            yield from (value for value in vars(module).values()
                        if isinstance(value, type) and issubclass(value, Form)
                        and value.__module__ == module.__name__)


def test_every_free_text_field_of_every_form_is_guarded():
    unguarded = []
    for form in _forms():
        for name in dir(form):
            field = getattr(form, name)
            field_class = getattr(field, "field_class", None)
            if (isinstance(field_class, type) and issubclass(field_class, StringField)
                    and "Email" not in field_class.__name__
                    and not issubclass(field_class, _GuardedText)
                    and field_class.__module__.startswith("wtforms.fields")
                    and field_class.__name__ not in ("HiddenField", "PasswordField")
                    and (form.__name__, name) not in NOT_FREE_TEXT):
                unguarded.append(f"{form.__module__}.{form.__name__}.{name}")
    assert unguarded == []
