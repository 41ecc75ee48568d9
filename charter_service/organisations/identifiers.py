"""Legal identifiers (SIREN, SIRET, RNA) and slugs, normalised from what people type."""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from slugify import slugify as transliterated_slug
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

# RNA numbers are W + 9 characters; Corsican and some overseas prefectures use a letter
# in the second position (W2A…, W9M…), so one letter is accepted there.
_RNA = re.compile(r"W[0-9][0-9A-Z][0-9]{7}")
_SEPARATORS = re.compile(r"[\s.\-]+")
# A public URL: short enough to read and to type, cut between words.
SLUG_MAX_LENGTH = 80


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
            raise InvalidIdentifier(_l("Ce numéro SIREN n’est pas valide : sa clé de contrôle "
                                       "ne correspond pas. Vérifiez chaque chiffre."))
        return CompanyNumber(compact, None)
    if len(compact) == 14:
        if not stdnum_siret.is_valid(compact):
            raise InvalidIdentifier(_l("Ce numéro SIRET n’est pas valide : sa clé de contrôle "
                                       "ne correspond pas. Vérifiez chaque chiffre."))
        return CompanyNumber(compact[:9], compact)
    raise InvalidIdentifier(_l("Saisissez 9 chiffres (SIREN) ou 14 chiffres (SIRET) ; "
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
    """ASCII slug of a name, any script transliterated (python-slugify: « Ассоциация » →
    « assotsiatsiia »), at most SLUG_MAX_LENGTH characters cut at a word boundary; a name with
    nothing to transliterate (emoji, digits) falls back to "organisation". Only new
    organisations get one: a slug is a public URL and never changes."""
    # « L’Atelier » as « L'Atelier »: python-slugify splits words at a straight apostrophe
    # only, and French names are written with the typographic one.
    slug = transliterated_slug(name.replace("\u2019", "'"), max_length=SLUG_MAX_LENGTH,
                               word_boundary=True, save_order=True)
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
