"""Account forms: French messages; the password rule is read from the configuration when checked."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..text_fields import NameText
from .services import PasswordProblem, normalise_email, password_problem

LANGUAGE_CHOICES = [SelectChoice("fr", "Français", {"lang": "fr"}),
                    SelectChoice("en", "English", {"lang": "en"})]
PASSWORD_MAX_LENGTH = 1024


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def valid_email(form, field) -> None:
    normalised = normalise_email(field.data or "")
    if normalised is None:
        raise ValidationError(_("Saisissez une adresse e-mail valide, par exemple "
                                "prenom.nom@exemple.fr."))
    field.data = normalised


WEAKNESS_MESSAGES = {
    PasswordProblem.PERSONAL: _l("Ce mot de passe contient votre nom ou votre adresse e-mail."),
    PasswordProblem.SERVICE: _l("Ce mot de passe reprend le nom du service ou de la charte."),
    PasswordProblem.COMMON: _l("Ce mot de passe est trop courant ou fait de mots trop connus."),
    PasswordProblem.KEYBOARD: _l("Ce mot de passe suit les touches du clavier (azerty, qsdf…)."),
    PasswordProblem.REPEAT: _l("Ce mot de passe répète les mêmes caractères ou le même motif."),
    PasswordProblem.SEQUENCE: _l("Ce mot de passe est une suite trop prévisible (abcd, 1234…)."),
    PasswordProblem.DATE: _l("Ce mot de passe repose sur une date ou une année, faciles à "
                             "deviner."),
    PasswordProblem.GUESSABLE: _l("Ce mot de passe est trop facile à deviner."),
}
WEAKNESS_ADVICE = _l("Ajoutez un ou deux mots peu courants, ou choisissez une phrase de "
                     "plusieurs mots sans lien avec vous.")


def password_rules(form, field) -> None:
    if "email" in form:  # sign-up: the account is being created from this form
        email, full_name = form.email.data, form.full_name.data
    else:
        email, full_name = form.account_email, form.account_name
    problem = password_problem(field.data or "", email, full_name)
    if problem is PasswordProblem.TOO_SHORT:
        raise ValidationError(_("Le mot de passe doit contenir au moins %(count)d caractères.",
                                count=current_app.config["PASSWORD_MIN_LENGTH"]))
    if problem is PasswordProblem.SAME_AS_EMAIL:
        raise ValidationError(_("Le mot de passe ne doit pas être votre adresse e-mail."))
    if problem is not None:
        raise ValidationError(f"{WEAKNESS_MESSAGES[problem]} {WEAKNESS_ADVICE}")


def password_hint() -> str:
    return _("Au moins %(count)d caractères, difficile à deviner : ni mot de passe courant, ni "
             "suite de touches, ni votre nom ou votre adresse e-mail. Une phrase de plusieurs "
             "mots peu courants est facile à retenir et difficile à deviner.",
             count=current_app.config["PASSWORD_MIN_LENGTH"])


def _full_name_field() -> NameText:
    return NameText(_l("Nom complet"), validators=[
        DataRequired(_l("Indiquez votre nom complet.")),
        Length(max=120, message=_l("Le nom ne doit pas dépasser 120 caractères."))])


def _locale_field() -> SelectField:
    return SelectField(_l("Langue des e-mails et de l’interface"), choices=LANGUAGE_CHOICES,
                       validate_choice=True)


def _email_field(validators=()) -> EmailField:
    return EmailField(_l("Adresse e-mail"), filters=[_strip], validators=[
        DataRequired(_l("Indiquez votre adresse e-mail.")), *validators])


def _new_password_fields(label) -> tuple[PasswordField, PasswordField]:
    password = PasswordField(label, validators=[
        DataRequired(_l("Choisissez un mot de passe.")),
        Length(max=PASSWORD_MAX_LENGTH, message=_l("Ce mot de passe est trop long.")),
        password_rules])
    confirmation = PasswordField(_l("Confirmez le mot de passe"), validators=[
        DataRequired(_l("Saisissez le mot de passe une seconde fois.")),
        EqualTo("password", _l("Les deux mots de passe ne sont pas identiques."))])
    return password, confirmation


class SignupForm(FlaskForm):
    full_name = _full_name_field()
    email = _email_field([valid_email])
    password, password_confirm = _new_password_fields(_l("Mot de passe"))
    locale = _locale_field()
    submit = SubmitField(_l("Créer mon compte"))


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(_l("Mot de passe"), validators=[
        DataRequired(_l("Indiquez votre mot de passe."))])
    remember = BooleanField(_l("Rester connecté sur cet appareil"))
    submit = SubmitField(_l("Se connecter"))


class EmailForm(FlaskForm):
    email = _email_field([valid_email])
    submit = SubmitField(_l("Envoyer le lien"))


class ResetPasswordForm(FlaskForm):
    account_email: str | None = None
    account_name: str | None = None
    password, password_confirm = _new_password_fields(_l("Nouveau mot de passe"))
    submit = SubmitField(_l("Enregistrer le nouveau mot de passe"))


class ProfileForm(FlaskForm):
    full_name = _full_name_field()
    locale = _locale_field()
    submit = SubmitField(_l("Enregistrer"))


class PasswordChangeForm(FlaskForm):
    account_email: str | None = None
    account_name: str | None = None
    current_password = PasswordField(_l("Mot de passe actuel"), validators=[
        DataRequired(_l("Indiquez votre mot de passe actuel."))])
    password, password_confirm = _new_password_fields(_l("Nouveau mot de passe"))
    submit = SubmitField(_l("Changer le mot de passe"))


class AccountDeletionForm(FlaskForm):
    current_password = PasswordField(_l("Mot de passe actuel"), validators=[
        DataRequired(_l("Indiquez votre mot de passe actuel."))])
    confirm = BooleanField(
        _l("Je demande la suppression définitive de mon compte et de mes données personnelles."),
        validators=[DataRequired(_l("Cochez la case pour confirmer la suppression."))])
    submit = SubmitField(_l("Supprimer mon compte"))
