"""The 17 Sustainable Development Goals (objectifs de développement durable) by number, and
their 169 targets (cibles)."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

TARGETS_FILE = Path(__file__).resolve().parent.parent / "data" / "sdg_targets.json"

SDG_NAMES = {
    1: _l("Pas de pauvreté"),
    2: _l("Faim « zéro »"),
    3: _l("Bonne santé et bien-être"),
    4: _l("Éducation de qualité"),
    5: _l("Égalité entre les sexes"),
    6: _l("Eau propre et assainissement"),
    7: _l("Énergie propre et d’un coût abordable"),
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


@dataclass(frozen=True)
class SdgTarget:
    """One of the 169 targets, with its official French and English titles."""

    code: str
    goal: int
    fr: str
    en: str

    def title(self, language: str = "fr") -> str:
        return self.en if language == "en" else self.fr


@cache
def sdg_targets() -> dict[str, SdgTarget]:
    """The 169 targets by code (« 1.1 », « 1.a », « 17.19 »), in the official order:
    data/sdg_targets.json, generated from open-sdg's translations (see data/README.md)."""
    entries = json.loads(TARGETS_FILE.read_text(encoding="utf-8"))
    return {code: SdgTarget(code, entry["goal"], entry["fr"], entry["en"])
            for code, entry in entries.items()}


def targets_of(goal: int) -> list[SdgTarget]:
    return [target for target in sdg_targets().values() if target.goal == goal]


def target_order(code: str) -> tuple[int, int, str]:
    """Numbered targets first, then the lettered ones (means of implementation)."""
    goal, _dot, rest = code.partition(".")
    return (int(goal), 0, rest.zfill(3)) if rest.isdigit() else (int(goal), 1, rest)


def target_title(code: str) -> str:
    """The target's title in the page's language (French unless the page is in English)."""
    locale = get_locale()
    return sdg_targets()[code].title(locale.language if locale else "fr")
