"""The public register of signatories: page, exports, open data, statistics, feed."""

from flask import Flask

from . import sync  # noqa: F401  (keeps register_entries in step on every flush)
from .blueprint import bp


def register(app: Flask) -> None:
    # The route modules add their views to `bp` when imported.
    from . import export_views, opendata_views, stats_views, views  # noqa: F401

    app.register_blueprint(bp)
