"""How long a signature has waited in the queue, in words (« depuis 3 jours », « depuis 2 h »),
and whether that is past the usual delay that the transparency page publishes (its median)."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from ..signatures.models import Signature, SignatureStatus

MINUTE, HOUR, DAY = 60, 3600, 86400


def waited_words(since: datetime, now: datetime) -> str:
    """« depuis moins d’une minute », « depuis 5 min », « depuis 2 h », « depuis 3 jours »:
    the whole units elapsed, rounded down."""
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < MINUTE:
        return _("depuis moins d’une minute")
    if seconds < HOUR:
        return _("depuis %(num)s min", num=seconds // MINUTE)
    if seconds < DAY:
        return _("depuis %(num)s h", num=seconds // HOUR)
    return ngettext("depuis %(num)s jour", "depuis %(num)s jours", seconds // DAY)


@dataclass(frozen=True)
class Wait:
    since: datetime
    words: str  # « en attente depuis 3 jours »
    overdue: bool  # past the usual delay


def wait_of(signature: Signature, now: datetime, usual_days: int | None) -> Wait:
    """A pending signature waits for the moderators since it was signed (the delay the median
    measures); one whose changes were requested waits for its organisation since then."""
    if signature.status == SignatureStatus.CHANGES_REQUESTED and signature.decided_at:
        since = signature.decided_at
        return Wait(since, _("modifications demandées %(since)s",
                             since=waited_words(since, now)), False)
    since = signature.signed_at
    overdue = usual_days is not None and (now - since).total_seconds() > usual_days * DAY
    return Wait(since, _("en attente %(since)s", since=waited_words(since, now)), overdue)
