"""Signatories and their commitments made through the real services, for the directory's tests."""

from datetime import date

from charter_service.commitments import partners, progress
from charter_service.commitments import services as commitments
from charter_service.commitments.models import Category, CommitmentStatus, Domain, Scale
from charter_service.commitments.services import CommitmentData
from charter_service.extensions import db

from ..register.register_world import World


class DirectoryWorld(World):
    def commit(self, organisation, title="Achats locaux", *, description="Acheter local.",
               category=Category.COOPERATION_ECONOMIQUE, scale=Scale.LOCAL, sdgs=(8,),
               domains=(Domain.ECONOMIQUE,), principles=(0,), start_on=date(2025, 1, 1),
               status=CommitmentStatus.PLANNED, **options):
        data = CommitmentData(
            title=title, description=description, category=category, scale=scale,
            principle_ids=[self.version.principles[i].id for i in principles],
            start_on=start_on, status=status, sdgs=list(sdgs), domains=list(domains),
            **options)
        commitment = commitments.create_commitment(organisation, data, self.owner)
        db.session.commit()
        return commitment

    def partner(self, commitment, organisation, *, confirm=True):
        row = partners.invite_partner(commitment, organisation.id, self.owner)
        if confirm:
            partners.decide(row, True, self.owner)
        db.session.commit()
        return row

    def outside_partner(self, commitment, name):
        partners.add_outside_partner(commitment, name, self.owner)
        db.session.commit()

    def report(self, commitment, text, on=date(2026, 6, 1)):
        update = progress.add_progress(commitment, progress.ProgressData(on, text), self.owner)
        db.session.commit()
        return update
