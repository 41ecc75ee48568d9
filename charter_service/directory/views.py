"""`/engagements`: the searchable, filterable directory of public commitments, its CSV and
JSON exports and their Table Schema."""

from functools import cache
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..db_types import PARIS, utcnow
from ..paths import PACKAGE_DIR
from ..register.exports.views import _download, _selection_or_error, _streamed
from ..register.readmodel.cache import cached_public
from ..register.views import page_links, parse_page
from . import exports, facets, queries
from .rows import shown_entries
from .selection import parse_selection

bp = Blueprint("directory", __name__)
PER_PAGE = 30
SCHEMA_PATH = PACKAGE_DIR / "data" / "directory_schema.json"


@bp.get("/engagements")
def index():
    selection, errors = parse_selection(request.args)
    number = parse_page(request.args.get("page"), errors)
    result = queries.page(selection, number, PER_PAGE)
    if result.past_the_end and result.total:
        errors.append(str(_l("La page %(page)d n’existe pas : cette sélection en compte "
                             "%(pages)d.", page=number, pages=result.pages)))
    return render_template(
        "directory/index.html", selection=selection, errors=errors, result=result,
        filters=_filters(selection), args=selection.query_args(),
        shown=shown_entries(result.rows),
        page_links=page_links(min(number, result.pages), result.pages), page_url=_page_url,
        export_url=lambda extension: _export_url(selection, extension))


def _filters(selection: queries.Selection) -> Markup:
    """The search form with its counts: the same on every page of a selection."""
    def compute() -> str:
        return render_template("directory/_filters.html", selection=selection,
                               args=selection.query_args(), facets=facets.facets(selection))
    # Our own template, autoescaped: its output is safe markup.
    return Markup(cached_public("directory-filters", selection,  # noqa: S704
                                str(get_locale()), compute=compute))


def _page_url(args: dict, **changes) -> str:
    merged = {**args, **changes}
    return url_for("directory.index",
                   **{k: v for k, v in merged.items() if v not in ("", None)})


def _export_url(selection: queries.Selection, extension: str) -> str:
    args = selection.query_args()
    return f"{url_for('directory.index')}.{extension}" + (f"?{urlencode(args)}" if args else "")


def export_filename(extension: str) -> str:
    day = utcnow().astimezone(PARIS).date().isoformat()
    return f"engagements-charte-faire-alliance-{day}.{extension}"


@bp.get("/engagements.csv")
def export_csv():
    selection, error = _selection_or_error(parse=parse_selection)
    if error:
        return error
    return _download(_streamed(lambda: exports.csv_lines(selection)),
                     "text/csv; charset=utf-8", export_filename("csv"))


@bp.get("/engagements.json")
def export_json():
    selection, error = _selection_or_error(as_json=True, parse=parse_selection)
    if error:
        return error
    return _download(_streamed(lambda: exports.json_chunks(selection)),
                     "application/json", export_filename("json"))


@cache
def _schema_text() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


@bp.get("/engagements/schema.json")
def table_schema():
    response = Response(_schema_text(), mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
