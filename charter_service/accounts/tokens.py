"""Signed, expiring links sent by e-mail; one salt per purpose, so no token stands for another."""

import hashlib
import hmac

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from ..domain import DomainError
from .models import User

CONFIRM_PURPOSE = "accounts.confirm-email"
RESET_PURPOSE = "accounts.reset-password"
EXPIRED = _l("Ce lien a expiré : pour votre sécurité, les liens envoyés par e-mail ne sont "
             "valables que peu de temps.")
INVALID = _l("Ce lien n’est pas valide : il a peut-être déjà été utilisé, été remplacé par un "
             "lien plus récent, ou été mal copié.")


class InvalidToken(DomainError):
    """A link that is not (or no longer) valid; its page says which, and what to do."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__(EXPIRED if expired else INVALID)
        self.expired = expired


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=purpose)


def make(purpose: str, payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


def read(purpose: str, token: str, max_age: int, key: str = "uid") -> dict:
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise InvalidToken(expired=True) from None
    except BadData:
        raise InvalidToken() from None
    if not isinstance(payload, dict) or not isinstance(payload.get(key), int):
        raise InvalidToken()
    return payload


def password_fingerprint(user: User) -> str:
    """Changes with the password hash (and the address), so a reset link works only once."""
    message = f"{user.email}\n{user.password_hash}".encode()
    key = str(current_app.secret_key).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]
