"""`/registre`: the searchable, filterable list of signatories."""

import functools
from urllib.parse import urlencode

from babel import numbers
from flask import Response, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from ..commitments.progress import local_today
from ..commitments.reporting import ReportStatus, status_of
from ..parsing import natural
from . import facets, queries
from .blueprint import bp
from .readmodel import cache
from .rows import shown_rows
from .selection import parse_selection

PER_PAGE = 50


def parse_page(value: str | None, errors: list[str]) -> int:
    if not value:
        return 1
    number = natural(value)
    if number is not None and number >= 1:
        return number
    errors.append(str(_l("Numéro de page invalide : la première page est affichée.")))
    return 1


def page_links(current: int, pages: int) -> list[int | None]:
    """Page numbers to offer: the first, the last, and two around the current (None: a gap)."""
    wanted = sorted({1, pages, *range(max(1, current - 2), min(pages, current + 2) + 1)})
    links: list[int | None] = []
    for number in wanted:
        if links and number - links[-1] > 1:
            links.append(None)
        links.append(number)
    return links


@bp.app_template_filter("count")
def count_filter(number: int) -> str:
    """An integer with the language's thousands separator; Babel's numberformat costs ~30 µs a
    call, and the filter form shows some 150 counts."""
    return f"{number:,}".replace(",", _group_symbol(str(get_locale())))


@functools.cache
def _group_symbol(locale: str) -> str:
    return numbers.get_group_symbol(locale)


def _cacheable() -> bool:
    """Anonymous visitors without a pending message all see the same page."""
    return not current_user.is_authenticated and not session.get("_flashes")


@bp.get("/registre")
def index():
    key = None
    if _cacheable():
        key = (str(get_locale()), tuple(sorted(request.args.items(multi=True))))
        body = cache.store.get(cache.page_key(key))
        if body is not None:
            return Response(body, mimetype="text/html")
    selection, errors = parse_selection(request.args)
    number = parse_page(request.args.get("page"), errors)
    filters = _filters(selection)  # first: its counts give the page's total too
    result = queries.page(selection, number, PER_PAGE)
    if result.past_the_end and result.total:
        errors.append(str(_l("La page %(page)d n’existe pas : cette sélection en compte "
                             "%(pages)d.", page=number, pages=result.pages)))
    # The read model holds the due date the reporting badge needs: no query.
    today = local_today()
    reports = {row["organisation_id"]: status_of(row["report_due_on"], today).status
               for row in result.rows}
    body = render_template(
        "register/index.html", selection=selection, errors=errors, result=result,
        filters=filters, args=selection.query_args(),
        shown=shown_rows(result.rows, {
            organisation_id: status for organisation_id, status in reports.items()
            if status != ReportStatus.UP_TO_DATE}),
        page_links=page_links(min(number, result.pages), result.pages), page_url=_page_url,
        export_url=lambda extension: _export_url(selection, extension))
    if key is not None:
        cache.store.put(cache.page_key(key), body)
    return Response(body, mimetype="text/html")


def _filters(selection: queries.Selection) -> Markup:
    """The search form with its counts: the same on every page of a selection."""
    def compute() -> str:
        return render_template("register/_filters.html", selection=selection,
                               args=selection.query_args(), facets=facets.facets(selection))
    # Our own template, autoescaped: its output is safe markup.
    return Markup(cache.cached("filters", selection, str(get_locale()),  # noqa: S704
                               compute=compute))


def _page_url(args: dict, **changes) -> str:
    merged = {**args, **changes}
    return url_for("register.index", **{k: v for k, v in merged.items() if v not in ("", None)})


def _export_url(selection: queries.Selection, extension: str) -> str:
    """/registre.csv?… : the same selection, in another format."""
    args = selection.query_args()
    return f"{url_for('register.index')}.{extension}" + (f"?{urlencode(args)}" if args else "")
