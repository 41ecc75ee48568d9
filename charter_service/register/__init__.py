"""The public register of signatories.

At the top, the page /registre (views.py) and the selection that it and every other edge read
(selection.py, queries.py, facets.py); the blueprint; `flask register` (commands.py).
Below, one folder per concern: readmodel/ (the rows and how they follow the signals; imports
nothing else of the register), exports/ (downloads, open data, the Atom feed) and statistics/
(figures, charts, map), which read the read model and the top level, never each other.
"""

from flask import Flask

from .. import page_cache
from .blueprint import bp
from .readmodel import cache


def register(app: Flask) -> None:
    # The route modules add their views to `bp` when imported, in this order (the URL map's).
    # isort: off
    from .exports import views as export_views  # noqa: F401
    from .exports import opendata_views  # noqa: F401
    from .statistics import views as stats_views  # noqa: F401
    from .readmodel import subscribers  # noqa: F401  (register_entries follow the signals)
    from . import views  # noqa: F401
    # isort: on

    app.register_blueprint(bp)
    page_cache.cacheable(app, "register.index", "register.statistics", "register.campaign")
    page_cache.key_part(app, cache.public_state)
