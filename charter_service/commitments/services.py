"""Recording and editing commitments. Functions take the acting user and only flush."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from .. import signals
from ..accounts.models import User
from ..charters.models import CharterVersion, Principle
from ..domain import DomainError
from ..extensions import db
from ..organisations.models import Organisation
from ..signatures.models import Signature, SignatureStatus
from .means import (
    DELIVERABLE_MAX,
    RESOURCE_DECIMALS,
    RESOURCE_DESCRIPTION_MAX,
    RESOURCE_LIMITS,
    CommitmentDeliverable,
    CommitmentResource,
    CommitmentSdgTarget,
    ResourceKind,
)
from .models import (
    AMOUNT_DECIMALS,
    AMOUNT_LIMIT,
    Category,
    Commitment,
    CommitmentDomain,
    CommitmentPartner,
    CommitmentSdg,
    CommitmentStatus,
    Domain,
    Indicator,
    ProgressUpdate,
    Scale,
    UpdateConfirmation,
    Visibility,
)
from .sdgs import SDG_NUMBERS, sdg_targets, target_order

# Organisations that may record commitments: their signature is pending or approved.
RECORDING_STATUSES = (SignatureStatus.PENDING, SignatureStatus.APPROVED)
MAX_RESOURCES = 10
MAX_DELIVERABLES = 10


class CommitmentError(DomainError):
    """Input the service refuses; `field` names the form field the message belongs beside."""


@dataclass
class IndicatorData:
    name: str
    unit: str = ""
    target: Decimal | None = None
    id: int | None = None


@dataclass
class ResourceData:
    kind: ResourceKind
    amount: Decimal
    description: str = ""


@dataclass
class CommitmentData:
    title: str
    description: str
    category: Category
    principle_ids: list[int]
    scale: Scale
    start_on: date
    end_on: date | None = None
    status: CommitmentStatus = CommitmentStatus.PLANNED
    visibility: Visibility = Visibility.PUBLIC
    sdgs: list[int] = field(default_factory=list)
    domains: list[Domain] = field(default_factory=list)
    indicators: list[IndicatorData] = field(default_factory=list)
    target_on: date | None = None
    resources: list[ResourceData] = field(default_factory=list)
    deliverables: list[str] = field(default_factory=list)
    sdg_targets: list[str] = field(default_factory=list)


def signed_version(organisation: Organisation) -> CharterVersion | None:
    """The latest charter version the organisation signed (pending or approved), if any."""
    return db.session.scalar(
        select(CharterVersion).join(Signature, Signature.charter_version_id == CharterVersion.id)
        .where(Signature.organisation_id == organisation.id,
               Signature.status.in_(RECORDING_STATUSES))
        .order_by(CharterVersion.number.desc()).limit(1))


def is_signatory(organisation_id: int) -> bool:
    return db.session.scalar(
        select(Signature.id).where(Signature.organisation_id == organisation_id,
                                   Signature.status.in_(RECORDING_STATUSES)).limit(1)) is not None


def create_commitment(organisation: Organisation, data: CommitmentData, user: User) -> Commitment:
    version = signed_version(organisation)
    if version is None:
        raise CommitmentError(_l("Seule une organisation signataire de la charte (signature en "
                                 "attente ou approuvée) peut enregistrer des engagements."))
    commitment = Commitment(organisation=organisation, charter_version=version,
                            created_by_id=user.id)
    _apply(commitment, data, version)
    db.session.add(commitment)
    db.session.flush()
    signals.commitment_changed.send(commitment, actor=user)
    return commitment


def update_commitment(commitment: Commitment, data: CommitmentData, user: User) -> None:
    _apply(commitment, data, commitment.charter_version)
    db.session.flush()
    signals.commitment_changed.send(commitment, actor=user)


def _apply(commitment: Commitment, data: CommitmentData, version: CharterVersion) -> None:
    _check(data)
    principles = _principles_of(version, data.principle_ids)
    _check_indicators(commitment, data.indicators)
    commitment.title = data.title
    commitment.description = data.description
    commitment.category = data.category
    commitment.scale = data.scale
    commitment.start_on = data.start_on
    commitment.end_on = data.end_on
    commitment.target_on = data.target_on
    commitment.status = data.status
    commitment.visibility = data.visibility
    commitment.principles = principles
    _replace_links(commitment, data)
    _apply_indicators(commitment, data.indicators)
    _replace_targets(commitment, data.sdg_targets)
    commitment.resources = [
        CommitmentResource(kind=row.kind, amount=row.amount,
                           description=row.description.strip(), position=position)
        for position, row in enumerate(data.resources)]
    commitment.deliverables = [
        CommitmentDeliverable(text=text, position=position)
        for position, text in enumerate(_deliverables(data.deliverables))]


def first_problems(principle_ids: list[int], start_on: date | None,
                   end_on: date | None, target_on: date | None = None
                   ) -> list[CommitmentError]:
    """The rules that need no database, each stated here only; a form that already refuses
    the input shows them too, so that a person corrects everything in one go."""
    problems = []
    if not principle_ids:
        problems.append(CommitmentError(_l("Choisissez au moins un principe de la charte."),
                                        "principles"))
    if start_on is not None and end_on is not None and end_on < start_on:
        problems.append(CommitmentError(_l("La date de fin doit être égale ou postérieure à la "
                                           "date de début."), "end_on"))
    if start_on is not None and target_on is not None and target_on < start_on:
        problems.append(CommitmentError(_l("La date cible doit être égale ou postérieure à la "
                                           "date de début."), "target_on"))
    return problems


def _principles_of(version: CharterVersion, ids: list[int]) -> list[Principle]:
    principles = list(db.session.scalars(
        select(Principle).where(Principle.id.in_(set(ids)), Principle.version_id == version.id)
        .order_by(Principle.position)))
    if len(principles) != len(set(ids)):
        raise CommitmentError(_l("Ce principe n’appartient pas à la version %(number)s de la "
                                 "charte, celle que votre organisation a signée.",
                                 number=version.number), "principles")
    return principles


def _check(data: CommitmentData) -> None:
    for problem in first_problems(data.principle_ids, data.start_on, data.end_on,
                                  data.target_on):
        raise problem
    if any(n not in SDG_NUMBERS for n in data.sdgs):
        raise CommitmentError(_l("Les objectifs de développement durable sont numérotés de 1 "
                                 "à 17."), "sdgs")
    _check_targets(data.sdg_targets, data.sdgs)
    for position, indicator in enumerate(data.indicators):
        check_amount(indicator.target, f"indicators-{position}-target")
    if len(data.resources) > MAX_RESOURCES:
        raise CommitmentError(_l("%(n)s ressources au plus.", n=MAX_RESOURCES), "resources")
    for position, resource in enumerate(data.resources):
        check_resource(resource, f"resources-{position}")
    deliverables = _deliverables(data.deliverables)
    if len(deliverables) > MAX_DELIVERABLES:
        raise CommitmentError(_l("%(n)s livrables au plus.", n=MAX_DELIVERABLES),
                              "deliverables")
    if any(len(text) > DELIVERABLE_MAX for text in deliverables):
        raise CommitmentError(_l("%(n)s caractères au plus par livrable.", n=DELIVERABLE_MAX),
                              "deliverables")


def _deliverables(lines: list[str]) -> list[str]:
    """The deliverable lines that say something (blank rows are no deliverable)."""
    return [line.strip() for line in lines if line and line.strip()]


RESOURCE_TOO_LARGE = {
    ResourceKind.BUDGET: _l("Indiquez un budget inférieur à dix milliards d’euros."),
    ResourceKind.IN_KIND: _l("Indiquez un apport en nature inférieur à dix milliards "
                             "d’euros."),
    ResourceKind.SKILLS_DAYS: _l("Indiquez un nombre de jours inférieur à un million."),
    ResourceKind.VOLUNTEERS: _l("Indiquez un nombre de bénévoles inférieur à un million."),
}
RESOURCE_TOO_PRECISE = {
    ResourceKind.BUDGET: _l("Indiquez un montant en euros avec deux décimales au plus."),
    ResourceKind.IN_KIND: _l("Indiquez un montant en euros avec deux décimales au plus."),
    ResourceKind.SKILLS_DAYS: _l("Indiquez les jours avec une décimale au plus, par "
                                 "exemple 2,5."),
    ResourceKind.VOLUNTEERS: _l("Indiquez un nombre entier de bénévoles."),
}


def check_resource(resource: ResourceData, prefix: str) -> None:
    """A resource's amount is more than zero, under its kind's bound, with its kind's
    decimals (the check constraint of commitment_resources says the same)."""
    amount = resource.amount
    if amount is None or not amount.is_finite() or amount <= 0:
        raise CommitmentError(_l("Indiquez un montant supérieur à zéro."), f"{prefix}-amount")
    if amount >= RESOURCE_LIMITS[resource.kind]:
        raise CommitmentError(RESOURCE_TOO_LARGE[resource.kind], f"{prefix}-amount")
    if -amount.normalize().as_tuple().exponent > RESOURCE_DECIMALS[resource.kind]:
        raise CommitmentError(RESOURCE_TOO_PRECISE[resource.kind], f"{prefix}-amount")
    if len(resource.description.strip()) > RESOURCE_DESCRIPTION_MAX:
        raise CommitmentError(_l("%(n)s caractères au plus.", n=RESOURCE_DESCRIPTION_MAX),
                              f"{prefix}-description")


def _check_targets(codes: list[str], goals: list[int]) -> None:
    """Each target is one of the 169 and belongs to a goal the commitment chose."""
    known = sdg_targets()
    for code in sorted(set(codes), key=lambda c: target_order(c) if c in known else (99,)):
        target = known.get(code)
        if target is None:
            raise CommitmentError(_l("Cible inconnue\u202f: %(code)s.", code=code), "sdg_targets")
        if target.goal not in goals:
            raise CommitmentError(_l(
                "La cible %(code)s relève de l’ODD %(goal)s, que vous n’avez pas choisi\u202f: "
                "cochez cet objectif ou décochez la cible.", code=code, goal=target.goal),
                "sdg_targets")


def check_amount(value: Decimal | None, field_name: str) -> None:
    if value is None:
        return
    if not value.is_finite() or abs(value) >= AMOUNT_LIMIT:
        raise CommitmentError(_l("Indiquez un nombre inférieur à mille milliards."), field_name)
    if -value.as_tuple().exponent > AMOUNT_DECIMALS:
        raise CommitmentError(_l("%(n)s décimales au plus.", n=AMOUNT_DECIMALS), field_name)


def _replace_links(commitment: Commitment, data: CommitmentData) -> None:
    wanted_sdgs, wanted_domains = sorted(set(data.sdgs)), set(data.domains)
    commitment.sdg_links = [link for link in commitment.sdg_links if link.sdg in wanted_sdgs]
    have = set(commitment.sdgs)
    commitment.sdg_links += [CommitmentSdg(sdg=n) for n in wanted_sdgs if n not in have]
    commitment.domain_links = [link for link in commitment.domain_links
                               if link.domain in wanted_domains]
    have_domains = {link.domain for link in commitment.domain_links}
    commitment.domain_links += [CommitmentDomain(domain=d) for d in Domain
                                if d in wanted_domains and d not in have_domains]


def _replace_targets(commitment: Commitment, codes: list[str]) -> None:
    """The targets hang under their goal's link (already replaced by _replace_links)."""
    wanted = set(codes)
    known = sdg_targets()
    for link in commitment.sdg_links:
        link.targets = [t for t in link.targets if t.target in wanted]
        have = {t.target for t in link.targets}
        link.targets += [CommitmentSdgTarget(sdg=link.sdg, target=code)
                         for code in sorted(wanted - have, key=target_order)
                         if known[code].goal == link.sdg]


def _check_indicators(commitment: Commitment, rows: list[IndicatorData]) -> None:
    """A row with an id edits that indicator of this commitment; an indicator left out is
    removed, unless a progress update already reported a value for it."""
    existing = {indicator.id: indicator for indicator in commitment.indicators}
    ids = [row.id for row in rows if row.id is not None]
    named = set(ids)
    if named - existing.keys() or len(named) != len(ids):
        raise CommitmentError(_l("Cet indicateur n’appartient pas à cet engagement."),
                              "indicators")
    for indicator_id, indicator in existing.items():
        if indicator_id not in named and indicator.values:
            raise CommitmentError(_l("L’indicateur « %(name)s » a déjà des valeurs dans un "
                                     "avancement : il ne peut pas être supprimé.",
                                     name=indicator.name), "indicators")


def _apply_indicators(commitment: Commitment, rows: list[IndicatorData]) -> None:
    existing = {indicator.id: indicator for indicator in commitment.indicators}
    kept = []
    for position, row in enumerate(rows):
        indicator = existing.get(row.id) or Indicator()
        indicator.name, indicator.unit, indicator.target = row.name, row.unit, row.target
        indicator.position = position
        kept.append(indicator)
    commitment.indicators = kept


def commitments_of(organisation: Organisation) -> list[Commitment]:
    return list(db.session.scalars(
        select(Commitment).where(Commitment.organisation_id == organisation.id)
        .order_by(Commitment.created_at.desc(), Commitment.id.desc())))


def commitment_of(organisation: Organisation, commitment_id: int) -> Commitment | None:
    """The commitment if this organisation owns it: a forged id finds nothing."""
    return db.session.scalar(select(Commitment).where(
        Commitment.id == commitment_id, Commitment.organisation_id == organisation.id))


def drop_own_partnerships(organisation: Organisation) -> dict[str, int]:
    """An organisation is neither partner of its own commitments nor confirms their updates:
    after a merge (moderation/merge.py), the kept record may own a commitment it was invited
    to as the other record's partner. Returns how many rows went, for the audit entry."""
    owned = select(Commitment.id).where(Commitment.organisation_id == organisation.id)
    own_updates = select(ProgressUpdate.id).where(ProgressUpdate.commitment_id.in_(owned))
    partnerships = db.session.execute(delete(CommitmentPartner).where(
        CommitmentPartner.organisation_id == organisation.id,
        CommitmentPartner.commitment_id.in_(owned))).rowcount
    confirmations = db.session.execute(delete(UpdateConfirmation).where(
        UpdateConfirmation.organisation_id == organisation.id,
        UpdateConfirmation.update_id.in_(own_updates))).rowcount
    return {key: count for key, count in (("own_partnerships_dropped", partnerships),
                                          ("own_confirmations_dropped", confirmations))
            if count}
