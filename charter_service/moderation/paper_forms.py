"""The form a moderator fills from a signature received outside the site (paper_views.py)."""

import re

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, Form, RadioField, SelectChoice, SelectField
from wtforms.fields import DateField
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from ..commitments.forms import DATE_FORMATS, INVALID_DATE
from ..idempotency.forms import IdempotentForm
from ..organisations.forms import OrganisationForm
from ..signatures.forms import SignatoryForm, check_pdf_upload, pdf_filename
from ..signatures.models import PaperChannel
from ..signatures.paper import PaperSignature
from ..text_fields import MultiLineText, SearchText

NEW_ORGANISATION = "new"
MAX_OWNERS = 5
_SEPARATORS = re.compile(r"[\s,;]+")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class OrganisationSearchForm(Form):
    """A GET form: nothing changes, so no CSRF token."""

    q = SearchText(_l("Nom, SIREN, SIRET ou numéro RNA"),
                   validators=[Optional(), Length(max=200, message=_l(
                       "200 caractères au plus."))])


class NewOrganisationForm(OrganisationForm):
    """The sign-up form's fields and checks, inside the paper signature's form (whose CSRF
    token and idempotency key cover both)."""

    class Meta:
        csrf = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, prefix="org", **kwargs)


class PaperSignatureForm(IdempotentForm, SignatoryForm):
    organisation = RadioField(_l("Organisation signataire"), validate_choice=False, validators=[
        InputRequired(_l("Choisissez l’organisation signataire, ou « Nouvelle organisation ».")
                      )])
    version = SelectField(_l("Version de la charte signée"), coerce=str, validate_choice=False,
                          validators=[InputRequired(_l("Choisissez la version signée."))])
    channel = RadioField(_l("Reçue par"),
                         choices=[SelectChoice(c.value, c.label) for c in PaperChannel],
                         validators=[InputRequired(_l("Indiquez comment la signature a été "
                                                      "reçue."))],
                         invalid_choice_message=_l("Choisissez un canal de la liste."))
    signed_on = DateField(_l("Date de la signature"), format=DATE_FORMATS,
                          invalid_value_message=INVALID_DATE, validators=[
                              InputRequired(_l("Indiquez la date de la signature."))])
    signatory_email = EmailField(
        _l("Adresse e-mail de la personne signataire (facultative)"), filters=[_strip],
        validators=[Optional(), Length(max=254, message=_l("254 caractères au plus.")),
                    Email(_l("Cette adresse e-mail n’est pas valide."))])
    proof = FileField(_l("Justificatif numérisé (PDF)"), validators=[
        FileRequired(_l("Joignez le document signé, numérisé en PDF."))],
        render_kw={"accept": "application/pdf,.pdf"})
    owner_emails = MultiLineText(
        _l("Adresses e-mail des futurs responsables du compte"),
        validators=[Length(max=2000, message=_l("2000 caractères au plus."))],
        render_kw={"rows": 3})

    def __init__(self, organisations, versions, **kwargs) -> None:
        super().__init__(**kwargs)
        self.organisation.choices = [
            SelectChoice(str(o.id),
                         f"{o.name} ({o.legal_identifier or '—'}, {o.postcode} {o.commune})")
            for o in organisations] + [
            SelectChoice(NEW_ORGANISATION, _("Nouvelle organisation (à créer ci-dessous)"))]
        self.version.choices = [SelectChoice(str(v.id), _("Version %(number)s – %(title)s",
                                                          number=v.number, title=v.title))
                                for v in versions]
        self.owners: tuple[str, ...] = ()

    def validate_proof(self, field) -> None:
        check_pdf_upload(field.data)

    def validate_owner_emails(self, field) -> None:
        found = [e for e in _SEPARATORS.split(field.data or "") if e]
        if len(found) > MAX_OWNERS:
            raise ValidationError(_("%(max)s adresses au plus.", max=MAX_OWNERS))
        for email in found:
            try:
                validate_email(email, check_deliverability=False)
            except EmailNotValidError as exc:
                raise ValidationError(_("Cette adresse e-mail n’est pas valide : "
                                        "%(email)s.", email=email)) from exc
        self.owners = tuple(dict.fromkeys(e.lower() for e in found))

    def creates_organisation(self) -> bool:
        return self.organisation.data == NEW_ORGANISATION

    def paper_data(self) -> PaperSignature:
        upload = self.proof.data
        return PaperSignature(
            channel=PaperChannel(self.channel.data), signed_on=self.signed_on.data,
            signatory_name=self.signatory_name.data,
            signatory_function=self.signatory_function.data,
            signatory_email=self.signatory_email.data or "",
            proof_filename=pdf_filename(upload, "justificatif"), proof_pdf=upload.stream.read(),
            owner_emails=self.owners)
