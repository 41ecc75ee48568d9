"""WTForms fields that pass what people type through the text guard (`text.py`): the value is
normalised as it is read, and a refused character stops validation with a message on the field."""

from wtforms import SearchField, StringField, TextAreaField, URLField
from wtforms.validators import StopValidation

from .text import TextKind, find_problem, normalise


class _GuardedText:
    kind = TextKind.LINE

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = normalise(self.data, self.kind)

    def pre_validate(self, form) -> None:
        super().pre_validate(form)
        problem = find_problem(self.data, self.kind) if isinstance(self.data, str) else None
        if problem is not None:
            raise StopValidation(problem.message())


class OneLineText(_GuardedText, StringField):
    """A title, an address, a function, a link."""


class NameText(_GuardedText, StringField):
    """A name that identifies a person, an organisation or a place: no invisible character."""

    kind = TextKind.NAME


class MultiLineText(_GuardedText, TextAreaField):
    """A description or a message: line breaks (stored as LF) and tabs are text."""

    kind = TextKind.MULTILINE


class URLText(_GuardedText, URLField):
    """A web address typed by a person."""


class SearchText(_GuardedText, SearchField):
    """A search box of a GET form."""
