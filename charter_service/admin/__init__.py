from . import version_views  # noqa: F401  (adds the charter version pages to bp)
from .views import bp

__all__ = ["bp"]
