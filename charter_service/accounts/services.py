"""Account state changes: sign-up, confirmation, log-in, password reset and change, roles.

Every function only flushes; the caller commits once.
"""

import enum
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import select

from ..db_types import utcnow
from ..extensions import db
from . import mails, sessions, tokens
from .models import Role, User
from .strength import PasswordProblem, personal_words, weakness

# Production defaults (argon2-cffi's RFC 9106 low-memory profile); tests lower them in config.
ARGON2_DEFAULTS = {"ARGON2_TIME_COST": 3, "ARGON2_MEMORY_COST": 65536, "ARGON2_PARALLELISM": 4}


class LoginOutcome(enum.Enum):
    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"
    UNCONFIRMED = "unconfirmed"


class ConfirmOutcome(enum.Enum):
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"


# --- passwords ---------------------------------------------------------------------------------

def _hasher() -> PasswordHasher:
    config = current_app.config
    return _hasher_for(*(int(config.get(key, default)) for key, default in ARGON2_DEFAULTS.items()))


@lru_cache(maxsize=8)
def _hasher_for(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


@lru_cache(maxsize=8)
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str, email: str | None,
                     full_name: str | None = None) -> PasswordProblem | None:
    """The first rule the password breaks: length, not the address, hard enough to guess."""
    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        return PasswordProblem.TOO_SHORT
    if email and password.strip().casefold() == email.strip().casefold():
        return PasswordProblem.SAME_AS_EMAIL
    return weakness(password, personal_words(full_name, email))


def _set_password(user: User, password: str) -> None:
    """A new password ends every session and every pending reset link of the account."""
    user.password_hash = hash_password(password)
    sessions.revoke_all(user)


# --- addresses ---------------------------------------------------------------------------------

def normalise_email(raw: str) -> str | None:
    """The address as stored (validated, lowercase), or None when it is not an address."""
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError:
        return None
    return result.normalized.lower()


def find_user_by_email(raw: str) -> User | None:
    email = normalise_email(raw)
    if email is None:
        return None
    return db.session.scalar(select(User).where(User.email == email))


# --- sign-up and confirmation --------------------------------------------------------------------

def sign_up(full_name: str, email: str, password: str, locale: str) -> User | None:
    """Create an unconfirmed account, or warn the owner of an existing one (returns None)."""
    password_hash = hash_password(password)  # hashed in both cases so timing tells nothing
    existing = find_user_by_email(email)
    if existing is not None:
        mails.send_account_exists(existing)
        return None
    user = User(email=normalise_email(email), full_name=full_name, password_hash=password_hash,
                locale=locale, role=Role.USER)
    db.session.add(user)
    db.session.flush()
    mails.send_confirmation(user)
    return user


def user_for_confirm_token(token: str) -> User:
    """Raises tokens.InvalidToken for a bad, expired or outdated link. Reading a link changes
    nothing: mail gateways open links before people do."""
    max_age = current_app.config["CONFIRM_TOKEN_MAX_AGE"]
    payload = tokens.read(tokens.CONFIRM_PURPOSE, token, max_age)
    user = db.session.get(User, payload["uid"])
    if user is None or user.email != payload.get("email"):
        raise tokens.InvalidToken()
    return user


def confirm_email(user: User) -> ConfirmOutcome:
    """The person pressed the button of the confirmation page."""
    if user.confirmed_at is not None:
        return ConfirmOutcome.ALREADY_CONFIRMED
    user.confirmed_at = utcnow()
    return ConfirmOutcome.CONFIRMED


def resend_confirmation(email: str) -> None:
    user = find_user_by_email(email)
    if user is not None and user.confirmed_at is None:
        mails.send_confirmation(user)


# --- log-in ------------------------------------------------------------------------------------

def authenticate(email: str, password: str) -> tuple[LoginOutcome, User | None]:
    user = find_user_by_email(email)
    if user is None:
        _password_matches(_dummy_hash(_hasher()), password)  # same work as for a real account
        return LoginOutcome.BAD_CREDENTIALS, None
    if not _password_matches(user.password_hash, password):
        return LoginOutcome.BAD_CREDENTIALS, None
    if user.confirmed_at is None:
        return LoginOutcome.UNCONFIRMED, user
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return LoginOutcome.OK, user


# --- password reset and change -------------------------------------------------------------------

def request_password_reset(email: str) -> None:
    user = find_user_by_email(email)
    if user is not None:
        mails.send_password_reset(user)


def user_for_reset_token(token: str) -> User:
    """Raises tokens.InvalidToken for a bad or expired link, or one already used."""
    max_age = current_app.config["RESET_TOKEN_MAX_AGE"]
    payload = tokens.read(tokens.RESET_PURPOSE, token, max_age)
    user = db.session.get(User, payload["uid"])
    if user is None or payload.get("fp") != tokens.password_fingerprint(user):
        raise tokens.InvalidToken()
    return user


def reset_password(user: User, new_password: str) -> None:
    """The link came through the mailbox, so it also proves the address."""
    _set_password(user, new_password)
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
    user.last_login_at = utcnow()


def password_is(user: User, password: str) -> bool:
    """The account's password re-entered, before a change that cannot be undone."""
    return _password_matches(user.password_hash, password)


def change_password(user: User, current_password: str, new_password: str) -> bool:
    if not _password_matches(user.password_hash, current_password):
        return False
    _set_password(user, new_password)
    return True


def update_profile(user: User, full_name: str, locale: str) -> None:
    user.full_name = full_name
    user.locale = locale


# --- administration ------------------------------------------------------------------------------

def create_confirmed_user(email: str, full_name: str, password: str, role: Role) -> User:
    user = User(email=email, full_name=full_name, password_hash=hash_password(password),
                role=role, locale="fr", confirmed_at=utcnow())
    db.session.add(user)
    db.session.flush()
    return user


def set_role(user: User, role: Role) -> None:
    user.role = role
