"""A first commitment declared on the signing form is recorded with the signature
(signals.signature_submitted), in the same transaction."""

from .. import signals
from ..db_types import utcnow
from .models import Category, Scale, Visibility
from .services import CommitmentData, create_commitment


@signals.signature_submitted.connect
def _first_commitment(signature, *, actor, first_commitment=None, **_):
    """Private until the organisation describes it: a title alone is not yet a public page."""
    if not first_commitment or actor is None:
        return
    create_commitment(signature.organisation, CommitmentData(
        title=first_commitment["title"], description="",
        category=Category.PRATIQUES_RESPONSABLES,
        principle_ids=[first_commitment["principle_id"]], scale=Scale.LOCAL,
        start_on=utcnow().date(), visibility=Visibility.PRIVATE), actor)
