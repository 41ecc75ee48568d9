"""Commitments under the charter's principles: the member's space and their moderation."""

from flask import Flask

from . import (  # noqa: F401  (add their routes to `bp`)
    moderation_views,
    partner_views,
    personal_data,  # noqa: F401  (its part of a member's data on request)
    waiting,  # noqa: F401  (partnerships to confirm, reports due, in the member's space)
)
from .views import bp


def register(app: Flask) -> None:
    from . import subscribers  # noqa: F401  (a first commitment declared while signing)

    app.register_blueprint(bp)
