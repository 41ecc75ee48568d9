"""The commitments an account authored, and the progress reports it wrote, in its personal
data. Their text belongs to the organisation and stays when the account is erased."""

from sqlalchemy import select

from .. import signals
from ..extensions import db
from .models import Commitment, ProgressUpdate


@signals.personal_data_requested.connect
def _authored(user) -> tuple[str, dict]:
    commitments = db.session.scalars(select(Commitment).where(Commitment.created_by_id == user.id)
                                     .order_by(Commitment.id))
    updates = db.session.scalars(select(ProgressUpdate)
                                 .where(ProgressUpdate.created_by_id == user.id)
                                 .order_by(ProgressUpdate.id))
    return "commitments", {
        "authored": [{"id": c.id, "organisation": c.organisation.name, "title": c.title,
                      "description": c.description, "status": c.status.value,
                      "visibility": c.visibility.value, "created_at": c.created_at.isoformat()}
                     for c in commitments],
        "progress_updates": [{"id": u.id, "commitment_id": u.commitment_id,
                              "reported_on": u.reported_on.isoformat(), "text": u.text,
                              "evidence_url": u.evidence_url,
                              "created_at": u.created_at.isoformat()} for u in updates]}
