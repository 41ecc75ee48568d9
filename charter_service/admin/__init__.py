"""Administration (/admin): user roles and charter versions."""

from flask import Flask

from . import version_views  # noqa: F401  (adds the charter version pages to bp)
from .views import bp


def register(app: Flask) -> None:
    app.register_blueprint(bp)
