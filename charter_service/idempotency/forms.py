import secrets

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField
from wtforms.validators import Optional, Regexp

KEY_PATTERN = r"^[A-Za-z0-9_-]{32,64}$"


def new_key() -> str:
    return secrets.token_urlsafe(32)


class IdempotentForm:
    """Mixin for a create form: a hidden key drawn when the form is displayed. A POST without
    it (an old page, a script) still works, only without the protection."""

    form_key = HiddenField(default=new_key, validators=[Optional(), Regexp(
        KEY_PATTERN, message=_l("Ce formulaire est incomplet : rechargez la page et "
                                "recommencez."))])
