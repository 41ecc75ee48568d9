from flask import flash, redirect
from flask_babel import gettext as _

from ..extensions import db
from .services import AlreadySubmitted


def replay(done: AlreadySubmitted, fallback: str):
    """Answer a repeated submission as the first one was answered: on the created object."""
    db.session.rollback()
    flash(_("Ce formulaire avait déjà été envoyé : il n'a pas été enregistré une seconde fois."),
          "info")
    return redirect(done.target or fallback)
