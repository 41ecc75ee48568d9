"""Signatories built through the real workflow, shared by the API, open-data and feed tests."""

from datetime import date

from charter_service.accounts.models import Role
from charter_service.commitments import services as commitments
from charter_service.commitments.models import Category, Scale, Visibility
from charter_service.commitments.services import CommitmentData
from charter_service.extensions import db
from charter_service.organisations.models import OrganisationKind
from charter_service.signatures.workflow import Transition, apply

ORGANISATIONS = [
    # name, kind, departement, region, commune, siren
    ("Élan Solidaire", OrganisationKind.ASSOCIATION, "69", "84", "Lyon", None),
    ("Ville de Villeurbanne", OrganisationKind.COLLECTIVITE, "69", "84", "Villeurbanne",
     "732829320"),
    ("Atelier Côtier", OrganisationKind.ENTREPRISE, "2A", "94", "Ajaccio", "552100554"),
    ("Fondation Horizon", OrganisationKind.FONDATION, "75", "11", "Paris", "542065479"),
    ("Université du Lac", OrganisationKind.ACADEMIQUE, "74", "84", "Annecy", "443061841"),
    ("Association des Îles", OrganisationKind.ASSOCIATION, "971", "01", "Pointe-à-Pitre",
     None),
    ("Zénith Coopérative", OrganisationKind.ENTREPRISE, "69", "84", "Vénissieux",
     "356000000"),
]


def build(make) -> dict:
    """Seven approved signatories (one with public commitments), one pending, one suspended
    and one rejected organisation; returns them by role."""
    moderator = make.user(role=Role.MODERATOR, full_name="Morgane Modératrice",
                          email="morgane.moderatrice@example.org")
    owner = make.user(full_name="Paul Propriétaire", email="paul.proprietaire@example.org")
    version = make.version()
    approved = []
    for name, kind, departement, region, commune, siren in ORGANISATIONS:
        organisation = make.organisation(name=name, kind=kind, departement_code=departement,
                                         region_code=region, commune=commune, siren=siren,
                                         owner=owner if not approved else None)
        apply(make.signature(organisation, version), Transition.APPROVE, actor=moderator)
        approved.append(organisation)
    data = CommitmentData(title="Achats locaux", description="Acheter local.",
                          category=Category.COOPERATION_ECONOMIQUE,
                          principle_ids=[version.principles[0].id], scale=Scale.LOCAL,
                          start_on=date(2025, 1, 1), visibility=Visibility.PUBLIC, sdgs=[8])
    commitment = commitments.create_commitment(approved[0], data, owner)
    pending = make.organisation(name="Élan en Attente", siren="130005481")
    make.signature(pending, version)
    suspended = make.organisation(name="Élan Suspendu", siren="217500016")
    signature = make.signature(suspended, version)
    apply(signature, Transition.APPROVE, actor=moderator)
    apply(signature, Transition.SUSPEND, actor=moderator, reason="Motif confidentiel")
    rejected = make.organisation(name="Élan Refusé", siren="200046977")
    apply(make.signature(rejected, version), Transition.REJECT, actor=moderator,
          reason="Raison du refus confidentielle")
    db.session.commit()
    return {"approved": approved, "pending": pending, "suspended": suspended,
            "rejected": rejected, "moderator": moderator, "owner": owner,
            "commitment": commitment, "version": version}
