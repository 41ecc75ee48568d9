"""Signatures: the signing journey and the state machine of a signature."""

from flask import Flask

from . import (
    handover_views,
    invitations,  # noqa: F401  (invites signatories when a new version is published)
    personal_data,  # noqa: F401  (its part of a member's data on request)
    representative_views,
    space_views,  # noqa: F401  (the member's space, on the organisations blueprint)
    waiting,  # noqa: F401  (what waits for a member or a representative, in their space)
)
from .views import bp


def register(app: Flask) -> None:
    from . import subscribers  # noqa: F401  (the organisation's e-mails follow the signals)

    app.register_blueprint(bp)
    app.register_blueprint(representative_views.link_bp)
    app.register_blueprint(handover_views.link_bp)
