"""The charter's public pages (/charte): the version open for signing and earlier ones, with the
number of public commitments under each principle."""

from flask import Blueprint, abort, render_template

from ..charters.models import CharterVersion
from ..charters.services import current_version, public_version, public_versions
from ..commitments.queries import public_commitment_counts

bp = Blueprint("charters", __name__, url_prefix="/charte")

# The principles macro shows, under each principle, how many public commitments it has.
bp.add_app_template_global(public_commitment_counts, "public_commitment_counts")


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
