"""The signatures an account made (it submitted them, or signed them under its address) in its
personal data; on its erasure, the signatory's name and address removed, the function kept."""

from sqlalchemy import func, or_, select

from .. import signals
from ..extensions import db
from .handover import clear_successor
from .models import Identification, Signature


def _made_by(user, email: str):
    return or_(Signature.submitted_by_id == user.id,
               func.lower(Signature.signatory_email) == email.lower())


@signals.personal_data_requested.connect
def _signatures(user) -> tuple[str, list[dict]]:
    rows = db.session.scalars(select(Signature).where(_made_by(user, user.email))
                              .order_by(Signature.id))
    return "signatures", [_signature(row, user) for row in rows]


def _signature(row: Signature, user) -> dict:
    """The signatory's name and address when they are the account's own; a signature it
    prepared for someone else keeps that person's to itself."""
    own = row.signatory_email.lower() == user.email.lower()
    return {"id": row.id, "organisation": row.organisation.name,
            "charter_version": row.charter_version.number, "status": row.status.value,
            "signatory_name": row.signatory_name if own else None,
            "signatory_email": row.signatory_email if own else None,
            "signatory_function": row.signatory_function,
            "submitted_by_you": row.submitted_by_id == user.id,
            "signed_at": row.signed_at.isoformat(),
            "decided_at": row.decided_at.isoformat() if row.decided_at else None}


@signals.account_erasing.connect
def _erase_signatory(user, *, email: str, **_) -> None:
    """Only where the account's holder signed: a signature it prepared for someone else
    names that person, whose data it is not."""
    for signature in db.session.scalars(select(Signature).where(
            func.lower(Signature.signatory_email) == email.lower())):
        signature.signatory_name = ""
        signature.signatory_email = ""
        db.session.flush()
        signals.signatory_erased.send(signature)
    for signature in db.session.scalars(select(Signature).where(
            Signature.submitted_by_id == user.id,
            Signature.identification != Identification.ACCOUNT_HOLDER)):
        signals.signatory_erased.send(signature, preparer=True)
    # A hand-over waiting for the erased address is given up: it named them.
    for signature in db.session.scalars(select(Signature).where(
            func.lower(Signature.successor_email) == email.lower())):
        clear_successor(signature)
