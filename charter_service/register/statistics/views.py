"""The public statistics page: signatories over time, by kind and by région, and a map."""

from flask import render_template
from flask_babel import gettext as _

from ...organisations import geo
from ..blueprint import bp
from . import charts, region_map, stats


@bp.get("/registre/statistiques")
def statistics():
    figures = stats.statistics()
    kinds = [(kind.value, str(kind.label), n) for kind, n in figures.by_kind]
    regions = [(code, geo.region_name(code) or code, n) for code, n in figures.by_region]
    return render_template(
        "register/statistics.html", figures=figures, kinds=kinds, regions=regions,
        month_label=charts.month_label, number=charts.number,
        months_svg=charts.months_chart(
            figures.by_month, prefix="stat-mois",
            title=_("Nombre cumulé de signataires, mois par mois")),
        kinds_svg=charts.bar_chart(
            kinds, prefix="stat-types", title=_("Signataires par type d'organisation")),
        regions_svg=charts.bar_chart(
            regions, prefix="stat-regions", title=_("Signataires par région")),
        map_svg=region_map.region_map(
            dict(figures.by_region), prefix="stat-carte",
            title=_("Carte des signataires par région")),
    )
