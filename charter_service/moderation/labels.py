"""French labels for what the moderation pages show."""

from flask_babel import lazy_gettext as _l

from ..accounts.models import ModerationAlerts
from ..signatures.models import SignatureStatus

ACTION_LABELS = {
    "signature.submit": _l("Signature déposée"),
    "signature.approve": _l("Signature approuvée"),
    "signature.reject": _l("Signature refusée"),
    "signature.request_changes": _l("Modifications demandées"),
    "signature.resubmit": _l("Signature soumise à nouveau"),
    "signature.suspend": _l("Signature suspendue"),
    "signature.reinstate": _l("Signature rétablie"),
    "signature.withdraw": _l("Signature retirée"),
    "organisation.merge": _l("Organisations fusionnées"),
    "demo.load": _l("Données de démonstration chargées"),
}

ALERT_LABELS = {
    ModerationAlerts.IMMEDIATE: _l("Un e-mail à chaque nouvelle signature en attente"),
    ModerationAlerts.DAILY: _l("Un récapitulatif quotidien"),
    ModerationAlerts.NONE: _l("Aucun e-mail"),
}

OUTCOME_LABELS = {
    SignatureStatus.APPROVED: _l("Approuvées"),
    SignatureStatus.REJECTED: _l("Refusées"),
    SignatureStatus.CHANGES_REQUESTED: _l("Modifications demandées"),
}
