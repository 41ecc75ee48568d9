"""The directory follows the domain signals: each recomputes the rows of the commitments it
names, in the sender's transaction."""

from .. import signals
from . import sync


@signals.commitment_changed.connect
def _commitment_changed(commitment, **_):
    sync.follow_commitments([commitment.id])


@signals.organisation_changed.connect
def _organisation_changed(organisation, **_):
    sync.follow_organisations([organisation.id])


@signals.organisations_merged.connect
def _organisations_merged(kept, *, removed_id: int, **_):
    sync.follow_organisations([kept.id, removed_id])


@signals.signature_handed_over.connect
def _signature_handed_over(signature, **_):
    sync.follow_organisations([signature.organisation_id])


@signals.signature_transitioned.connect
def _signature_transitioned(signature, **_):
    sync.follow_organisations([signature.organisation_id])
