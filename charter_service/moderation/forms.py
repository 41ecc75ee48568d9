from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SubmitField,
)
from wtforms.fields import DateField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from ..accounts.models import ModerationAlerts
from ..dates import french_date
from ..db_types import utcnow
from ..idempotency.forms import IdempotentForm
from ..organisations import geo
from ..organisations.models import OrganisationKind
from ..signatures.revocation import RevocationLabel
from ..signatures.workflow import REJECTION_REASONS, Transition
from ..text_fields import MultiLineText, OneLineText
from .services import QUEUE_STATUSES

MESSAGE_MAX = 2000
_STALE_FIELD = _l("Ce formulaire est incomplet : rechargez la page et recommencez.")
_MESSAGE_LENGTH = _l("Le message ne peut pas dépasser %(max)s caractères.", max=MESSAGE_MAX)
# Who reads what: said on the form, next to each text.
PUBLIC_HINT = _l("Visible publiquement sur la page de vérification de l’attestation et dans "
                 "l’API.")
PRIVATE_HINT = _l("Envoyé par e-mail à l’organisation et au signataire ; visible de ses membres "
                  "et de l’équipe de modération ; jamais publié.")


def choices(pairs, blank=None) -> list[SelectChoice]:
    """(value, label) pairs, enum values as strings, after an optional blank choice."""
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(str(value), label) for value, label in pairs]


class _QueryForm(FlaskForm):
    """Read from the query string (no CSRF: it changes nothing); an unknown value is reported
    next to its field and ignored."""

    class Meta:
        csrf = False

    def value(self, name: str):
        """The field's value, or None when it is blank (spaces only) or was refused."""
        field = self[name]
        data = field.data.strip() if isinstance(field.data, str) else field.data
        return None if field.errors else (data or None)


class QueueFilterForm(_QueryForm):
    type = SelectField(_l("Type d’organisation"), validators=[Optional()],
                       choices=choices(((kind, kind.label) for kind in OrganisationKind),
                                       _l("Tous les types")))
    region = SelectField(_l("Région"), validators=[Optional()])
    statut = SelectField(_l("Statut"), validators=[Optional()],
                         choices=choices(((s, s.label) for s in QUEUE_STATUSES),
                                         _l("En attente et modifications demandées")))

    def __init__(self, formdata) -> None:
        super().__init__(formdata)
        self.region.choices = choices(((r.code, r.name) for r in geo.regions().values()),
                                      _l("Toutes les régions"))


class JournalFilterForm(_QueryForm):
    action = SelectField(_l("Action"), validators=[Optional()])
    objet = SelectField(_l("Type d’objet"), validators=[Optional()])
    du = DateField(_l("Du"), validators=[Optional()])
    au = DateField(_l("Au"), validators=[Optional()])

    def __init__(self, formdata, actions: list[str], object_types: list[str], labels) -> None:
        super().__init__(formdata)
        self.action.choices = choices(((a, labels.get(a, a)) for a in actions),
                                      _l("Toutes les actions"))
        self.objet.choices = choices(((t, t) for t in object_types), _l("Tous les types"))

    def validate_au(self, field) -> None:
        if field.data and self.du.data and field.data < self.du.data:
            raise ValidationError(_l("La date de fin précède la date de début."))


class DecisionForm(FlaskForm):
    """Every decision names the version of the signature that the moderator saw."""

    lock_version = IntegerField(widget=HiddenInput(),
                                validators=[InputRequired(message=_STALE_FIELD)])

    def reason(self) -> str:
        return ""

    def reason_code(self) -> str:
        return ""

    def public_label(self) -> RevocationLabel | None:
        return None

    def confirmed(self) -> bool:
        """Whether the decision may be taken from this POST (approval asks once more)."""
        return True


class ApproveForm(DecisionForm):
    # Empty on the signature's page; "1" on the confirmation step that restates the facts.
    confirm = HiddenField(default="")
    submit = SubmitField(_l("Approuver la signature"))

    def confirmed(self) -> bool:
        return self.confirm.data == "1"


class RejectForm(DecisionForm):
    code = SelectField(_l("Motif du refus"),
                       choices=choices(REJECTION_REASONS.items(), _l("Choisissez un motif")),
                       validators=[DataRequired(message=_l("Choisissez un motif de refus."))])
    message = MultiLineText(_l("Explication pour l’organisation"), description=PRIVATE_HINT,
                            validators=[Length(max=MESSAGE_MAX, message=_MESSAGE_LENGTH)])
    submit = SubmitField(_l("Refuser la signature"))

    def validate_message(self, field) -> None:
        if self.code.data == "autre" and not (field.data or "").strip():
            raise ValidationError(_l("Précisez le motif du refus."))

    def reason(self) -> str:
        label = str(REJECTION_REASONS[self.code.data])
        text = (self.message.data or "").strip()
        return f"{label}. {text}" if text else label

    def reason_code(self) -> str:
        return self.code.data


class _MessageForm(DecisionForm):
    def reason(self) -> str:
        return self.message.data.strip()


class RequestChangesForm(_MessageForm):
    message = MultiLineText(
        _l("Message à l’organisation"), description=PRIVATE_HINT,
        validators=[DataRequired(message=_l("Écrivez ce que l’organisation doit modifier.")),
                    Length(max=MESSAGE_MAX, message=_MESSAGE_LENGTH)])
    submit = SubmitField(_l("Demander des modifications"))


class SuspendForm(_MessageForm):
    wording = SelectField(
        _l("Mention publique"), description=PUBLIC_HINT, default=RevocationLabel.SUSPENDED.value,
        validators=[DataRequired(message=_l("Choisissez la mention publique."))])
    message = MultiLineText(
        _l("Message privé à l’organisation : motif de la suspension"),
        description=PRIVATE_HINT,
        validators=[DataRequired(message=_l("Indiquez le motif de la suspension.")),
                    Length(max=MESSAGE_MAX, message=_MESSAGE_LENGTH)])
    submit = SubmitField(_l("Suspendre la signature"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = french_date(utcnow())
        self.wording.choices = choices(
            (label.value, label.wording(today)) for label in
            RevocationLabel.for_transition(Transition.SUSPEND.value))

    def reason_code(self) -> str:
        return self.wording.data

    def public_label(self) -> RevocationLabel:
        return RevocationLabel(self.wording.data)


class ReinstateForm(DecisionForm):
    submit = SubmitField(_l("Rétablir la signature"))


@dataclass(frozen=True)
class Decision:
    transition: Transition
    form: type[DecisionForm]
    title: object
    done: object
    danger: bool = False


# URL slug → decision, in the order the forms appear on the page.
DECISIONS = {
    "approuver": Decision(Transition.APPROVE, ApproveForm, _l("Approuver"),
                          _l("La signature %(of_name)s est approuvée.")),
    "demander-des-modifications": Decision(
        Transition.REQUEST_CHANGES, RequestChangesForm, _l("Demander des modifications"),
        _l("La demande de modifications a été envoyée %(to_name)s.")),
    "refuser": Decision(Transition.REJECT, RejectForm, _l("Refuser"),
                        _l("La signature %(of_name)s est refusée."), danger=True),
    "suspendre": Decision(Transition.SUSPEND, SuspendForm, _l("Suspendre"),
                          _l("La signature %(of_name)s est suspendue."), danger=True),
    "retablir": Decision(Transition.REINSTATE, ReinstateForm, _l("Rétablir"),
                         _l("La signature %(of_name)s est rétablie.")),
}


class MergeForm(FlaskForm):
    keep = RadioField(_l("Organisation à conserver"),
                      validators=[InputRequired(message=_l("Choisissez l’organisation à "
                                                           "conserver."))])
    submit = SubmitField(_l("Fusionner les deux organisations"))

    def __init__(self, first, second, **kwargs) -> None:
        super().__init__(**kwargs)
        self.keep.choices = choices((o.id, f"{o.name} (n° {o.id})") for o in (first, second))


class PreferencesForm(FlaskForm):
    moderation_alerts = RadioField(
        _l("Être prévenu des signatures en attente"),
        choices=choices((alert, alert.label) for alert in ModerationAlerts),
        validators=[InputRequired(message=_l("Choisissez une option."))])
    submit = SubmitField(_l("Enregistrer"))


class AccountLookupForm(FlaskForm):
    """Find the account a request for personal data is about, by its address."""

    class Meta:
        csrf = False

    email = OneLineText(_l("Adresse e-mail du compte"), validators=[
        DataRequired(_l("Indiquez l’adresse e-mail du compte.")),
        Length(max=254, message=_l("Cette adresse est trop longue."))])
    submit = SubmitField(_l("Rechercher"))


class AccountExportForm(FlaskForm):
    submit = SubmitField(_l("Télécharger ses données (JSON)"))


class AccountEraseForm(IdempotentForm, FlaskForm):
    confirm = BooleanField(
        _l("La personne a demandé la suppression de son compte, et son identité a été "
           "vérifiée."),
        validators=[DataRequired(_l("Cochez la case pour confirmer la suppression."))])
    submit = SubmitField(_l("Supprimer le compte et effacer ses données personnelles"))
