import re
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from ..idempotency.forms import IdempotentForm
from ..text_fields import MultiLineText, NameText, OneLineText, URLText
from . import geo
from .identifiers import InvalidIdentifier, parse_company_number, parse_rna
from .logos import LogoRejected, normalise_logo
from .models import MemberRole, OrganisationKind
from .services import OrganisationData

DESCRIPTION_MAX_LENGTH = 2000
# A web host: dot-separated labels (any script), the last one letters only.
_HOST = re.compile(r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}")
_BARE_ADDRESS = re.compile(r"([^/?#:\s]+)(:[0-9]{1,5})?([/?#]\S*)?")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _required(message):
    return DataRequired(message=message)


def with_scheme(value):
    """« www.exemple.fr/page » → « https://www.exemple.fr/page »: a bare host gets https://;
    anything else is left for validate_website to judge."""
    value = _strip(value)
    if isinstance(value, str):
        bare = _BARE_ADDRESS.fullmatch(value)
        if bare and _HOST.fullmatch(bare.group(1)):
            return f"https://{value}"
    return value


class OrganisationForm(IdempotentForm, FlaskForm):
    name = NameText(_l("Nom de l’organisation"), validators=[
        _required(_l("Indiquez le nom de l’organisation.")), Length(max=200)])
    kind = SelectField(_l("Type d’organisation"), validators=[
        _required(_l("Choisissez le type d’organisation."))])
    identifier = StringField(_l("SIREN ou SIRET"), filters=[_strip])
    rna = StringField(_l("Numéro RNA"), filters=[_strip])
    address = OneLineText(_l("Adresse"), validators=[
        _required(_l("Indiquez l’adresse du siège.")), Length(max=250)])
    postcode = StringField(_l("Code postal"), filters=[_strip], validators=[
        _required(_l("Indiquez le code postal.")),
        Regexp(r"^[0-9]{5}$", message=_l("Le code postal compte 5 chiffres, par exemple 69001."))])
    commune = NameText(_l("Commune"), validators=[
        _required(_l("Indiquez la commune.")), Length(max=120)])
    # Not stored (the région follows from the département): it narrows the list in the browser.
    region = SelectField(_l("Région"), validators=[Optional()])
    departement = SelectField(_l("Département"), validators=[
        _required(_l("Choisissez le département."))])
    website = URLText(_l("Site web"), filters=[with_scheme],
                      validators=[Optional(), Length(max=300)])
    description = MultiLineText(_l("Présentation"), validators=[
        Optional(), Length(max=DESCRIPTION_MAX_LENGTH, message=_l(
            "La présentation ne doit pas dépasser %(max)d caractères."))])
    logo = FileField(_l("Logo"), render_kw={"accept": "image/png,image/jpeg"})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", _("Choisissez un type"))] + [
            (kind.value, str(kind.label)) for kind in OrganisationKind]
        self.region.choices = [("", _("Toutes les régions"))] + geo.region_choices()
        self.departement.choices = [("", _("Choisissez un département"))] + [
            (code, label, {"data-region": geo.region_of(code)})
            for code, label in geo.departement_choices()]
        self.company_number = None
        self.rna_number = None
        self.logo_png = None

    def validate_identifier(self, field) -> None:
        try:
            self.company_number = parse_company_number(field.data)
        except InvalidIdentifier as exc:
            raise ValidationError(str(exc.message)) from exc

    def validate_rna(self, field) -> None:
        try:
            self.rna_number = parse_rna(field.data)
        except InvalidIdentifier as exc:
            raise ValidationError(str(exc.message)) from exc

    def validate_website(self, field) -> None:
        parts = urlsplit(field.data)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValidationError(_("Indiquez une adresse complète commençant par https:// "
                                    "ou http://, par exemple https://www.exemple.fr."))
        if not _HOST.fullmatch(parts.hostname):
            raise ValidationError(_("Cette adresse ne désigne pas un site web : indiquez par "
                                    "exemple www.exemple.fr."))

    def validate_logo(self, field) -> None:
        if not field.data:
            return
        config = current_app.config
        try:
            self.logo_png = normalise_logo(field.data.read(), max_bytes=config["LOGO_MAX_BYTES"],
                                           max_pixels=config["LOGO_MAX_PIXELS"])
        except LogoRejected as exc:
            raise ValidationError(str(exc)) from exc

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.identifier.errors or self.rna.errors or self.kind.errors):
            if self.kind.data != OrganisationKind.AUTRE and not (
                    self.company_number or self.rna_number):
                self.identifier.errors.append(_(
                    "Indiquez un SIREN, un SIRET ou un numéro RNA : un identifiant est "
                    "obligatoire, sauf pour le type « Autre »."))
                valid = False
        return self._check_place() and valid

    def _check_place(self) -> bool:
        """The postcode and the région must agree with the département (the script proposes
        both; without it, this is where a mismatch is caught)."""
        if self.departement.errors:
            return True
        code = self.departement.data
        if not self.postcode.errors and not geo.postcode_matches(self.postcode.data, code):
            self.postcode.errors.append(_(
                "Ce code postal ne correspond pas au département %(departement)s.",
                departement=geo.departement_name(code)))
            return False
        chosen = self.region.data if self.region.raw_data else None  # as submitted, if at all
        if chosen and not self.region.errors and geo.region_of(code) != chosen:
            self.departement.errors.append(_(
                "Le département %(departement)s n’est pas dans la région %(region)s.",
                departement=geo.departement_name(code), region=geo.region_name(chosen)))
            return False
        return True

    def to_data(self) -> OrganisationData:
        company = self.company_number
        return OrganisationData(
            name=self.name.data, kind=OrganisationKind(self.kind.data),
            siren=company.siren if company else None, siret=company.siret if company else None,
            rna=self.rna_number, address=self.address.data, postcode=self.postcode.data,
            commune=self.commune.data, departement_code=self.departement.data,
            website=self.website.data or "", description=self.description.data or "")


def _role_choices():
    return [(role.value, str(role.label)) for role in MemberRole]


class InviteForm(IdempotentForm, FlaskForm):
    email = EmailField(_l("Adresse e-mail"), filters=[_strip], validators=[
        _required(_l("Indiquez l’adresse e-mail de la personne à inviter.")),
        Length(max=254),
        Email(message=_l("Saisissez une adresse e-mail valide, par exemple "
                         "nom@exemple.fr."))])
    role = SelectField(_l("Rôle"), default=MemberRole.MEMBER.value)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices()


class RoleForm(FlaskForm):
    role = SelectField(_l("Rôle"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices()
