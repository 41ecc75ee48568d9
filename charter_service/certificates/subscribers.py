"""Attestations follow the signature and the organisation they print (charter_service.signals):
issued on approval, revoked on suspension or withdrawal, re-issued when printed facts change."""

from .. import signals
from . import report_documents, services


@signals.signature_transitioned.connect
def _signature_transitioned(signature, *, transition, actor, message, public_label, **_):
    services.on_transition(signature, transition.value, actor=actor, message=message,
                           label=public_label)


@signals.signature_handed_over.connect
def _signature_handed_over(signature, *, actor, **_):
    services.reissue_for_new_signatory(signature, actor=actor)


@signals.organisation_changed.connect
def _organisation_changed(organisation, *, actor, **_):
    services.reissue_for_identity_change(organisation, actor=actor)


@signals.organisations_merged.connect
def _organisations_merged(kept, *, actor, **_):
    # The moved signatures' attestations printed the removed organisation's facts.
    services.reissue_for_identity_change(kept, actor=actor)


@signals.signatory_erased.connect
def _signatory_erased(signature, *, preparer: bool = False, **_):
    services.forget_signatory(signature, preparer=preparer)


@signals.account_erasing.connect
def _account_erasing(user, **_):
    # The name of who submitted a bilan annuel leaves what its report documents print.
    report_documents.forget_submitter(user)
