"""The public directory of public commitments, `/engagements`: its read model (models.py,
sync.py, subscribers.py, search.py), its selection (selection.py, queries.py, facets.py), the
page and its exports (views.py, rows.py, exports.py)."""

from flask import Flask

from .. import page_cache
from . import subscribers  # noqa: F401  (directory_entries follow the signals)
from .views import bp


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    # Anonymous visitors get the page whole; its key carries the public pages' generation,
    # which every domain signal (commitment_changed among them) moves.
    page_cache.cacheable(app, "directory.index")
