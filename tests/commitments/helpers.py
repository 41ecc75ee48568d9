"""Builders for the commitment tests: signatories, form data, commitments through the service."""

import html
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from charter_service.accounts.models import User
from charter_service.commitments import services
from charter_service.commitments.models import Category, Commitment, Scale, Visibility
from charter_service.commitments.services import CommitmentData, IndicatorData
from charter_service.extensions import db
from charter_service.organisations.identifiers import slugify
from charter_service.organisations.models import Organisation, OrganisationKind
from charter_service.signatures.models import Signature, SignatureStatus


@dataclass
class Signatory:
    organisation: Organisation
    owner: User
    signature: Signature

    @property
    def id(self) -> int:
        return self.organisation.id

    @property
    def base(self) -> str:
        return f"/espace/organisations/{self.organisation.id}/engagements"


class Signatories:
    def __init__(self, make, version) -> None:
        self.make, self.version = make, version

    def new(self, *, name=None, status=SignatureStatus.APPROVED, members=(), region_code="84",
            commune="Lyon", decided_at=None, kind=OrganisationKind.ASSOCIATION) -> Signatory:
        owner = self.make.user()
        organisation = self.make.organisation(owner=owner, name=name, members=members,
                                              region_code=region_code, commune=commune,
                                              kind=kind)
        if name:  # as the organisations service does: a slug from the name
            organisation.slug = f"{slugify(name)}-{organisation.id}"
            db.session.commit()
        signature = None
        if status is not None:
            signature = self.make.signature(organisation, self.version, status=status,
                                            decided_at=decided_at)
        return Signatory(organisation, owner, signature)


def commitment_form(version, **overrides) -> dict:
    principles = version.principles
    data = {
        "title": "Achats locaux",
        "description": "Acheter auprès des producteurs du territoire.",
        "principles": [str(principles[0].id)],
        "category": "pratiques_responsables",
        "sdgs": ["8", "12"],
        "domains": ["economique", "environnemental"],
        "scale": "regional",
        "start_on": "2025-01-15",
        "end_on": "2026-12-31",
        "status": "in_progress",
        "visibility": "public",
        "indicators-0-name": "Part d’achats locaux",
        "indicators-0-unit": "%",
        "indicators-0-target": "40",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def add_commitment(signatory: Signatory, *, title="Achats locaux", visibility=Visibility.PUBLIC,
                   principles=None, sdgs=(8,), category=Category.PRATIQUES_RESPONSABLES,
                   indicators=(("Part d’achats locaux", "%", 40),)) -> Commitment:
    version = signatory.signature.charter_version
    data = CommitmentData(
        title=title, description="Description de l'engagement.", category=category,
        principle_ids=[p.id for p in (principles or version.principles[:1])],
        scale=Scale.REGIONAL, start_on=date(2025, 1, 1), visibility=visibility,
        sdgs=list(sdgs),
        indicators=[IndicatorData(name=n, unit=u, target=Decimal(str(t)))
                    for n, u, t in indicators])
    commitment = services.create_commitment(signatory.organisation, data, signatory.owner)
    db.session.commit()
    return commitment


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))
