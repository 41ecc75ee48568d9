from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.utils import secure_filename
from wtforms import BooleanField, EmailField, HiddenField, SelectField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..text_fields import MultiLineText, NameText, OneLineText
from . import deliberation

PDF_MAGIC = b"%PDF-"
PDF_END = b"%%EOF"
PDF_TAIL_BYTES = 1024


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SignatoryForm(FlaskForm):
    """Who signs: shared by the signing form and the corrected resubmission."""

    signatory_name = NameText(
        _l("Nom et prénom de la personne signataire"),
        validators=[DataRequired(_l("Indiquez le nom de la personne qui signe.")),
                    Length(max=120, message=_l("120 caractères au plus."))])
    signatory_function = NameText(
        _l("Fonction"),
        validators=[DataRequired(_l("Indiquez la fonction de la personne qui signe.")),
                    Length(max=120, message=_l("120 caractères au plus."))])
    signatory_email = EmailField(
        _l("Adresse e-mail de la personne signataire"), filters=[_strip],
        validators=[DataRequired(_l("Indiquez une adresse e-mail.")),
                    Length(max=254, message=_l("254 caractères au plus.")),
                    Email(_l("Cette adresse e-mail n’est pas valide."))])


class AttestationForm(FlaskForm):
    """What the person who signs attests and accepts: on the signing page and on the
    representative's page."""

    authority_attested = BooleanField(
        validators=[DataRequired(_l("Cochez cette case pour attester que vous pouvez engager "
                                    "l’organisation."))])
    principles_accepted = BooleanField(
        validators=[DataRequired(_l("Cochez cette case pour accepter les principes de la "
                                    "charte."))])

    def __init__(self, organisation, version, **kwargs) -> None:
        super().__init__(**kwargs)
        self.authority_attested.label.text = _(
            "J’atteste être habilité·e à engager « %(organisation)s » et à signer la charte en "
            "son nom (mandat, délibération ou délégation de signature).",
            organisation=organisation.name)
        self.principles_accepted.label.text = _(
            "J’ai lu les principes de la version %(number)s de la charte et je les accepte au "
            "nom de l’organisation.", number=version.number)


class SignatureForm(SignatoryForm, AttestationForm):
    deliberation = FileField(
        _l("Délibération ou décision du conseil d’administration (PDF, facultatif)"),
        render_kw={"accept": "application/pdf,.pdf"})
    version_id = HiddenField()
    version_sha256 = HiddenField()
    first_commitment_title = OneLineText(
        _l("Titre de votre premier engagement (facultatif)"),
        validators=[Optional(), Length(max=200, message=_l("200 caractères au plus."))])
    first_commitment_principle = SelectField(
        _l("Principe de la charte auquel il se rattache"), coerce=int,
        validate_choice=False)

    def __init__(self, organisation, version, **kwargs) -> None:
        super().__init__(organisation, version, **kwargs)
        self.first_commitment_principle.choices = [(0, _("— Choisissez un principe —"))] + [
            (p.id, f"{p.code} {p.title}") for p in version.principles]
        self.deliberation_max_size = human_size(current_app.config["DELIBERATION_MAX_BYTES"])

    def show_version(self, version) -> None:
        """Carry the version as displayed, so that a POST can tell whether it changed since."""
        self.version_id.data = str(version.id)
        self.version_sha256.data = version.sha256()

    def shows_version(self, version) -> bool:
        return (self.version_id.data == str(version.id)
                and self.version_sha256.data == version.sha256())

    def validate_deliberation(self, field) -> None:
        if field.data:
            check_pdf_upload(field.data)

    def validate_first_commitment_principle(self, field) -> None:
        chosen = field.data or 0
        if chosen and chosen not in {value for value, _label in field.choices}:
            raise ValidationError(_("Choisissez un principe de cette version de la charte."))
        if self.first_commitment_title.data and not chosen:
            raise ValidationError(_("Choisissez le principe auquel votre premier engagement "
                                    "se rattache, ou laissez son titre vide."))

    def signature_data(self) -> dict:
        """What the signatory entered, as the service expects it."""
        upload = self.deliberation.data
        data = {
            "signatory_name": self.signatory_name.data,
            "signatory_function": self.signatory_function.data,
            "signatory_email": self.signatory_email.data,
            "authority_attested": self.authority_attested.data,
            "principles_accepted": self.principles_accepted.data,
            "deliberation_filename": None,
            "deliberation_pdf": None,
            "first_commitment": None,
        }
        if self.first_commitment_title.data:
            data["first_commitment"] = {"title": self.first_commitment_title.data,
                                        "principle_id": self.first_commitment_principle.data}
        if upload:
            data["deliberation_filename"] = pdf_filename(upload, "deliberation")
            data["deliberation_pdf"] = upload.stream.read()
        return data


class PrepareForm(SignatoryForm):
    """A member names the representative who will sign."""


class RepresentativeChangeForm(SignatoryForm):
    lock_version = HiddenField()


class ResendForm(FlaskForm):
    lock_version = HiddenField()


class ConfirmForm(AttestationForm):
    lock_version = HiddenField()


class DeclineForm(FlaskForm):
    lock_version = HiddenField()
    reason = MultiLineText(
        _l("Un mot pour la personne qui a préparé la signature (facultatif)"),
        validators=[Length(max=2000, message=_l("2000 caractères au plus."))])


class ResubmitForm(SignatoryForm):
    lock_version = HiddenField()


class WithdrawForm(FlaskForm):
    lock_version = HiddenField()
    reason = MultiLineText(
        _l("Motif du retrait (facultatif)"),
        validators=[Length(max=2000, message=_l("2000 caractères au plus."))])
    confirm = BooleanField(
        _l("Je confirme le retrait de la signature au nom de l’organisation."),
        validators=[DataRequired(_l("Cochez cette case pour confirmer le retrait."))])


def check_pdf_upload(upload) -> None:
    """The checks of every PDF a person uploads (a deliberation, a paper signature's proof):
    the size limit, a PDF's first and last bytes, no active content. ValidationError says why;
    the stream is left at its start."""
    limit = current_app.config["DELIBERATION_MAX_BYTES"]
    content = upload.stream.read(limit + 1)
    upload.stream.seek(0)
    if len(content) > limit:
        raise ValidationError(_("Le fichier dépasse la taille autorisée (%(size)s).",
                                size=human_size(limit)))
    if not content.startswith(PDF_MAGIC) or PDF_END not in content[-PDF_TAIL_BYTES:]:
        raise ValidationError(_("Le fichier doit être un document PDF."))
    try:
        deliberation.check(content)
    except deliberation.RefusedDeliberation as exc:
        raise ValidationError(str(exc)) from exc


def pdf_filename(upload, fallback: str) -> str:
    """A safe name for a stored PDF, ending in .pdf."""
    name = secure_filename(upload.filename or "")[:150] or fallback
    return name if name.lower().endswith(".pdf") else name + ".pdf"


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return _("%(size)s Mo", size=format_decimal(round(size / (1024 * 1024), 1)))
    return _("%(size)s Ko", size=format_decimal(round(size / 1024, 1)))
