"""Approved signatories made through the real workflow, for the register's page and query tests."""

from dataclasses import fields, replace
from datetime import UTC, date, datetime

from charter_service.accounts.models import Role
from charter_service.commitments import services as commitments
from charter_service.commitments.models import Category, Scale, Visibility
from charter_service.commitments.services import CommitmentData
from charter_service.extensions import db
from charter_service.organisations.models import OrganisationKind
from charter_service.organisations.services import OrganisationData, update_organisation
from charter_service.signatures.models import SignatureStatus


class World:
    def __init__(self, make):
        self.make = make
        self.moderator = make.user(role=Role.MODERATOR)
        self.owner = make.user()
        self.version = make.version()

    def signatory(self, name, *, kind=OrganisationKind.ASSOCIATION, departement="69",
                  region="84", commune="Lyon", approved_on: date | None = None):
        organisation = self.make.organisation(name=name, kind=kind, departement_code=departement,
                                              region_code=region, commune=commune)
        at = None if approved_on is None else datetime(
            approved_on.year, approved_on.month, approved_on.day, 10, tzinfo=UTC)
        self.make.signature(organisation, self.version, status=SignatureStatus.APPROVED,
                            decided_by=self.moderator, decided_at=at)
        db.session.commit()
        return organisation

    def commitment(self, organisation, *, sdgs=(8,), category=Category.COOPERATION_ECONOMIQUE,
                   visibility=Visibility.PUBLIC):
        data = CommitmentData(title="Achats locaux", description="Acheter local.",
                              category=category, principle_ids=[self.version.principles[0].id],
                              scale=Scale.LOCAL, start_on=date(2025, 1, 1),
                              visibility=visibility, sdgs=list(sdgs))
        commitment = commitments.create_commitment(organisation, data, self.owner)
        db.session.commit()
        return commitment

    def edit(self, organisation, **changes):
        """Edit the organisation as its page does (organisations.services), then commit."""
        data = OrganisationData(**{f.name: getattr(organisation, f.name)
                                   for f in fields(OrganisationData)})
        update_organisation(organisation, replace(data, **changes), self.owner)
        db.session.commit()
