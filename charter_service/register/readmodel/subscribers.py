"""The register follows the domain signals: each recomputes the rows of the organisations it
names, in the sender's transaction (sync.follow)."""

from ... import signals
from ...extensions import db
from . import sync


@signals.signature_transitioned.connect
def _signature_transitioned(signature, **_):
    sync.follow(db.session, [signature.organisation_id])


@signals.signature_handed_over.connect
def _signature_handed_over(signature, **_):
    sync.follow(db.session, [signature.organisation_id])


@signals.organisation_changed.connect
def _organisation_changed(organisation, **_):
    sync.follow(db.session, [organisation.id])


@signals.organisations_merged.connect
def _organisations_merged(kept, *, removed_id: int, **_):
    sync.follow(db.session, [kept.id, removed_id])


@signals.commitment_changed.connect
def _commitment_changed(commitment, **_):
    sync.follow(db.session, [commitment.organisation_id])


@signals.certificate_changed.connect
def _certificate_changed(certificate, **_):
    sync.follow(db.session, [certificate.signature.organisation_id])


@signals.report_document_changed.connect
def _report_document_changed(document, **_):
    sync.follow(db.session, [document.organisation_id])


@signals.report_filed.connect
def _report_filed(organisation, **_):
    sync.follow(db.session, [organisation.id])
