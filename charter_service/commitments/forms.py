"""HTML forms of the commitments domain; every message is French and sits beside its field."""

import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..idempotency.forms import IdempotentForm
from ..parsing import natural
from ..text_fields import MultiLineText, NameText, OneLineText
from .means import DELIVERABLE_MAX, RESOURCE_DESCRIPTION_MAX, ResourceKind
from .models import Category, CommitmentStatus, Domain, Scale, Visibility
from .moderation import REASON_MAX
from .partners import OUTSIDE_NAME_MAX
from .progress import EVIDENCE_URL_MAX, ProgressData, local_today
from .sdgs import SDG_NUMBERS, sdg_label, sdg_targets, target_title
from .services import (
    MAX_DELIVERABLES,
    MAX_RESOURCES,
    CommitmentData,
    IndicatorData,
    ResourceData,
    first_problems,
)

INDICATOR_ROWS = 3
MAX_INDICATORS = 10
RESOURCE_ROWS = 3
DELIVERABLE_ROWS = 3
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
# Browsers send ISO dates; people typing without a date picker write jj/mm/aaaa.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
INVALID_DATE = _l("Indiquez une date valide, par exemple 15/03/2025.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def parse_amount(text: str | None) -> Decimal | None:
    """A number as people type it in French: « 1 250,5 » or « 1250.5 »; None if blank."""
    compact = _SPACES.sub("", text or "").replace(",", ".")
    if not compact:
        return None
    if not _NUMBER.fullmatch(compact):
        raise ValueError(compact)
    try:
        return Decimal(compact)
    except InvalidOperation as exc:
        raise ValueError(compact) from exc


def amount(form, field) -> None:
    """Only that it is a number: its range is the service's rule (check_amount)."""
    try:
        parse_amount(field.data)
    except ValueError as exc:
        raise ValidationError(_("Indiquez un nombre, par exemple 12 ou 12,5.")) from exc


class Hint:
    """A rule the service checks (and names the field), shown on the page: the asterisk and
    the `required` or `maxlength` attribute."""

    def __init__(self, **flags) -> None:
        self.field_flags = flags

    def __call__(self, form, field) -> None:
        return None


def _choices(members) -> list[SelectChoice]:
    return [SelectChoice(member.value, member.label) for member in members]


def _placeholder(text) -> list[SelectChoice]:
    return [SelectChoice("", text)]


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class IndicatorRowForm(Form):
    id = HiddenField()
    name = OneLineText(_l("Nom de l’indicateur"),
                       validators=[Length(max=120, message=_l("120 caractères au plus."))])
    unit = OneLineText(_l("Unité"),
                       validators=[Length(max=40, message=_l("40 caractères au plus."))])
    target = StringField(_l("Cible"), filters=[_strip], validators=[amount])

    def validate_name(self, field) -> None:
        if not field.data and (self.unit.data or self.target.data):
            raise ValidationError(_("Donnez un nom à cet indicateur, ou videz la ligne."))

    def validate_id(self, field) -> None:
        if field.data and natural(field.data) is None:
            raise ValidationError(_("Cet indicateur n’appartient pas à cet engagement."))


class ResourceRowForm(Form):
    # A blank row sends no kind at all: the choice is checked by validate_kind.
    kind = SelectField(_l("Type de ressource"), validate_choice=False)
    amount = StringField(_l("Montant"), filters=[_strip], validators=[amount])
    description = OneLineText(_l("Précision (facultative)"), validators=[
        Length(max=RESOURCE_DESCRIPTION_MAX, message=_l("200 caractères au plus."))])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = _placeholder(_("Choisissez un type")) + [
            SelectChoice(kind.value, str(kind.label).capitalize()) for kind in ResourceKind]

    def is_blank(self) -> bool:
        return not (self.kind.data or self.amount.data or self.description.data)

    def validate_kind(self, field) -> None:
        if field.data and field.data not in {kind.value for kind in ResourceKind}:
            raise ValidationError(_("Choisissez un type dans la liste."))
        if not field.data and not self.is_blank():
            raise ValidationError(_("Choisissez le type de cette ressource, ou videz la "
                                    "ligne."))

    def validate_amount(self, field) -> None:
        if not field.data and not self.is_blank():
            raise ValidationError(_("Indiquez le montant de cette ressource, ou videz la "
                                    "ligne."))


class CommitmentForm(IdempotentForm, FlaskForm):
    title = OneLineText(_l("Titre de l’engagement"), validators=[
        DataRequired(_l("Donnez un titre à l’engagement.")),
        Length(max=200, message=_l("200 caractères au plus."))])
    description = MultiLineText(_l("Description"), validators=[
        DataRequired(_l("Décrivez ce que l’organisation entreprend.")),
        Length(max=10000, message=_l("10 000 caractères au plus."))])
    principles = CheckboxesField(
        _l("Principes de la charte concernés (un au moins)"), coerce=int,
        invalid_value_message=_l("Principe inconnu."),
        invalid_choice_message=_l("Ce principe n’appartient pas à la version de la charte que "
                                  "votre organisation a signée."))
    category = SelectField(_l("Catégorie"), validators=[
        InputRequired(_l("Choisissez une catégorie."))],
        invalid_choice_message=_l("Choisissez une catégorie dans la liste."))
    sdgs = CheckboxesField(
        _l("Objectifs de développement durable (ODD)"), coerce=int,
        invalid_value_message=_l("Les objectifs de développement durable sont numérotés de 1 "
                                 "à 17."), validate_choice=False)  # the range: the service's
    domains = CheckboxesField(_l("Domaines"),
                              invalid_choice_message=_l("Domaine inconnu : %(value)s."))
    scale = SelectField(_l("Échelle territoriale"), validators=[
        InputRequired(_l("Choisissez une échelle territoriale."))],
        invalid_choice_message=_l("Choisissez une échelle dans la liste."))
    start_on = DateField(_l("Date de début"), format=DATE_FORMATS,
                         invalid_value_message=INVALID_DATE, validators=[
                             InputRequired(_l("Indiquez la date de début."))])
    end_on = DateField(_l("Date de fin (facultative)"), format=DATE_FORMATS,
                       invalid_value_message=INVALID_DATE, validators=[Optional()])
    target_on = DateField(_l("Date cible des livrables (facultative)"), format=DATE_FORMATS,
                          invalid_value_message=INVALID_DATE, validators=[Optional()])
    sdg_targets = CheckboxesField(
        _l("Cibles des objectifs choisis (facultatif)"),
        invalid_choice_message=_l("Cette cible n’existe pas parmi les 169 cibles des "
                                  "objectifs de développement durable."))
    status = SelectField(_l("État d’avancement"), default=CommitmentStatus.PLANNED.value,
                         invalid_choice_message=_l("Choisissez un état dans la liste."))
    visibility = RadioField(_l("Visibilité"), default=Visibility.PUBLIC.value,
                            invalid_choice_message=_l("Choisissez public ou privé."))
    indicators = FieldList(FormField(IndicatorRowForm), min_entries=INDICATOR_ROWS,
                           max_entries=MAX_INDICATORS)
    resources = FieldList(FormField(ResourceRowForm), min_entries=RESOURCE_ROWS,
                          max_entries=MAX_RESOURCES)
    deliverables = FieldList(
        OneLineText(_l("Livrable"), validators=[Length(
            max=DELIVERABLE_MAX, message=_l("200 caractères au plus."))]),
        min_entries=DELIVERABLE_ROWS, max_entries=MAX_DELIVERABLES)

    def __init__(self, version, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.principles.choices = [SelectChoice(str(p.id), f"{p.code} — {p.title}")
                                   for p in version.principles]
        self.category.choices = _placeholder(_("Choisissez une catégorie")) + _choices(
            Category)
        self.sdgs.choices = [SelectChoice(str(n), sdg_label(n)) for n in SDG_NUMBERS]
        self.sdg_targets.choices = [SelectChoice(code, f"{code} {target_title(code)}")
                                    for code in sdg_targets()]
        self.domains.choices = _choices(Domain)
        self.scale.choices = _placeholder(_("Choisissez une échelle")) + _choices(Scale)
        self.status.choices = _choices(CommitmentStatus)
        self.visibility.choices = _choices(Visibility)
        while len(self.indicators) < MAX_INDICATORS and not self.is_submitted() and (
                len(self.indicators) < INDICATOR_ROWS or self.indicators[-1].form.name.data):
            self.indicators.append_entry()
        # One empty row more than the stored lines, up to the maximum: room to add without JS.
        while len(self.resources) < MAX_RESOURCES and not self.is_submitted() and (
                len(self.resources) < RESOURCE_ROWS or not self.resources[-1].form.is_blank()):
            self.resources.append_entry()
        while len(self.deliverables) < MAX_DELIVERABLES and not self.is_submitted() and (
                len(self.deliverables) < DELIVERABLE_ROWS or self.deliverables[-1].data):
            self.deliverables.append_entry()
        for number, entry in enumerate(self.deliverables, start=1):
            entry.label.text = _("Livrable %(n)s", n=number)

    def error_field(self, name: str):
        """Where a service's refusal naming `name` is shown (domain.show asks)."""
        return error_field(self, name)

    def validate(self, extra_validators=None) -> bool:
        """When the form already refuses the input, the service's first rules are shown too,
        so that a person corrects everything in one go."""
        valid = super().validate(extra_validators)
        if not valid:
            for problem in first_problems(list(self.principles.data or []),
                                          self.start_on.data, self.end_on.data,
                                          self.target_on.data):
                field = getattr(self, problem.field)
                field.errors = [*field.errors, str(problem)]
        return valid

    def sent_indicators(self) -> list[IndicatorRowForm]:
        """The rows that name an indicator, in order (blank rows are no indicator)."""
        return [row.form for row in self.indicators if row.form.name.data]

    def sent_resources(self) -> list[ResourceRowForm]:
        """The rows that name a resource, in order (blank rows are no resource)."""
        return [row.form for row in self.resources if not row.form.is_blank()]

    def goal_targets(self) -> list[tuple[int, list]]:
        """(goal, its target checkboxes) for the grouped display of the targets."""
        groups: dict[int, list] = {n: [] for n in SDG_NUMBERS}
        for option in self.sdg_targets:
            groups[int(option.data.partition(".")[0])].append(option)
        return list(groups.items())

    def to_data(self) -> CommitmentData:
        return CommitmentData(
            title=self.title.data, description=self.description.data,
            category=Category(self.category.data), principle_ids=list(self.principles.data),
            scale=Scale(self.scale.data), start_on=self.start_on.data, end_on=self.end_on.data,
            status=CommitmentStatus(self.status.data),
            visibility=Visibility(self.visibility.data), sdgs=list(self.sdgs.data or []),
            domains=[Domain(d) for d in self.domains.data or []],
            indicators=[IndicatorData(
                id=int(row.id.data) if row.id.data else None, name=row.name.data,
                unit=row.unit.data or "", target=parse_amount(row.target.data))
                for row in self.sent_indicators()],
            target_on=self.target_on.data,
            resources=[ResourceData(kind=ResourceKind(row.kind.data),
                                    amount=parse_amount(row.amount.data),
                                    description=row.description.data or "")
                       for row in self.sent_resources()],
            deliverables=[entry.data for entry in self.deliverables if entry.data],
            sdg_targets=list(self.sdg_targets.data or []))


def error_field(form, name: str | None):
    """The field a service's refusal names (CommitmentError.field): a field of the form, or
    « indicators-N-target », a field of the N-th indicator sent."""
    row, _sep, rest = (name or "").partition("-")
    if row in ("indicators", "resources") and rest and isinstance(form, CommitmentForm):
        number, _sep, sub = rest.partition("-")
        rows = form.sent_indicators() if row == "indicators" else form.sent_resources()
        index = natural(number)
        return rows[index][sub] if index is not None and index < len(rows) else None
    return getattr(form, name, None) if name else None


def commitment_form_data(commitment) -> dict:
    """The stored commitment as the edit form's initial data."""
    return {
        "title": commitment.title, "description": commitment.description,
        "principles": [p.id for p in commitment.principles],
        "category": commitment.category.value, "sdgs": commitment.sdgs,
        "domains": [d.value for d in commitment.domains], "scale": commitment.scale.value,
        "start_on": commitment.start_on, "end_on": commitment.end_on,
        "status": commitment.status.value, "visibility": commitment.visibility.value,
        "indicators": [{"id": str(i.id), "name": i.name, "unit": i.unit,
                        "target": format_amount(i.target)} for i in commitment.indicators],
        "target_on": commitment.target_on, "sdg_targets": commitment.sdg_targets,
        "resources": [{"kind": r.kind.value, "amount": format_amount(r.amount),
                       "description": r.description} for r in commitment.resources],
        "deliverables": [d.text for d in commitment.deliverables],
    }


def format_amount(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


class ProgressForm(IdempotentForm, FlaskForm):
    reported_on = DateField(_l("Date de l’avancement"), default=local_today,
                            format=DATE_FORMATS, invalid_value_message=INVALID_DATE,
                            validators=[InputRequired(_l("Indiquez la date de l’avancement."))])
    # Required, not in the future, a web address: the service's rules (progress._fill).
    text = MultiLineText(_l("Ce qui a été fait"), validators=[
        Hint(required=True), Length(max=10000, message=_l("10 000 caractères au plus."))])
    evidence_url = OneLineText(_l("Lien vers une preuve (facultatif)"),
                               validators=[Hint(maxlength=EVIDENCE_URL_MAX)])

    def value_fields(self):
        return [(indicator, self[f"value_{indicator.id}"]) for indicator in self._indicators]

    def to_data(self) -> ProgressData:
        values = {indicator.id: parse_amount(field.data)
                  for indicator, field in self.value_fields()}
        return ProgressData(reported_on=self.reported_on.data, text=self.text.data,
                            evidence_url=self.evidence_url.data or "",
                            values={k: v for k, v in values.items() if v is not None})


def progress_form_data(update) -> dict:
    """A stored progress update as the correction form's initial data."""
    return {"reported_on": update.reported_on, "text": update.text,
            "evidence_url": update.evidence_url,
            **{f"value_{v.indicator_id}": format_amount(v.value) for v in update.values}}


def progress_form(indicators, **kwargs) -> ProgressForm:
    """A progress form with one value field per indicator of the commitment."""

    class Form(ProgressForm):
        pass

    for indicator in indicators:
        unit = f" ({indicator.unit})" if indicator.unit else ""
        setattr(Form, f"value_{indicator.id}", StringField(
            _("Valeur atteinte : %(name)s%(unit)s", name=indicator.name, unit=unit),
            filters=[_strip], validators=[amount]))
    form = Form(**kwargs)
    form._indicators = list(indicators)
    return form


class InviteForm(IdempotentForm, FlaskForm):
    organisation_id = IntegerField(validators=[InputRequired()])


class OutsidePartnerForm(IdempotentForm, FlaskForm):
    # Required, at most OUTSIDE_NAME_MAX: partners.add_outside_partner's rules.
    outside_name = NameText(_l("Nom du partenaire extérieur"), validators=[
        Hint(required=True, maxlength=OUTSIDE_NAME_MAX)])


class HideForm(FlaskForm):
    # Required, at most REASON_MAX: moderation.hide's rules.
    reason = MultiLineText(_l("Motif du masquage"), validators=[
        Hint(required=True, maxlength=REASON_MAX)])


def error_items(form) -> list[tuple[str, str, str]]:
    """(field id, label, message) of every error, indicator rows included, for the summary."""
    items = []
    for field in form:
        if isinstance(field, FieldList):
            for number, entry in enumerate(field.entries, start=1):
                if field.name == "deliverables":
                    label = _("Livrable %(n)s", n=number)
                    items += [(entry.id, label, str(error)) for error in entry.errors]
                    continue
                for sub in entry.form:
                    if field.name == "resources":
                        label = _("Ressource %(n)s — %(label)s", n=number,
                                  label=sub.label.text)
                    else:
                        label = _("Indicateur %(n)s — %(label)s", n=number,
                                  label=sub.label.text)
                    items += [(sub.id, label, str(error)) for error in sub.errors]
            continue
        items += [(field.id, str(field.label.text), str(error)) for error in field.errors]
    return items
