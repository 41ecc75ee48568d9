"""The annual report's forms: one per section (each saved on its own), the upload, the
submission's confirmation."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ...signatures.forms import check_pdf_upload, pdf_filename
from ...text_fields import MultiLineText, OneLineText
from ..forms import amount, format_amount, parse_amount
from ..models import CommitmentStatus
from .models import ReportSection
from .services import TEXT_MAX, SectionData

NO_CHANGE = ""


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SectionForm(FlaskForm):
    revision = IntegerField(validators=[InputRequired()])
    text = MultiLineText(_l("Ce qui a été fait cette année"), validators=[
        Length(max=TEXT_MAX, message=_l("10 000 caractères au plus."))])
    status_change = SelectField(_l("État de l’engagement"), validate_choice=False)
    evidence_url = OneLineText(_l("Lien vers une preuve (facultatif)"),
                               validators=[Length(max=500, message=_l("500 caractères au plus."))])
    evidence_file = FileField(_l("Ou une preuve en PDF (facultatif)"),
                              render_kw={"accept": "application/pdf,.pdf"})
    remove_evidence_file = BooleanField(_l("Retirer la preuve en PDF déposée"))

    def validate_status_change(self, field) -> None:
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_("Choisissez un état dans la liste."))

    def validate_evidence_file(self, field) -> None:
        if field.data:
            check_pdf_upload(field.data)

    def value_fields(self):
        return [(indicator, self[f"value_{indicator.id}"]) for indicator in self._indicators]

    def error_field(self, name: str):
        return getattr(self, name, None)

    def to_data(self) -> SectionData:
        upload = self.evidence_file.data
        status = self.status_change.data
        return SectionData(
            revision=self.revision.data, text=self.text.data or "",
            status_change=CommitmentStatus(status) if status else None,
            evidence_url=self.evidence_url.data or "",
            values={indicator.id: parse_amount(f.data) for indicator, f in self.value_fields()},
            evidence_pdf=upload.stream.read() if upload else None,
            evidence_filename=pdf_filename(upload, "preuve") if upload else None,
            remove_evidence_file=bool(self.remove_evidence_file.data))


def section_data(section: ReportSection) -> dict:
    """A stored section as its form's data."""
    return {"revision": section.revision, "text": section.text,
            "status_change": section.status_change.value if section.status_change else NO_CHANGE,
            "evidence_url": section.evidence_url,
            **{f"value_{v.indicator_id}": format_amount(v.value) for v in section.values}}


def section_form(section: ReportSection, *, posted: bool = False) -> SectionForm:
    """The form of one section, its fields named after the section (several on one page):
    what was posted, or the stored section."""

    class Form(SectionForm):
        pass

    commitment = section.commitment
    for indicator in commitment.indicators:
        unit = f" ({indicator.unit})" if indicator.unit else ""
        setattr(Form, f"value_{indicator.id}", StringField(
            _("Valeur atteinte : %(name)s%(unit)s", name=indicator.name, unit=unit),
            filters=[_strip], validators=[amount]))
    prefix = f"s{section.id}"
    form = (Form(prefix=prefix) if posted
            else Form(formdata=None, prefix=prefix, data=section_data(section)))
    form.status_change.choices = [
        (NO_CHANGE, _("Inchangé (%(status)s)", status=commitment.status.label)),
        *[(s.value, s.label) for s in CommitmentStatus if s != commitment.status]]
    form._indicators = list(commitment.indicators)
    return form


class UploadForm(FlaskForm):
    document = FileField(_l("Rapport existant (PDF)"), render_kw={"accept": "application/pdf,.pdf"})

    def validate_document(self, field) -> None:
        if not field.data:
            raise ValidationError(_("Choisissez le fichier PDF de votre rapport."))
        check_pdf_upload(field.data)

    def document_data(self) -> tuple[bytes, str]:
        upload = self.document.data
        return upload.stream.read(), pdf_filename(upload, "rapport")


class SubmitForm(FlaskForm):
    confirm = BooleanField(
        _l("J’ai relu le bilan : je le dépose au nom de l’organisation. Il ne pourra plus être "
           "modifié."),
        validators=[DataRequired(_l("Cochez cette case pour confirmer le dépôt."))])
