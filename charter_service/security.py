"""Request guards and the response headers every page carries."""

from flask import Flask, Response, abort, current_app, request

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _refuse_oversized_body() -> None:
    """Answer 413 before any view runs, whether or not the view would read the body."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and limit and request.content_length > limit:
        abort(413)


def register(app: Flask) -> None:
    app.before_request(_refuse_oversized_body)
    app.after_request(_headers)
