"""Commitments under the charter's principles: the member's space and their moderation."""

from flask import Flask

from . import (  # noqa: F401  (add their routes to `bp`)
    moderation_views,
    partner_views,
    personal_data,  # noqa: F401  (its part of a member's data on request)
    waiting,  # noqa: F401  (partnerships to confirm, reports due, in the member's space)
)
from .annual import partner_views as annual_partner_views  # noqa: F401  (the annual report)
from .annual import views as annual_views  # noqa: F401
from .views import bp


def register(app: Flask) -> None:
    from . import subscribers  # noqa: F401  (a first commitment declared while signing)

    app.register_blueprint(bp)
