"""What anyone can read without an account: the home page, the charter, a signatory's page and
its logo."""

from flask import Flask

from . import charter_views, signatory_views, views


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.register_blueprint(charter_views.bp)
    app.register_blueprint(signatory_views.bp)
