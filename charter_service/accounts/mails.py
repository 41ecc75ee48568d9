"""The account e-mails, each with an absolute link built for the recipient."""

from flask import current_app

from ..links import external_url
from ..mailing.services import queue
from . import tokens
from .models import User


def send_confirmation(user: User) -> None:
    token = tokens.make(tokens.CONFIRM_PURPOSE, {"uid": user.id, "email": user.email})
    queue(user.email, "account_confirm", locale=user.locale, name=user.full_name,
          confirm_url=external_url("accounts.confirm", token=token),
          days=max(1, current_app.config["CONFIRM_TOKEN_MAX_AGE"] // 86400))


def send_account_exists(user: User) -> None:
    """Told to the owner instead of the visitor, so sign-up never reveals who has an account."""
    confirm_url = None
    if user.confirmed_at is None:
        token = tokens.make(tokens.CONFIRM_PURPOSE, {"uid": user.id, "email": user.email})
        confirm_url = external_url("accounts.confirm", token=token)
    queue(user.email, "account_exists", locale=user.locale, name=user.full_name,
          login_url=external_url("accounts.login"),
          reset_url=external_url("accounts.forgot_password"),
          confirm_url=confirm_url)


def send_password_reset(user: User) -> None:
    token = tokens.make(tokens.RESET_PURPOSE,
                        {"uid": user.id, "fp": tokens.password_fingerprint(user)})
    queue(user.email, "account_reset", locale=user.locale, name=user.full_name,
          reset_url=external_url("accounts.reset_password", token=token),
          hours=max(1, current_app.config["RESET_TOKEN_MAX_AGE"] // 3600))
