"""Absolute links (e-mails, QR codes, feeds, API): from PUBLIC_BASE_URL, never from the request.

The request's Host and X-Forwarded-Host are chosen by whoever sends it: a password reset link
built from them would carry a valid token to another site.
"""

from flask import current_app


def base_url() -> str:
    """PUBLIC_BASE_URL without its trailing slash."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of an endpoint; works outside a request too (commands, jobs)."""
    return base_url() + current_app.url_map.bind("localhost").build(endpoint, values)


def external_path(path: str) -> str:
    """An absolute URL for a path on this site (with its query string, if any)."""
    return base_url() + "/" + path.lstrip("/")


def is_ours(url: str) -> bool:
    """Whether an absolute URL points under PUBLIC_BASE_URL."""
    base = base_url()
    return url == base or url.startswith((base + "/", base + "?", base + "#"))
