"""The account e-mails, each with an absolute link built for the recipient."""

from flask import current_app, url_for

from ..mailing.services import queue
from . import tokens
from .models import User


def send_confirmation(user: User) -> None:
    token = tokens.make(tokens.CONFIRM_PURPOSE, {"uid": user.id, "email": user.email})
    queue(user.email, "account_confirm", locale=user.locale, name=user.full_name,
          confirm_url=url_for("accounts.confirm", token=token, _external=True),
          days=max(1, current_app.config["CONFIRM_TOKEN_MAX_AGE"] // 86400))


def send_account_exists(user: User) -> None:
    """Told to the owner instead of the visitor, so sign-up never reveals who has an account."""
    confirm_url = None
    if user.confirmed_at is None:
        token = tokens.make(tokens.CONFIRM_PURPOSE, {"uid": user.id, "email": user.email})
        confirm_url = url_for("accounts.confirm", token=token, _external=True)
    queue(user.email, "account_exists", locale=user.locale, name=user.full_name,
          login_url=url_for("accounts.login", _external=True),
          reset_url=url_for("accounts.forgot_password", _external=True),
          confirm_url=confirm_url)


def send_password_reset(user: User) -> None:
    token = tokens.make(tokens.RESET_PURPOSE,
                        {"uid": user.id, "fp": tokens.password_fingerprint(user)})
    queue(user.email, "account_reset", locale=user.locale, name=user.full_name,
          reset_url=url_for("accounts.reset_password", token=token, _external=True),
          hours=max(1, current_app.config["RESET_TOKEN_MAX_AGE"] // 3600))
