"""Organisations and their members: the member's space (/espace)."""

from flask import Flask

from . import (
    personal_data,  # noqa: F401  (its part of a member's data on request)
    waiting,  # noqa: F401  (invitations to join, in the member's space)
)
from .views import bp


def register(app: Flask) -> None:
    app.register_blueprint(bp)
