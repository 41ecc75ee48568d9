"""Commitments under the charter's principles: the member's space and their moderation."""

from flask import Flask

from . import (  # noqa: F401  (add their routes to `bp`)
    moderation_views,
    partner_views,
    personal_data,  # noqa: F401  (its part of a member's data on request)
)
from .views import bp


def register(app: Flask) -> None:
    app.register_blueprint(bp)
