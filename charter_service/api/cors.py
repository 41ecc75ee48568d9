"""Read-only CORS for /api/v1/: any site may read the public API from a browser, never write.

No cookies are ever honoured cross-site (no Access-Control-Allow-Credentials), and only GET,
HEAD and OPTIONS are allowed; the API has no other method, so anything else gets 405.
"""

from flask import Flask, Response, request

PREFIX = "/api/v1/"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = "Accept, Accept-Language, Content-Type, If-None-Match"
EXPOSED_HEADERS = "Link, ETag"
MAX_AGE = "86400"


def _is_api() -> bool:
    return request.path.startswith(PREFIX) or request.path == PREFIX.rstrip("/")


def _preflight():
    """Answer a CORS preflight for any API path before routing (and before any log-in)."""
    if request.method == "OPTIONS" and _is_api() and "Origin" in request.headers:
        response = Response(status=204)
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = MAX_AGE
        return response
    return None


def _add_headers(response: Response) -> Response:
    if _is_api() and request.method in ("GET", "HEAD", "OPTIONS"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def register(app: Flask) -> None:
    app.before_request(_preflight)
    app.after_request(_add_headers)
