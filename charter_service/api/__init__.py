"""Read-only JSON API under /api/v1, documented by flask-smorest at /api/v1/openapi.json."""

from flask import Flask
from flask_smorest import Api

from .certificates import blp as certificates_blp
from .charter import blp as charter_blp
from .commitments import blp as commitments_blp


def register_api(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "Charte du faire alliance")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = Api(app, spec_kwargs={"servers": [{"url": "/"}]})
    api.register_blueprint(charter_blp, url_prefix="/api/v1/charter")
    api.register_blueprint(certificates_blp, url_prefix="/api/v1/certificates")
    api.register_blueprint(commitments_blp, url_prefix="/api/v1/commitments")
