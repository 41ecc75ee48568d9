"""Moderators hide (and show again) a commitment or a progress update, with an audit entry."""

from flask_babel import lazy_gettext as _l

from .. import signals
from ..accounts.models import User
from ..audit import services as audit
from ..db_types import utcnow
from ..extensions import db
from .models import Commitment, ProgressUpdate
from .services import CommitmentError

REASON_MAX = 2000
_KINDS = {Commitment: ("commitment", "commitment"), ProgressUpdate: ("progress", "progress_update")}


def hide(item: Commitment | ProgressUpdate, reason: str, moderator: User) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise CommitmentError(_l("Indiquez le motif : il est conservé dans le journal "
                                 "d’audit."), "reason")
    if len(reason) > REASON_MAX:
        raise CommitmentError(_l("%(n)s caractères au plus.", n=REASON_MAX), "reason")
    if item.is_hidden:
        raise CommitmentError(_l("Cet élément est déjà masqué."))
    item.hidden_at, item.hidden_reason, item.hidden_by_id = utcnow(), reason, moderator.id
    _record(item, "hide", moderator, hidden=True, personal={"message": reason})


def unhide(item: Commitment | ProgressUpdate, moderator: User) -> None:
    if not item.is_hidden:
        raise CommitmentError(_l("Cet élément n’est pas masqué."))
    item.hidden_at, item.hidden_reason, item.hidden_by_id = None, "", None
    _record(item, "unhide", moderator, hidden=False, personal=None)
    if _counts_as_report(item):  # its filing date counts again: the system files it
        commitment = item if isinstance(item, Commitment) else item.commitment
        signals.report_filed.send(commitment.organisation, actor=None)


def _counts_as_report(item: Commitment | ProgressUpdate) -> bool:
    if isinstance(item, ProgressUpdate):
        return not item.commitment.is_hidden
    return any(not update.is_hidden for update in item.updates)


def _record(item, verb: str, moderator: User, *, hidden: bool, personal: dict | None) -> None:
    db.session.flush()
    action_prefix, object_type = _KINDS[type(item)]
    audit.record(f"{action_prefix}.{verb}", object_type, item.id, actor=moderator,
                 before={"hidden": not hidden}, after={"hidden": hidden}, personal=personal)
    # A progress update hidden or shown moves its organisation's reporting date.
    signals.commitment_changed.send(item if isinstance(item, Commitment) else item.commitment,
                                    actor=moderator)
