"""Organisations and their members: the member's space (/espace)."""

from flask import Flask

from .views import bp


def register(app: Flask) -> None:
    app.register_blueprint(bp)
