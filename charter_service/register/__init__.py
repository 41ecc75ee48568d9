"""The public register of signatories: page, exports, open data, statistics, feed."""

from flask import Flask

from .blueprint import bp


def register(app: Flask) -> None:
    # The route modules add their views to `bp` when imported.
    from . import (  # noqa: F401
        export_views,
        opendata_views,
        stats_views,
        subscribers,  # noqa: F401  (register_entries follow charter_service.signals)
        views,
    )

    app.register_blueprint(bp)
