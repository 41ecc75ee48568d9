"""Request guards and the response headers every page carries."""

from flask import Flask, Response, abort, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .errors import error_response

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Sent over HTTPS only (a browser ignores it over HTTP); request.is_secure honours ProxyFix.
HSTS = "max-age=31536000; includeSubDomains"


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if _personal():
        response.headers["Cache-Control"] = "private, no-store"
    return response


def _personal() -> bool:
    """Whatever a logged-in person receives stays out of every cache (shared or the browser's
    history), except the static files every visitor gets alike."""
    return request.endpoint != "static" and current_user.is_authenticated


def _refuse_oversized_body() -> None:
    """Answer 413 before any view runs, whether or not the view would read the body."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and limit and request.content_length > limit:
        abort(413)


NUL_MESSAGE = _l("La requête contient un caractère nul (U+0000), qui n’a sa place dans aucun "
                 "champ : retirez-le et réessayez.")


def _has_nul(values) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))


def _refuse_nul():
    """Answer 400 to a NUL in the path, the query string or a form value, before any view:
    PostgreSQL refuses it (a 500), SQLite stores it and it breaks every XML document after."""
    form = request.form if request.method in ("POST", "PUT", "PATCH") else {}
    if "\x00" in request.path or _has_nul(request.args) or (form and _has_nul(form)):
        return error_response(400, NUL_MESSAGE)
    return None


def register(app: Flask) -> None:
    app.before_request(_refuse_oversized_body)
    app.before_request(_refuse_nul)
    app.after_request(_headers)
