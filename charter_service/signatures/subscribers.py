"""The organisation hears of each decision on its signature (signals.signature_transitioned)."""

from .. import signals
from .notifications import notify_organisation


@signals.signature_transitioned.connect
def _tell_the_organisation(signature, *, transition, **_):
    notify_organisation(signature, transition.value)
