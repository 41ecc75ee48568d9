"""The public statistics page: signatories over time, by kind and by région, and a map; public
commitments by SDG, category and principle. The reporting campaign's page, /bilans."""

from datetime import datetime

from flask import abort, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from ...db_types import PARIS
from ...organisations import geo
from ..blueprint import bp
from . import campaign as reporting_campaign
from . import charts, commitment_stats, region_map, stats


@bp.get("/registre/statistiques")
def statistics():
    figures = stats.statistics()
    kinds = [(kind.value, str(kind.label), n) for kind, n in figures.by_kind]
    regions = [(code, geo.region_name(code) or code, n) for code, n in figures.by_region]
    return render_template(
        "register/statistics.html", figures=figures, kinds=kinds, regions=regions,
        month_label=charts.month_label, number=charts.number,
        months_svg=_months(figures.by_month, _("Nombre cumulé de signataires, mois par mois")),
        kinds_svg=_bars(kinds, "stat-types", _("Signataires par type d’organisation")),
        regions_svg=_bars(regions, "stat-regions", _("Signataires par région")),
        map_svg=region_map.region_map(
            dict(figures.by_region), prefix="stat-carte",
            title=_("Carte des signataires par région")),
        **_commitment_charts(commitment_stats.commitment_figures()),
    )


def _commitment_charts(figures: commitment_stats.CommitmentFigures) -> dict:
    """Public commitments by SDG, category and principle: the charts name them by number or
    code, their tables in full."""
    sdgs = [(str(n), label, count) for n, label, count in figures.by_sdg]
    categories = [(c.value, str(c.label), n) for c, n in figures.by_category]
    principles = list(figures.by_principle)
    return dict(
        commitments=figures, sdgs=sdgs, categories=categories, principles=principles,
        sdgs_svg=_bars([(key, _("ODD %(number)s", number=key), n) for key, _label, n in sdgs],
                       "stat-odd",
                       _("Engagements publics par objectif de développement durable")),
        categories_svg=_bars(categories, "stat-categories",
                             _("Engagements publics par catégorie de partenariat")),
        principles_svg=_bars([(code, code, n) for code, _label, n in principles],
                             "stat-principes", _("Engagements publics par principe")),
    )


def _bars(rows: list, prefix: str, title: str) -> Markup:
    """The chart for wide screens and the one for phones; the page shows one (app.css)."""
    return (charts.bar_chart(rows, prefix=prefix, title=title, variant="wide")
            + charts.narrow_bar_chart(rows, prefix=f"{prefix}-etroit", title=title))


def _months(months: list, title: str) -> Markup:
    return (charts.months_chart(months, prefix="stat-mois", title=title, variant="wide")
            + charts.months_chart(months, prefix="stat-mois-etroit", title=title,
                                  variant="narrow"))


@bp.get("/bilans")
def campaign():
    """The reporting campaign: participation by région and organisation kind, the reports it
    collected (a page of them: `?page=`)."""
    today = datetime.now(PARIS).date()
    current, upcoming = reporting_campaign.campaigns(today)
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404)
    context = dict(today=today, current=current, upcoming=upcoming, page=page,
                   number=charts.number, region_name=geo.region_name)
    if current is not None:
        figures = reporting_campaign.figures(current, today)
        pages = max(1, -(-figures.listed // reporting_campaign.PER_PAGE))
        if page > pages:
            abort(404)
        context.update(figures=figures, pages=pages,
                       reports=reporting_campaign.collected_reports(current, today, page))
    return render_template("register/campaign.html", **context)
