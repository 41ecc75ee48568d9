"""Read-only JSON API under /api/v1, documented by flask-smorest at /api/v1/openapi.json."""

from http import HTTPStatus

from flask import Flask
from flask_smorest import Api

from . import cors
from .certificates import blp as certificates_blp
from .charter import blp as charter_blp
from .commitments import blp as commitments_blp
from .schemas import ApiErrorSchema
from .signatories import blp as signatories_blp

ERROR_DESCRIPTIONS = {
    400: "Requête incorrecte", 404: "Ressource introuvable",
    405: "Méthode non autorisée : l’API est en lecture seule (GET, HEAD, OPTIONS)",
    422: "Paramètre invalide : le message et le détail par paramètre disent pourquoi",
    429: "Trop de requêtes en peu de temps : réessayez plus tard",
}


class _Api(Api):
    """Documents errors as the API really answers them: {"error": {"code", "message"}}."""

    ERROR_SCHEMA = ApiErrorSchema

    def _register_responses(self):
        from flask_smorest.utils import prepare_response

        for status, description in ERROR_DESCRIPTIONS.items():
            response = {"description": description, "schema": self.ERROR_SCHEMA}
            prepare_response(response, self.spec, self.DEFAULT_RESPONSE_CONTENT_TYPE)
            self.spec.components.response(HTTPStatus(status).name, response, lazy=True)
        response = {"description": "Erreur : un code HTTP 4xx et un message en français",
                    "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, self.DEFAULT_RESPONSE_CONTENT_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


def register(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "Charte du faire alliance")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = _Api(app, spec_kwargs={"servers": [{"url": "/"}]})
    api.register_blueprint(charter_blp, url_prefix="/api/v1/charter")
    api.register_blueprint(certificates_blp, url_prefix="/api/v1/certificates")
    api.register_blueprint(commitments_blp, url_prefix="/api/v1/commitments")
    api.register_blueprint(signatories_blp, url_prefix="/api/v1/signatories")
    cors.register(app)
