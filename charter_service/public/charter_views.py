"""The charter's public pages (/charte): the version open for signing and earlier ones, with the
number of public commitments under each principle."""

from flask import Blueprint, abort, render_template

from ..charters.models import CharterVersion
from ..charters.services import current_version, public_version, public_versions
from ..commitments.queries import public_commitment_counts
from ..register.readmodel.cache import cached_public

bp = Blueprint("charters", __name__, url_prefix="/charte")


@bp.app_template_global("public_commitment_counts")
def commitment_counts(version: CharterVersion) -> dict[int, int]:
    """What the principles macro shows under each principle: its public commitments, counted
    once per change to what is public."""
    return cached_public("principle-counts", version.id,
                         compute=lambda: public_commitment_counts(version))


@bp.get("", strict_slashes=False)
def current():
    version = current_version()
    if version is None:
        return render_template("charters/none.html")
    return _show(version)


@bp.get("/v/<int:number>")
def version(number: int):
    shown = public_version(number)
    if shown is None:
        abort(404)
    return _show(shown)


def _show(version: CharterVersion):
    others = [v for v in public_versions(version.charter) if v.id != version.id]
    return render_template("charters/version.html", version=version, others=others,
                           sha256=version.sha256())
