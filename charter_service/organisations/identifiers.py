"""Legal identifiers (SIREN, SIRET, RNA) and slugs, normalised from what people type."""

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

# RNA numbers are W + 9 characters; Corsican and some overseas prefectures use a letter
# in the second position (W2A…, W9M…), so one letter is accepted there.
_RNA = re.compile(r"W[0-9][0-9A-Z][0-9]{7}")
_SEPARATORS = re.compile(r"[\s.\-]+")
_NOT_LATIN_TRANSLITERATED = str.maketrans({
    "Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss", "Ø": "O", "ø": "o",
    "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Þ": "Th", "þ": "th", "ı": "i",
})
SLUG_MAX_LENGTH = 200


class InvalidIdentifier(ValueError):
    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CompanyNumber:
    siren: str
    siret: str | None


def parse_company_number(value: str | None) -> CompanyNumber | None:
    """A SIREN (9 digits) or SIRET (14 digits), checked with its Luhn key; None if blank."""
    compact = _SEPARATORS.sub("", value or "")
    if not compact:
        return None
    if not re.fullmatch(r"[0-9]+", compact):
        raise InvalidIdentifier(_l("Le SIREN ou le SIRET ne contient que des chiffres "
                                   "(les espaces sont acceptés)."))
    if len(compact) == 9:
        if not stdnum_siren.is_valid(compact):
            raise InvalidIdentifier(_l("Ce numéro SIREN n'est pas valide : sa clé de contrôle "
                                       "ne correspond pas. Vérifiez chaque chiffre."))
        return CompanyNumber(compact, None)
    if len(compact) == 14:
        if not stdnum_siret.is_valid(compact):
            raise InvalidIdentifier(_l("Ce numéro SIRET n'est pas valide : sa clé de contrôle "
                                       "ne correspond pas. Vérifiez chaque chiffre."))
        return CompanyNumber(compact[:9], compact)
    raise InvalidIdentifier(_l("Saisissez 9 chiffres (SIREN) ou 14 chiffres (SIRET) ; "
                               "vous en avez saisi %(count)s.", count=len(compact)))


def parse_rna(value: str | None) -> str | None:
    compact = _SEPARATORS.sub("", value or "").upper()
    if not compact:
        return None
    if not _RNA.fullmatch(compact):
        raise InvalidIdentifier(_l("Le numéro RNA commence par la lettre W suivie de 9 chiffres, "
                                   "par exemple W691234567."))
    return compact


def format_siren(siren: str) -> str:
    return f"{siren[:3]} {siren[3:6]} {siren[6:9]}"


def format_siret(siret: str) -> str:
    return f"{format_siren(siret[:9])} {siret[9:]}"


def slugify(name: str) -> str:
    """ASCII slug of a name; names without latin letters fall back to "organisation"."""
    folded = unicodedata.normalize("NFKD", name.translate(_NOT_LATIN_TRANSLITERATED))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:SLUG_MAX_LENGTH].rstrip("-")
    if not re.search(r"[a-z]", slug):
        slug = f"organisation-{slug}" if slug else "organisation"
    return slug


def describe(siren: str | None, siret: str | None, rna: str | None) -> str:
    """The legal identifier as people read it, e.g. "SIRET 732 829 320 00074"."""
    if siret:
        return f"SIRET {format_siret(siret)}"
    if siren:
        return f"SIREN {format_siren(siren)}"
    if rna:
        return f"RNA {rna}"
    return ""
