"""Tell moderators about signatures waiting for them: at once, or in a daily digest."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts.models import ModerationAlerts, Role, User
from ..audit.models import AuditEntry
from ..extensions import db
from ..links import external_url
from ..mailing.services import queue
from ..signatures.models import Signature, SignatureStatus

# Audit actions after which a signature waits for a moderator.
BECAME_PENDING = ("signature.submit", "signature.confirm", "signature.resubmit")
DIGEST_WINDOW = timedelta(hours=24)


def moderators(preference: ModerationAlerts) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.role.in_((Role.MODERATOR, Role.ADMIN)),
                           User.confirmed_at.is_not(None), User.moderation_alerts == preference)
        .order_by(User.id)))


def signature_link(signature_id: int) -> str:
    return external_url("moderation.signature", signature_id=signature_id)


def notify_moderators_of(signature: Signature) -> None:
    """Queue mail/moderation_new_signature to each moderator who wants immediate alerts."""
    recipients = moderators(ModerationAlerts.IMMEDIATE)
    if not recipients:
        return
    link = signature_link(signature.id)
    for moderator in recipients:
        queue(moderator.email, "moderation_new_signature", locale=moderator.locale,
              organisation_name=signature.organisation.name,
              version_number=signature.charter_version.number,
              resubmitted=signature.decided_at is not None, link=link)


def notify_moderators_of_handover(signature: Signature) -> None:
    """Queue mail/moderation_handover to each moderator who wants immediate alerts."""
    link = signature_link(signature.id)
    for moderator in moderators(ModerationAlerts.IMMEDIATE):
        queue(moderator.email, "moderation_handover", locale=moderator.locale,
              organisation_name=signature.organisation.name,
              version_number=signature.charter_version.number, link=link)


def newly_pending(since: datetime) -> list[Signature]:
    """Signatures submitted or resubmitted after `since` that are still pending."""
    ids = {int(object_id) for object_id in db.session.scalars(
        select(AuditEntry.object_id).where(AuditEntry.object_type == "signature",
                                           AuditEntry.action.in_(BECAME_PENDING),
                                           AuditEntry.created_at > since))
           if object_id.isdigit()}
    if not ids:
        return []
    return list(db.session.scalars(
        select(Signature).options(joinedload(Signature.organisation))
        .where(Signature.id.in_(ids), Signature.status == SignatureStatus.PENDING)
        .order_by(Signature.signed_at, Signature.id)))


def send_digests(now: datetime) -> int:
    """One digest per "daily" moderator, at most once a (local) day; commits per moderator.

    Returns how many digests were queued.
    """
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    today = now.astimezone(zone).date()
    sent = 0
    for moderator_id in [m.id for m in moderators(ModerationAlerts.DAILY)]:
        # Locked and re-read, so that two runs at once cannot both send.
        moderator = db.session.scalars(
            select(User).where(User.id == moderator_id).with_for_update()
            .execution_options(populate_existing=True)).one()
        last = moderator.last_digest_at
        if last is not None and last.astimezone(zone).date() >= today:
            db.session.rollback()
            continue
        signatures = newly_pending(last or now - DIGEST_WINDOW)
        if signatures:
            queue(moderator.email, "moderation_digest", locale=moderator.locale,
                  signatures=[(s.organisation.name, s.signed_at, signature_link(s.id))
                              for s in signatures],
                  queue_link=external_url("moderation.queue"))
            sent += 1
        moderator.last_digest_at = now
        db.session.commit()
    return sent
