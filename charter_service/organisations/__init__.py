"""Organisations and their members: the member's space (/espace)."""

from flask import Flask

from . import personal_data  # noqa: F401  (its part of a member's data on request)
from .views import bp


def register(app: Flask) -> None:
    app.register_blueprint(bp)
