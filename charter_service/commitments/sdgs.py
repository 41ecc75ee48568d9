"""The 17 Sustainable Development Goals (objectifs de développement durable) by number."""

from flask_babel import lazy_gettext as _l

SDG_NAMES = {
    1: _l("Pas de pauvreté"),
    2: _l("Faim « zéro »"),
    3: _l("Bonne santé et bien-être"),
    4: _l("Éducation de qualité"),
    5: _l("Égalité entre les sexes"),
    6: _l("Eau propre et assainissement"),
    7: _l("Énergie propre et d'un coût abordable"),
    8: _l("Travail décent et croissance économique"),
    9: _l("Industrie, innovation et infrastructure"),
    10: _l("Inégalités réduites"),
    11: _l("Villes et communautés durables"),
    12: _l("Consommation et production responsables"),
    13: _l("Mesures relatives à la lutte contre les changements climatiques"),
    14: _l("Vie aquatique"),
    15: _l("Vie terrestre"),
    16: _l("Paix, justice et institutions efficaces"),
    17: _l("Partenariats pour la réalisation des objectifs"),
}
SDG_NUMBERS = range(1, 18)


def sdg_label(number: int) -> str:
    return f"{number}. {SDG_NAMES[number]}"
