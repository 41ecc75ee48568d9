"""Renaming an approved signatory supersedes its attestation with a new one, never rewrites it."""

from sqlalchemy import select

from charter_service.accounts.models import Role
from charter_service.certificates.models import Certificate, CertificateStatus
from charter_service.extensions import db
from charter_service.signatures.workflow import Transition, apply

from .helpers import organisation_form


def test_a_new_name_supersedes_the_attestation(client, login, make):
    owner = make.user()
    organisation = make.organisation(owner=owner, siren="732829320", name="Mairie de Lyon",
                                     departement_code="69", region_code="84")
    signature = make.signature(organisation, make.version())
    apply(signature, Transition.APPROVE, actor=make.user(role=Role.MODERATOR))
    db.session.commit()
    [first] = db.session.scalars(select(Certificate)).all()
    first_pdf = first.pdf

    login(owner)
    response = client.post(f"/espace/organisations/{organisation.id}/modifier",
                           data=organisation_form(name="Ville de Lyon", kind="collectivite",
                                                  identifier="732829320", rna=""))
    assert response.status_code == 302

    db.session.expire_all()
    old, new = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
    assert old.status == CertificateStatus.SUPERSEDED and old.superseded_by_id == new.id
    assert old.pdf == first_pdf
    assert new.status == CertificateStatus.VALID
    assert "Ville de Lyon" in new.rendered_from

    # Saving again without a printed change issues nothing more.
    client.post(f"/espace/organisations/{organisation.id}/modifier",
                data=organisation_form(name="Ville de Lyon", kind="collectivite",
                                       identifier="732829320", rna=""))
    assert len(db.session.scalars(select(Certificate)).all()) == 2
