"""Account pages under /compte: sign-up, confirmation, log-in and out, password reset, settings."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from flask_login.config import COOKIE_NAME
from flask_wtf import FlaskForm

from ..domain import unit_of_work
from ..extensions import limiter
from . import auth, mail_jobs, services
from .forms import (
    EmailForm,
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    ResetPasswordForm,
    SignupForm,
    password_hint,
)
from .tokens import InvalidToken

bp = Blueprint("accounts", __name__, url_prefix="/compte")
bp.before_app_request(auth.load_user_first)


def _limit(config_key: str):
    return limiter.limit(lambda: current_app.config[config_key], methods=["POST"])


def _login_account() -> str:
    """The account a log-in attempt is for, whatever address (IP) it comes from."""
    raw = request.form.get("email", "")[:320]
    return "account:" + (services.normalise_email(raw) or raw.strip().casefold())


def _limit_failed_logins_per_account():
    """Counts the attempts that were answered and failed: not a log-in (302), nor one the
    service could not take (503: its shared store, or the database, is unavailable)."""
    return limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN_ACCOUNT"],
                         key_func=_login_account, methods=["POST"],
                         deduct_when=lambda response: response.status_code not in (302, 503))


def safe_next(target: str | None) -> str | None:
    """A path on this site, or None: no scheme, no host, nothing a browser would read as one."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if "\\" in target or any(ord(char) < 0x21 or ord(char) == 0x7F for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _after_login_url() -> str:
    """Where `next` asks, else what waits for the person: the queue for the moderators."""
    landing = "moderation.queue" if current_user.is_moderator else "organisations.space"
    return safe_next(request.args.get("next")) or url_for(landing)


def _renew_session() -> None:
    """Start from an empty session at each change of identity, keeping only the language choice."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def _token_problem(error: InvalidToken, purpose: str):
    return render_template("accounts/token_invalid.html", expired=error.expired,
                           purpose=purpose), 400


@bp.route("/inscription", methods=["GET", "POST"])
@_limit("RATELIMIT_SIGNUP")
def signup():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for(".settings"))
    form = SignupForm(locale=get_locale().language)
    if form.validate_on_submit():
        # The same address signing up at the same instant gets the same page, without a word.
        with unit_of_work(conflict=""):
            services.sign_up(form.full_name.data, form.email.data, form.password.data,
                             form.locale.data)
        return render_template("accounts/check_mailbox.html", email=form.email.data)
    return render_template("accounts/signup.html", form=form, password_hint=password_hint())


@bp.route("/confirmer/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """GET shows a button; only its POST confirms (a mail scanner's GET changes nothing)."""
    try:
        user = services.user_for_confirm_token(token)
    except InvalidToken as error:
        return _token_problem(error, "confirm")
    form = FlaskForm()
    if not form.validate_on_submit():
        return render_template("accounts/confirm_email.html", form=form, email=user.email,
                               already=user.confirmed_at is not None)
    with unit_of_work():
        outcome = services.confirm_email(user)
    if outcome is services.ConfirmOutcome.CONFIRMED:
        flash(_("Votre adresse e-mail est confirmée. Vous pouvez maintenant vous connecter."),
              "success")
    else:
        flash(_("Votre adresse e-mail est déjà confirmée : connectez-vous."), "info")
    return redirect(url_for(".login"))


@bp.route("/renvoyer-confirmation", methods=["GET", "POST"])
@_limit("RATELIMIT_SIGNUP")
def resend_confirmation():
    form = EmailForm()
    if form.validate_on_submit():
        page = render_template("accounts/resend_confirmation.html", form=form, sent=True)
        mail_jobs.ask_confirmation(form.email.data)  # last: the job overlaps the request least
        return page
    return render_template("accounts/resend_confirmation.html", form=form, sent=False)


@bp.route("/connexion", methods=["GET", "POST"])
@_limit("RATELIMIT_LOGIN")
@_limit_failed_logins_per_account()
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_after_login_url())
    form = LoginForm()
    outcome = None
    if form.validate_on_submit():
        outcome, user = services.authenticate(form.email.data, form.password.data)
        if outcome is services.LoginOutcome.OK:
            with unit_of_work():
                _renew_session()
                auth.log_in(user, remember=form.remember.data)
            flash(_("Vous êtes connecté."), "success")
            return redirect(_after_login_url())
    return render_template("accounts/login.html", form=form, outcome=outcome,
                           outcomes=services.LoginOutcome)


@bp.post("/deconnexion")
def logout():
    with unit_of_work():
        auth.end_current_session()
        _renew_session()
        logout_user()
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("public.home"))


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@_limit("RATELIMIT_PASSWORD_RESET")
def forgot_password():
    form = EmailForm()
    if form.validate_on_submit():
        page = render_template("accounts/forgot_password.html", form=form, sent=True)
        mail_jobs.ask_password_reset(form.email.data)  # last: the job overlaps the request least
        return page
    return render_template("accounts/forgot_password.html", form=form, sent=False)


@bp.route("/reinitialiser/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        user = services.user_for_reset_token(token)
    except InvalidToken as error:
        return _token_problem(error, "reset")
    form = ResetPasswordForm()
    form.account_email, form.account_name = user.email, user.full_name
    if form.validate_on_submit():
        with unit_of_work():
            services.reset_password(user, form.password.data)
            _renew_session()
            auth.log_in(user)
        flash(_("Votre mot de passe a été modifié et vous êtes connecté. Vos autres sessions "
                "ont été fermées."), "success")
        return redirect(url_for("organisations.space"))
    return render_template("accounts/reset_password.html", form=form,
                           password_hint=password_hint())


def _submitted(form_prefix: str):
    """The posted data for the settings form whose button was pressed, else None."""
    if request.method == "POST" and f"{form_prefix}-submit" in request.form:
        return request.form
    return None


@bp.route("/", methods=["GET", "POST"])
@login_required
@_limit("RATELIMIT_LOGIN")
def settings():
    user = current_user._get_current_object()
    profile = ProfileForm(prefix="profile", obj=user, formdata=_submitted("profile"))
    password = PasswordChangeForm(prefix="password", formdata=_submitted("password"))
    password.account_email, password.account_name = user.email, user.full_name
    if _submitted("profile") and profile.validate():
        with unit_of_work():
            services.update_profile(user, profile.full_name.data, profile.locale.data)
            session.pop("lang", None)  # the saved language now applies
        flash(_("Vos informations ont été enregistrées."), "success")
        return redirect(url_for(".settings"))
    if _submitted("password") and password.validate():
        if services.change_password(user, password.current_password.data, password.password.data):
            cookie = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
            # Every session ended with the old password: this browser gets a new one.
            with unit_of_work():
                auth.log_in(user, remember=cookie in request.cookies)
            flash(_("Votre mot de passe a été changé. Vos autres sessions ont été fermées."),
                  "success")
            return redirect(url_for(".settings"))
        password.current_password.errors.append(_("Le mot de passe actuel est incorrect."))
    return render_template("accounts/settings.html", profile=profile, password=password,
                           password_hint=password_hint())
