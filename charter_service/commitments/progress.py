"""Progress updates with indicator values, and their confirmation by partners."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import signals
from ..accounts.models import User
from ..extensions import db
from ..organisations.models import Organisation
from .models import (
    Commitment,
    CommitmentPartner,
    IndicatorValue,
    ProgressUpdate,
    UpdateConfirmation,
)
from .partners import PARTNER_ACTIONS
from .services import CommitmentError, check_amount

EVIDENCE_URL_MAX = 500
AMEND_PERIOD = timedelta(hours=24)


def local_today() -> date:
    """Today where the service's people live (the configured Babel time zone)."""
    zone = current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Paris")
    return datetime.now(ZoneInfo(zone)).date()


@dataclass
class ProgressData:
    reported_on: date
    text: str
    evidence_url: str = ""
    values: dict[int, Decimal] = field(default_factory=dict)


def check_evidence_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CommitmentError(_l("Indiquez une adresse web complète commençant par https:// "
                                 "ou http://."), "evidence_url")
    url = urlunsplit(parts)  # the scheme in lower case, as the database checks it
    if len(url) > EVIDENCE_URL_MAX:
        raise CommitmentError(_l("%(n)s caractères au plus.", n=EVIDENCE_URL_MAX), "evidence_url")
    return url


def add_progress(commitment: Commitment, data: ProgressData, user: User) -> ProgressUpdate:
    update = ProgressUpdate(created_by=user)
    _fill(update, commitment, data)
    commitment.updates.append(update)
    db.session.flush()
    signals.commitment_changed.send(commitment, actor=user)  # its reporting date moved
    if not commitment.is_hidden:  # an update of a hidden commitment is no report
        signals.report_filed.send(commitment.organisation, actor=user)
    return update


def can_amend(update: ProgressUpdate, user: User, now: datetime) -> bool:
    """Its author may correct or delete an update for AMEND_PERIOD after publishing it."""
    return (update.created_by_id is not None and update.created_by_id == user.id
            and not update.is_hidden and now - update.created_at < AMEND_PERIOD)


def amend_progress(update: ProgressUpdate, data: ProgressData, user: User,
                   now: datetime) -> None:
    _check_amendable(update, user, now)
    _fill(update, update.commitment, data)
    update.confirmations = []  # partners vouched for what it said before
    db.session.flush()
    signals.commitment_changed.send(update.commitment, actor=user)


def delete_progress(update: ProgressUpdate, user: User, now: datetime) -> None:
    _check_amendable(update, user, now)
    commitment = update.commitment
    db.session.delete(update)
    db.session.flush()
    signals.commitment_changed.send(commitment, actor=user)


def _check_amendable(update: ProgressUpdate, user: User, now: datetime) -> None:
    if not can_amend(update, user, now):
        raise CommitmentError(_l("Seul l’auteur d’un avancement peut le corriger ou le "
                                 "supprimer, pendant les 24 heures qui suivent sa "
                                 "publication."))


def _fill(update: ProgressUpdate, commitment: Commitment, data: ProgressData) -> None:
    if data.reported_on > local_today():
        raise CommitmentError(_l("La date d’un avancement ne peut pas être dans le futur."),
                              "reported_on")
    if not data.text.strip():
        raise CommitmentError(_l("Décrivez l’avancement."), "text")
    evidence_url = check_evidence_url(data.evidence_url)
    indicators = {indicator.id: indicator for indicator in commitment.indicators}
    if set(data.values) - indicators.keys():
        raise CommitmentError(_l("Cet indicateur n’appartient pas à cet engagement."))
    for indicator_id, value in data.values.items():
        check_amount(value, f"value_{indicator_id}")
    update.reported_on, update.text = data.reported_on, data.text.strip()
    update.evidence_url = evidence_url
    kept = {value.indicator_id: value for value in update.values}
    update.values = [_value(kept.get(indicator_id), indicator_id, value)
                     for indicator_id, value in data.values.items()]


def _value(kept: IndicatorValue | None, indicator_id: int, value: Decimal) -> IndicatorValue:
    """Reuse the row of an indicator already measured: (update, indicator) is unique."""
    if kept is None:
        return IndicatorValue(indicator_id=indicator_id, value=value)
    kept.value = value
    return kept


def update_of(commitment: Commitment, update_id: int) -> ProgressUpdate | None:
    return db.session.scalar(select(ProgressUpdate).where(
        ProgressUpdate.id == update_id, ProgressUpdate.commitment_id == commitment.id))


def confirm_update(update: ProgressUpdate, organisation: Organisation, user: User) -> None:
    """A confirmed partner of the commitment vouches for one of its updates, once."""
    partner = db.session.scalar(select(CommitmentPartner.id).where(
        CommitmentPartner.commitment_id == update.commitment_id,
        CommitmentPartner.organisation_id == organisation.id,
        CommitmentPartner.status.in_(PARTNER_ACTIONS["confirm_updates"])))
    if partner is None:
        raise CommitmentError(_l("Seuls les partenaires confirmés de cet engagement peuvent "
                                 "confirmer ses avancements."))
    if update.is_hidden:
        raise CommitmentError(_l("Cet avancement a été masqué par l’équipe de modération."))
    if any(c.organisation_id == organisation.id for c in update.confirmations):
        raise CommitmentError(_l("Votre organisation a déjà confirmé cet avancement."))
    try:
        with db.session.begin_nested():
            db.session.add(UpdateConfirmation(update=update, organisation=organisation,
                                              confirmed_by_id=user.id))
    except IntegrityError as exc:  # a second click raced the first
        raise CommitmentError(_l("Votre organisation a déjà confirmé cet avancement.")) from exc
    signals.commitment_changed.send(update.commitment, actor=user)
