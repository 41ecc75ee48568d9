"""Moderation: the queue, decisions, merges of duplicates, the journal (/moderation), and the
public statistics page (/transparence)."""

from flask import Blueprint, Flask

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
public_bp = Blueprint("transparency", __name__)


def register(app: Flask) -> None:
    from . import (  # noqa: F401  (attach the routes to the blueprints)
        handover_views,
        journal_views,
        missing_report_views,
        missing_reports,  # noqa: F401  (lifts a suspension for missing report on a report)
        paper_views,
        personal_data_views,
        subscribers,  # noqa: F401  (alerts follow charter_service.signals)
        views,
    )

    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
