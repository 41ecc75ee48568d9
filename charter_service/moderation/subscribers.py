"""Moderators hear of every signature that waits for them: submitted or resubmitted."""

from .. import signals
from ..signatures.workflow import Transition
from .alerts import notify_moderators_of, notify_moderators_of_handover


@signals.signature_submitted.connect
def _signature_submitted(signature, **_):
    notify_moderators_of(signature)


@signals.signature_transitioned.connect
def _signature_transitioned(signature, *, transition, **_):
    if transition == Transition.RESUBMIT:
        notify_moderators_of(signature)


@signals.signature_handed_over.connect
def _signature_handed_over(signature, **_):
    notify_moderators_of_handover(signature)
