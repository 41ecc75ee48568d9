"""The register's selection arguments (`q`, `type`, `region`, …), validated once for every
edge: the page, the exports, the API (whose OpenAPI document lists them from this schema) and
the command line. Each refused value gets one French message and is left out; the rest of the
selection still applies where the edge allows it (the page does, the others refuse)."""

from collections.abc import Mapping
from datetime import date

from flask_babel import lazy_gettext as _l
from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates_schema,
)

from .. import text
from ..commitments.models import Category
from ..commitments.reporting import ReportStatus
from ..commitments.sdgs import SDG_NUMBERS
from ..organisations import geo
from ..organisations.models import OrganisationKind
from ..parsing import natural
from .queries import Selection

MAX_Q = 200
SORTS = ("nom", "date")
SDG_MESSAGE = _l("L’ODD doit être un nombre entier entre 1 et 17.")
DATES_MESSAGE = _l("La date « depuis » est postérieure à la date « jusqu’à ».")


class _Translated:
    """Error messages written with lazy_gettext, translated when the error happens
    (marshmallow formats only plain strings)."""

    error_messages: dict

    def make_error(self, key: str, **_kwargs) -> ValidationError:
        return ValidationError(str(self.error_messages[key]))


class Search(fields.String):
    """Free text through the text guard (normalised, no control or bidi characters)."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        try:
            return text.clean(super()._deserialize(value, attr, data, **kwargs))
        except text.UnsafeText as exc:
            raise ValidationError(str(_l("Recherche ignorée : %(problem)s",
                                         problem=exc.problem.message()))) from exc


class Code(fields.String):
    """An INSEE code, in capitals (« 2a » is Corse-du-Sud)."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return super()._deserialize(value, attr, data, **kwargs).upper()


class Natural(_Translated, fields.Integer):
    """A whole number in ASCII digits only (int() also takes « ٣ »)."""

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        number = natural(str(value))
        if number is None:
            raise self.make_error("invalid")
        return number


class IsoDate(_Translated, fields.Date):
    """AAAA-MM-JJ and nothing else (fromisoformat also takes 20261130)."""

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        try:
            if isinstance(value, str) and len(value) == 10:
                return date.fromisoformat(value)
        except ValueError:
            pass
        raise self.make_error("invalid")


class Choice(_Translated, fields.Enum):
    """One of an enum's values (the OpenAPI document lists them)."""

    def __init__(self, enum_class, message, **options) -> None:
        super().__init__(enum_class, by_value=fields.String, error_messages={"unknown": message},
                         **options)


class SelectionSchema(Schema):
    """Query arguments → `queries.Selection`; a blank argument (``?type=``) means no filter."""

    class Meta:
        unknown = EXCLUDE

    q = Search(load_default="", validate=validate.Length(max=MAX_Q, error=_l(
        "La recherche est limitée à %(max)d caractères.", max=MAX_Q)), metadata={
        "description": "recherche sur le nom et la commune, sans tenir compte des accents ni "
                       "des majuscules (début des mots)"})
    kind = Choice(OrganisationKind, _l("Type d’organisation inconnu."), data_key="type",
                  metadata={"description": "type d’organisation"})
    region = Code(validate=validate.OneOf(sorted(geo.regions()), error=_l(
        "Région inconnue : donnez son code INSEE, par exemple 84.")), metadata={
        "description": "code INSEE de la région, par exemple 84"})
    departement = Code(validate=validate.OneOf(sorted(geo.departements()), error=_l(
        "Département inconnu : donnez son code, par exemple 69 ou 2A.")), metadata={
        "description": "code du département, par exemple 69, 2A ou 971"})
    sdg = Natural(data_key="odd", validate=validate.Range(
        min=SDG_NUMBERS.start, max=SDG_NUMBERS.stop - 1, error=SDG_MESSAGE),
        error_messages={"invalid": SDG_MESSAGE}, metadata={
        "description": "signataires ayant un engagement public pour cet objectif de "
                       "développement durable (1 à 17)"})
    category = Choice(Category, _l("Catégorie de partenariat inconnue."), data_key="categorie",
                      metadata={"description": "signataires ayant un engagement public de "
                                               "cette catégorie"})
    since = IsoDate(data_key="depuis", error_messages={"invalid": _l(
        "Date « depuis » invalide : écrivez-la AAAA-MM-JJ.")}, metadata={
        "description": "approuvés à partir de cette date (incluse), AAAA-MM-JJ"})
    until = IsoDate(data_key="jusqu_a", error_messages={"invalid": _l(
        "Date « jusqu’à » invalide : écrivez-la AAAA-MM-JJ.")}, metadata={
        "description": "approuvés jusqu’à cette date (incluse), AAAA-MM-JJ"})
    report = Choice(ReportStatus, _l("Statut de bilan inconnu."), data_key="bilan", metadata={
        "description": "statut de bilan : a-jour, attendu (dans les 30 jours avant "
                       "l’échéance), en-retard (échéance passée), non-communicant (échéance "
                       "passée depuis plus de 12 mois)"})
    sort = fields.String(data_key="tri", load_default=SORTS[0], validate=validate.OneOf(
        SORTS, error=_l("Tri inconnu : « nom » ou « date ».")), metadata={
        "description": "nom (ordre alphabétique) ou date (approbation la plus récente "
                       "d’abord)"})

    @pre_load
    def _blank_means_absent(self, data, **_kwargs) -> dict[str, str]:
        values = {key: data[key].strip() for key in data if isinstance(data[key], str)}
        return {key: value for key, value in values.items() if value}

    @validates_schema(skip_on_field_errors=False)
    def _dates_in_order(self, data, **_kwargs) -> None:
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise ValidationError(str(DATES_MESSAGE), "jusqu_a")

    @post_load
    def _selection(self, data, **_kwargs) -> Selection:
        return Selection(**data)

    def handle_error(self, error: ValidationError, data, **_kwargs) -> None:
        """Messages in the order of the arguments, wherever they come from (the dates' order
        is checked last, but told with « jusqu'à »)."""
        keys = [field.data_key or name for name, field in self.fields.items()]
        ordered = {key: error.messages[key] for key in keys if key in error.messages}
        ordered |= {key: value for key, value in error.messages.items() if key not in keys}
        raise ValidationError(ordered, data=data, valid_data=error.valid_data)


def parse_selection(args: Mapping[str, str]) -> tuple[Selection, list[str]]:
    """The selection named by the arguments, and a French message for each value refused
    (a refused value is left out of the selection, the rest still applies)."""
    try:
        return SelectionSchema().load(args), []
    except ValidationError as error:
        return Selection(**error.valid_data), [
            message for messages in error.messages.values() for message in messages]
