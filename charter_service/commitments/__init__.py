"""Commitments under the charter's principles: the member's space and their moderation."""

from flask import Flask

from . import moderation_views, partner_views  # noqa: F401  (add their routes to `bp`)
from .views import bp


def register(app: Flask) -> None:
    from . import subscribers  # noqa: F401  (a first commitment declared while signing)

    app.register_blueprint(bp)
