"""French labels for the enums shown in the member's space."""

from flask_babel import lazy_gettext as _l

from ..signatures.models import SignatureStatus
from .models import MemberRole, OrganisationKind

KIND_LABELS = {
    OrganisationKind.COLLECTIVITE: _l("Collectivité territoriale"),
    OrganisationKind.ENTREPRISE: _l("Entreprise"),
    OrganisationKind.ASSOCIATION: _l("Association"),
    OrganisationKind.FONDATION: _l("Fondation"),
    OrganisationKind.ACADEMIQUE: _l("Acteur académique ou de recherche"),
    OrganisationKind.AUTRE: _l("Autre"),
}

ROLE_LABELS = {
    MemberRole.OWNER: _l("Responsable"),
    MemberRole.MEMBER: _l("Membre"),
}

SIGNATURE_STATUS_LABELS = {
    SignatureStatus.PENDING: _l("en attente de validation"),
    SignatureStatus.APPROVED: _l("approuvée"),
    SignatureStatus.REJECTED: _l("refusée"),
    SignatureStatus.CHANGES_REQUESTED: _l("modifications demandées"),
    SignatureStatus.SUSPENDED: _l("suspendue"),
    SignatureStatus.WITHDRAWN: _l("retirée"),
}
