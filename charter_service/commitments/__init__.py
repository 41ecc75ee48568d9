"""Commitments under the charter's principles: the member's space and their moderation."""

from flask import Flask

from . import moderation_views, partner_views  # noqa: F401  (add their routes to `bp`)
from .views import bp


def register(app: Flask) -> None:
    app.register_blueprint(bp)
