"""The public register of signatories: page, exports, open data, statistics, feed."""

from flask import Flask

from . import sync  # noqa: F401  (keeps register_entries in step on every flush)
from .blueprint import bp


def register(app: Flask) -> None:
    from . import views  # noqa: F401
    for name in ("stats_views", "export_views", "opendata_views", "commands"):
        try:
            __import__(f"{__name__}.{name}")
        except ModuleNotFoundError as error:  # a colleague's module not written yet
            if error.name != f"{__name__}.{name}":
                raise
    app.register_blueprint(bp)
