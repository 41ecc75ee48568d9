"""Signed PDF attestations: issued on approval, revoked on suspension or withdrawal, verified
publicly at /verifier."""

from flask import Blueprint, Flask

bp = Blueprint("certificates", __name__)


def register(app: Flask) -> None:
    from . import (
        subscribers,  # noqa: F401  (attestations follow charter_service.signals)
        views,  # noqa: F401  (attach the routes to `bp`)
    )
    from .report_documents import documents_of
    from .services import certificates_of

    app.register_blueprint(bp)
    # For the panels other pages include: certificates/_member_panel.html, _moderation_panel.html
    app.add_template_global(certificates_of, "attestations_of")
    app.add_template_global(documents_of, "report_documents_of")
