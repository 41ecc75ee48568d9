"""The directory's selection arguments (`q`, `principe`, `odd`, …), validated once for the page
and the exports, with the register's fields (register/selection.py): each refused value gets a
French message and is left out; the page applies the rest, the exports refuse."""

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_load, validate

from ..commitments.models import Category, CommitmentStatus, Domain, Scale
from ..commitments.sdgs import SDG_NUMBERS
from ..organisations import geo
from ..organisations.models import OrganisationKind
from ..register.selection import MAX_Q, SDG_MESSAGE, Choice, Code, Natural, Search
from .queries import Selection, principle_choices

JOINT = {"oui": True, "non": False}
VERSION_MESSAGE = _l("Version de la charte invalide : donnez son numéro, par exemple 1.")


def _known_principle(code: str) -> None:
    if code not in principle_choices():
        raise ValidationError(str(_l("Principe inconnu : donnez son code, par exemple P1.")))


class Joint(fields.String):
    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        value = super()._deserialize(value, attr, data, **kwargs)
        if value not in JOINT:
            raise ValidationError(str(_l("Engagement conjoint : « oui » ou « non ».")))
        return JOINT[value]


class SelectionSchema(Schema):
    """Query arguments → `queries.Selection`; a blank argument means no filter."""

    class Meta:
        unknown = EXCLUDE

    q = Search(load_default="", validate=validate.Length(max=MAX_Q, error=_l(
        "La recherche est limitée à %(max)d caractères.", max=MAX_Q)))
    principle = Code(data_key="principe", validate=[validate.Length(max=10, error=_l(
        "Principe inconnu : donnez son code, par exemple P1.")), _known_principle])
    sdg = Natural(data_key="odd", validate=validate.Range(
        min=SDG_NUMBERS.start, max=SDG_NUMBERS.stop - 1, error=SDG_MESSAGE),
        error_messages={"invalid": SDG_MESSAGE})
    category = Choice(Category, _l("Catégorie de partenariat inconnue."), data_key="categorie")
    domain = Choice(Domain, _l("Domaine inconnu."), data_key="domaine")
    scale = Choice(Scale, _l("Échelle territoriale inconnue."), data_key="echelle")
    status = Choice(CommitmentStatus, _l("Statut d’engagement inconnu."), data_key="statut")
    kind = Choice(OrganisationKind, _l("Type d’organisation inconnu."), data_key="type")
    region = Code(validate=validate.OneOf(sorted(geo.regions()), error=_l(
        "Région inconnue : donnez son code INSEE, par exemple 84.")))
    departement = Code(validate=validate.OneOf(sorted(geo.departements()), error=_l(
        "Département inconnu : donnez son code, par exemple 69 ou 2A.")))
    joint = Joint(data_key="conjoint")
    # The charter version (its number), which the /charte counts link with their principle.
    version = Natural(validate=validate.Range(min=1, error=VERSION_MESSAGE),
                      error_messages={"invalid": VERSION_MESSAGE})

    @pre_load
    def _blank_means_absent(self, data, **_kwargs) -> dict[str, str]:
        values = {key: data[key].strip() for key in data if isinstance(data[key], str)}
        return {key: value for key, value in values.items() if value}

    @post_load
    def _selection(self, data, **_kwargs) -> Selection:
        return Selection(**data)


def parse_selection(args: Mapping[str, str]) -> tuple[Selection, list[str]]:
    """The selection named by the arguments, and a French message for each value refused."""
    try:
        return SelectionSchema().load(args), []
    except ValidationError as error:
        keys = [field.data_key or name for name, field in SelectionSchema().fields.items()]
        return Selection(**error.valid_data), [
            message for key in keys for message in error.messages.get(key, [])]
