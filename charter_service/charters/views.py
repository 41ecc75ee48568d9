from flask import Blueprint, abort, render_template

from ..commitments.queries import public_commitment_counts
from .markdown import render_markdown
from .models import CharterVersion, Section
from .services import current_version, public_version, public_versions

bp = Blueprint("charters", __name__, url_prefix="/charte")

@bp.app_template_filter("section_label")
def section_label(section: Section) -> str:
    return str(Section(section).label)


# The principles macro shows, under each principle, how many public commitments it has.
bp.add_app_template_global(public_commitment_counts, "public_commitment_counts")


@bp.app_template_filter("markdown")
def markdown_filter(text: str):
    return render_markdown(text)


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
