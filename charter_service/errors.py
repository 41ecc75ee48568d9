"""One place that answers errors: a French page for people, JSON under /api/."""

import re
import sqlite3
import traceback

from flask import Flask, current_app, jsonify, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from limits.errors import StorageError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db

MESSAGES = {
    400: (_l("Requête incorrecte"), _l("La requête n’a pas pu être comprise. Vérifiez ce "
               "que vous avez saisi et réessayez.")),
    401: (_l("Connexion requise"), _l("Connectez-vous pour accéder à cette page.")),
    403: (_l("Accès refusé"), _l("Vous n’avez pas les droits nécessaires "
               "pour accéder à cette page.")),
    404: (_l("Page introuvable"), _l("La page demandée n’existe pas ou a été déplacée.")),
    405: (_l("Méthode non autorisée"), _l("Cette adresse n’accepte pas ce type de requête.")),
    409: (_l("Conflit"), _l("Cette action entre en conflit avec une autre "
               "modification. Rechargez la page et réessayez.")),
    413: (_l("Envoi trop volumineux"), _l("Le contenu envoyé dépasse la taille autorisée. "
               "Réduisez la taille du fichier et réessayez.")),
    422: (_l("Données invalides"), _l("Les données envoyées ne sont pas valides.")),
    429: (_l("Trop de tentatives"), _l("Vous avez fait trop de tentatives en peu de temps. "
               "Patientez quelques minutes avant de réessayer.")),
    503: (_l("Service indisponible"), _l("Le service est momentanément indisponible.")),
    500: (_l("Erreur interne"), _l("Une erreur inattendue s’est produite. L’équipe technique "
               "en a été informée ; réessayez plus tard.")),
}
# Where a person stopped by the error can go instead: (label, endpoint).
WAYS_OUT = {429: (_l("Mot de passe oublié ?"), "accounts.forgot_password")}
NOT_RECORDED = (_l("Action non enregistrée"), _l(
    "Le service ne peut pas enregistrer de données pour le moment : ce que vous venez "
    "d’envoyer n’a pas été enregistré. Réessayez dans quelques minutes."))
UNAVAILABLE_MESSAGE = _l("Le service est momentanément indisponible : réessayez dans quelques "
                         "minutes.")
CSRF_MESSAGE = _l("Le formulaire a expiré ou n’a pas pu être vérifié. Rechargez la page "
                  "et envoyez-le à nouveau.")


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(code: int, message: str | None = None, errors: dict | None = None):
    title, default_message = MESSAGES.get(code, MESSAGES[500 if code >= 500 else 400])
    message = str(message or default_message)
    if wants_json():
        body = {"error": {"code": code, "message": message}}
        if errors:
            body["error"]["fields"] = errors
        return jsonify(body), code
    return render_template("errors/error.html", code=code, title=title, message=message,
                           way_out=_way_out(code)), code


def _way_out(code: int) -> tuple[str, str] | None:
    label, endpoint = WAYS_OUT.get(code, (None, None))
    if endpoint is None or request.endpoint == endpoint:
        return None
    return str(label), url_for(endpoint)


def _handle_http(exc: HTTPException):
    code = exc.code or 500
    if code >= 500:
        return _handle_unexpected(exc)
    detail = None
    data = getattr(exc, "data", None)
    fields = data.get("messages") if isinstance(data, dict) else None
    if wants_json() and fields:
        detail = _first_message(fields) or MESSAGES[422][1]
    response, status = error_response(code, detail, fields)
    if code == 405 and exc.valid_methods:
        response = _with_allow(response, exc.valid_methods)
    return response, status


def _first_message(messages) -> str | None:
    """The first parameter's message in webargs' {location: {name: [messages]}}."""
    while isinstance(messages, dict | list) and messages:
        messages = next(iter(messages.values())) if isinstance(messages, dict) else messages[0]
    return str(messages) if isinstance(messages, str) else None


def _with_allow(response, methods):
    from flask import make_response

    response = make_response(response)
    response.headers["Allow"] = ", ".join(methods)
    return response


def _handle_csrf(exc: CSRFError):
    return error_response(400, CSRF_MESSAGE)


# SQLite result codes and PostgreSQL SQLSTATEs of a database that cannot write: read-only
# file or transaction, disk full (class 53: insufficient resources).
_SQLITE_CANNOT_WRITE = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_FULL}
_PG_READ_ONLY = "25006"
# Submitted fields never shown back: secrets, and the technical ones people did not type.
_NOT_SHOWN = re.compile(r"pass|csrf|token|secret|lock_version|form_key", re.IGNORECASE)


def cannot_write(exc: DBAPIError) -> bool:
    original = exc.orig
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _SQLITE_CANNOT_WRITE
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None) or ""
    return state == _PG_READ_ONLY or state.startswith("53")


def _handle_database(exc: DBAPIError):
    if not cannot_write(exc):
        return _handle_unexpected(exc)
    current_app.logger.error("database cannot write: %s", exc.orig)
    db.session.rollback()
    title, message = NOT_RECORDED
    if wants_json():
        response, status = error_response(503, message)
    else:
        response, status = render_template(
            "errors/not_recorded.html", code=503, title=title, message=message,
            typed=_typed_fields()), 503
    return response, status, {"Retry-After": "120"}


def _typed_fields() -> list[tuple[str, str]]:
    """What the person typed, to copy before trying again (never passwords, tokens, files)."""
    typed = []
    for name, values in request.form.lists():
        text = "\n".join(value for value in values if value.strip())
        if text and not _NOT_SHOWN.search(name):
            typed.append((name, text))
    return typed


# The shared Redis does not answer: the rate limits' store (Flask-Limiter raises its error, or
# limits' StorageError when it wraps them) or the job queue. A form behind a limit is refused
# rather than let through uncounted (or counted by each process alone): every limit stays exact,
# and the pages without one are served meanwhile.
STORE_DOWN = (StorageError, RedisConnectionError, RedisTimeoutError)


def _handle_store_down(exc: Exception):
    view = _uncounted_read(exc)
    if view is not None:
        return _serve_uncounted(view, exc)
    current_app.logger.error("shared store unreachable: %s", exc)
    db.session.rollback()
    response, status = error_response(503, UNAVAILABLE_MESSAGE)
    return response, status, {"Retry-After": "120"}


# Flask-Limiter marks the wrappers it puts around a view with this attribute.
_LIMITED = "__wrapper-limiter-instance"


def _uncounted_read(exc: Exception):
    """The view of a GET or HEAD whose rate limit could not be counted before it ran, or None.

    Reading public data (verifying an attestation by its number) never waits for the shared
    store: it is served uncounted meanwhile. A form (POST) is still refused: what it protects
    (passwords, uploads, e-mails sent) stays exactly counted."""
    if request.method not in ("GET", "HEAD") or request.endpoint is None:
        return None
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, _LIMITED, None) is None:
        return None
    while getattr(view, _LIMITED, None) is not None and hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    ran = {frame.f_code for frame, _line in traceback.walk_tb(exc.__traceback__)}
    return None if view.__code__ in ran else view


def _serve_uncounted(view, exc: Exception):
    current_app.logger.warning("rate-limit store unreachable, %s served uncounted: %s",
                               request.path, exc)
    try:
        return current_app.ensure_sync(view)(**(request.view_args or {}))
    except HTTPException as error:  # abort(404) and the like, answered as usual
        return current_app.handle_user_exception(error)


def _handle_unexpected(exc: Exception):
    original = getattr(exc, "original_exception", None) or exc
    if not isinstance(original, InternalServerError):
        current_app.logger.exception("Unhandled error", exc_info=original)
    db.session.rollback()
    return error_response(500)


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(DBAPIError, _handle_database)
    for error in STORE_DOWN:
        app.register_error_handler(error, _handle_store_down)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(Exception, _handle_unexpected)
