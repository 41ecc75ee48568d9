"""The completeness hint of a commitment: is it specific, measurable, resourced and dated?
Shown to the member on the commitment's form and page, never a rule: nothing is refused for it
(services.py records commitments)."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .models import Commitment

# The hint calls « précise » a description of at least this many characters.
SPECIFIC_DESCRIPTION = 150


@dataclass(frozen=True)
class Criterion:
    """One question of the completeness hint: whether the commitment meets it, and if not,
    what to add."""

    key: str
    label: str
    met: bool
    advice: str


def criteria(commitment: Commitment | None) -> list[Criterion]:
    """Is the commitment specific, measurable, resourced and dated? A hint shown to the
    member, never a rule: nothing is refused for it. None: a commitment not yet recorded."""
    c = commitment
    specific = c is not None and bool(c.principles) and \
        len((c.description or "").strip()) >= SPECIFIC_DESCRIPTION
    measurable = c is not None and any(i.target is not None for i in c.indicators)
    resourced = c is not None and bool(c.resources)
    dated = c is not None and (c.target_on is not None or c.end_on is not None)
    return [
        Criterion("specific", _l("précis"), specific, _l(
            "Décrivez en quelques phrases ce que l’organisation entreprend (%(n)s caractères "
            "au moins) et rattachez l’engagement à un principe de la charte au moins.",
            n=SPECIFIC_DESCRIPTION)),
        Criterion("measurable", _l("mesurable"), measurable, _l(
            "Ajoutez un indicateur avec une cible chiffrée, dans la partie «\u202fIndicateurs"
            "\u202f» du formulaire.")),
        Criterion("resourced", _l("doté de moyens"), resourced, _l(
            "Indiquez au moins une ressource mobilisée\u202f: budget, apport en nature, jours "
            "de compétences ou bénévoles.")),
        Criterion("dated", _l("daté"), dated, _l(
            "Indiquez une date cible pour les livrables ou une date de fin.")),
    ]
