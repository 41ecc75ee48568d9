"""Accounts: sign-up, log-in and sessions, passwords, roles."""

from flask import Flask

from . import (
    auth,  # noqa: F401  (registers the user loader)
    data_views,  # noqa: F401  (adds its routes to `bp`)
)
from .views import bp


def register(app: Flask) -> None:
    app.register_blueprint(bp)
