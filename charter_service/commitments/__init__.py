"""Commitments under the charter's principles: the member's space, the public page, moderation."""

from . import moderation_views, partner_views  # noqa: F401  (add their routes to `bp`)
from .public_views import bp as public_bp
from .views import bp

__all__ = ["bp", "public_bp"]
