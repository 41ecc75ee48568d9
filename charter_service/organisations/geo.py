"""INSEE départements and régions (Code officiel géographique), shipped in data/insee_geo.json."""

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "insee_geo.json"


@dataclass(frozen=True)
class Departement:
    code: str
    name: str
    region_code: str


@dataclass(frozen=True)
class Region:
    code: str
    name: str


@cache
def _load() -> tuple[dict[str, Departement], dict[str, Region]]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    regions = {r["code"]: Region(r["code"], r["name"]) for r in data["regions"]}
    departements = {
        d["code"]: Departement(d["code"], d["name"], d["region"]) for d in data["departements"]
    }
    return departements, regions


def departements() -> dict[str, Departement]:
    return _load()[0]


def regions() -> dict[str, Region]:
    return _load()[1]


def departement_name(code: str | None) -> str:
    departement = departements().get(code or "")
    return departement.name if departement else ""


def region_name(code: str | None) -> str:
    region = regions().get(code or "")
    return region.name if region else ""


def region_of(departement_code: str) -> str | None:
    departement = departements().get(departement_code)
    return departement.region_code if departement else None


def departement_choices() -> list[tuple[str, str]]:
    return [(d.code, f"{d.code} – {d.name}") for d in departements().values()]


def region_choices() -> list[tuple[str, str]]:
    def folded(choice: tuple[str, str]) -> str:
        return unicodedata.normalize("NFKD", choice[1]).encode("ascii", "ignore").decode()

    return sorted(((r.code, r.name) for r in regions().values()), key=folded)


def departement_for_postcode(postcode: str | None) -> str | None:
    """The département a postcode belongs to: its first 3 digits overseas (971…976), 2A below
    20200 and 2B from it in Corsica, else its first 2 digits; None for none of ours."""
    if not postcode or len(postcode) != 5 or not postcode.isascii() or not postcode.isdigit():
        return None
    if postcode.startswith("20"):
        code = "2A" if postcode < "20200" else "2B"
    else:
        code = postcode[:3] if postcode.startswith("97") else postcode[:2]
    return code if code in departements() else None


def postcode_matches(postcode: str, departement_code: str) -> bool:
    return departement_for_postcode(postcode) == departement_code
