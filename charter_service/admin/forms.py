from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    Form,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Regexp,
)
from wtforms.validators import Optional as OptionalValue

from ..accounts.models import Role
from ..charters.models import Section
from ..charters.services import CODE_PATTERN
from ..idempotency.forms import IdempotentForm
from ..signatures.forms import human_size
from ..text_fields import MultiLineText, OneLineText, SearchText

UPLOAD_MAX_BYTES = 128 * 1024
MAX_POSITION = 999


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def upload_limit() -> int:
    return int(current_app.config.get("CHARTER_UPLOAD_MAX_BYTES", UPLOAD_MAX_BYTES))


class UserSearchForm(Form):
    """A GET form: nothing changes, so no CSRF token."""

    email = SearchText(_l("Adresse e-mail (ou une partie)"),
                        validators=[OptionalValue(), Length(max=254, message=_l(
                            "254 caractères au plus."))])


class RoleForm(FlaskForm):
    role = SelectField(_l("Rôle"), choices=[SelectChoice(role.value, role.label)
                                            for role in Role],
                       validators=[InputRequired(_l("Choisissez un rôle."))],
                       invalid_choice_message=_l("Choisissez un rôle de la liste."))
    email = HiddenField()  # the search to show again after the change


class ConfirmForm(FlaskForm):
    """A button whose only field is the CSRF token."""


class CopyForm(IdempotentForm, FlaskForm):
    """The button that copies the published version into a new draft."""


class UploadForm(IdempotentForm, FlaskForm):
    charter_file = FileField(
        _l("Fichier de la charte (YAML)"),
        validators=[FileRequired(_l("Choisissez un fichier YAML."))],
        render_kw={"accept": ".yaml,.yml,application/yaml,text/yaml"})

    def read_content(self) -> bytes | None:
        """The file's bytes, or None with an error on the field when it is too large."""
        limit = upload_limit()
        content = self.charter_file.data.stream.read(limit + 1)
        if len(content) > limit:
            self.charter_file.errors.append(
                _("Le fichier dépasse la taille autorisée (%(size)s).", size=human_size(limit)))
            return None
        return content


class DraftForm(FlaskForm):
    title = OneLineText(_l("Titre de la version"), validators=[
        DataRequired(_l("Indiquez le titre de la version.")),
        Length(max=200, message=_l("200 caractères au plus."))])
    preamble = MultiLineText(_l("Préambule (Markdown)"), validators=[
        Length(max=50_000, message=_l("50 000 caractères au plus."))],
        render_kw={"rows": 12})
    is_demonstration = BooleanField(_l("Texte de démonstration (affiche un bandeau « Texte de "
                                       "démonstration » au-dessus de la charte)"))


class PrincipleForm(IdempotentForm, FlaskForm):
    code = StringField(_l("Code"), filters=[_strip], validators=[
        DataRequired(_l("Indiquez un code, par exemple P1.")),
        Length(max=10, message=_l("10 caractères au plus.")),
        Regexp(CODE_PATTERN.pattern + r"\Z", message=_l(
            "Lettres, chiffres, points ou tirets, en commençant par une lettre ou un chiffre."))])
    section = SelectField(_l("Section"), choices=[SelectChoice(s.value, s.label)
                                                  for s in Section],
                          validators=[InputRequired(_l("Choisissez une section."))],
                          invalid_choice_message=_l("Choisissez une section de la liste."))
    title = OneLineText(_l("Titre"), validators=[
        DataRequired(_l("Indiquez le titre du principe.")),
        Length(max=200, message=_l("200 caractères au plus."))])
    text = MultiLineText(_l("Texte"), validators=[
        DataRequired(_l("Indiquez le texte du principe.")),
        Length(max=10_000, message=_l("10 000 caractères au plus."))],
        render_kw={"rows": 4})
    position = IntegerField(_l("Position"), validators=[
        InputRequired(_l("Indiquez la position du principe (1 pour le premier).")),
        NumberRange(min=1, max=MAX_POSITION, message=_l(
            "Indiquez un nombre entre 1 et %(max)s.", max=MAX_POSITION))],
        invalid_value_message=_l("Indiquez un nombre entier."))

    def principle_data(self) -> dict:
        return {"code": self.code.data, "section": Section(self.section.data),
                "title": self.title.data, "text": self.text.data,
                "position": self.position.data}


def _version_select(label) -> SelectField:
    wrong = _l("Choisissez une version de la liste.")
    return SelectField(label, coerce=int, validators=[InputRequired(_l("Choisissez une version."))],
                       invalid_value_message=wrong, invalid_choice_message=wrong)


class DiffForm(Form):
    """A GET form: the two versions to compare."""

    de = _version_select(_l("Version de départ"))
    a = _version_select(_l("Version d’arrivée"))

    def __init__(self, formdata, numbers: list[int], **defaults) -> None:
        super().__init__(formdata, **defaults)
        for select in (self.de, self.a):
            select.choices = [SelectChoice(n, _("Version %(number)s", number=n))
                              for n in numbers]
