from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, ValidationError

from . import report_documents
from .services import canonical_number
from .verification import looks_like_pdf


class LookupForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search: nothing changes

    numero = StringField(_l("Numéro de l’attestation"),
                         validators=[DataRequired(_l("Saisissez le numéro de l’attestation."))])

    def validate_numero(self, field) -> None:
        # An attestation's number, or a « rapport annuel d’alliance »'s (RAA-2026-000123).
        number = canonical_number(field.data) or report_documents.canonical_number(field.data)
        if number is None:
            raise ValidationError(_l("Un numéro d’attestation a la forme CFA-2026-000123, celui "
                                     "d’un rapport annuel RAA-2026-000123."))
        field.data = number


class UploadForm(FlaskForm):
    document = FileField(_l("Fichier PDF de l’attestation"),
                         validators=[FileRequired(_l("Choisissez le fichier PDF à vérifier."))],
                         render_kw={"accept": "application/pdf,.pdf"})
    submit = SubmitField(_l("Vérifier le fichier"))

    pdf_bytes: bytes = b""

    def validate_document(self, field) -> None:
        limit = current_app.config.get("CERTIFICATE_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
        data = field.data.read(limit + 1)
        if len(data) > limit:
            raise ValidationError(_l("Le fichier dépasse la taille autorisée (%(size)s).",
                                     size=_size(limit)))
        if not looks_like_pdf(data):
            raise ValidationError(_l("Ce fichier n’est pas un PDF."))
        self.pdf_bytes = data


def _size(limit: int) -> str:
    return f"{limit // 2**20} Mo" if limit >= 2**20 else f"{max(1, limit // 1024)} ko"
