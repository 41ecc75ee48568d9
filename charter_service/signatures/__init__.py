"""Signatures: the signing journey and the state machine of a signature."""

from flask import Flask


def register(app: Flask) -> None:
    from . import subscribers  # noqa: F401  (the organisation's e-mails follow the signals)
    from .views import bp

    app.register_blueprint(bp)
