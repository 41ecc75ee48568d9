"""Suspension and withdrawal revoke, reinstatement and identity changes issue anew; nothing is
ever overwritten."""

import json

import pytest
from sqlalchemy import select

from charter_service.audit.models import AuditEntry
from charter_service.certificates import services
from charter_service.certificates.models import Certificate, CertificateStatus
from charter_service.extensions import db
from charter_service.signatures.revocation import RevocationLabel
from charter_service.signatures.workflow import Transition, apply

from .conftest import only_valid, pdf_text, sha256


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


def test_suspension_revokes_with_date_wording_and_private_message(certificate, moderator):
    stored = certificate.pdf
    apply(certificate.signature, Transition.SUSPEND, actor=moderator,
          reason="Engagements non tenus depuis six mois.")
    db.session.commit()
    db.session.expire_all()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revoked_at is not None
    assert certificate.revocation_label == RevocationLabel.SUSPENDED
    assert certificate.revocation_message == "Engagements non tenus depuis six mois."
    assert certificate.pdf == stored and certificate.sha256 == sha256(stored)
    assert _actions()[-2:] == ["signature.suspend", "certificate.revoke"]


def test_reinstatement_issues_a_new_attestation_and_keeps_the_revoked_one(certificate,
                                                                          moderator):
    signature = certificate.signature
    apply(signature, Transition.SUSPEND, actor=moderator, reason="Vérification en cours.")
    db.session.commit()
    apply(signature, Transition.REINSTATE, actor=moderator)
    db.session.commit()
    fresh = only_valid(signature)
    assert fresh.number != certificate.number and fresh.serial == certificate.serial + 1
    assert db.session.get(Certificate, certificate.id).status == CertificateStatus.REVOKED
    # The approval date printed is the original one, not the reinstatement's.
    assert (json.loads(fresh.rendered_from)["approved_on"]
            == json.loads(certificate.rendered_from)["approved_on"])
    assert _actions()[-3:] == ["signature.reinstate", "certificate.reserve", "certificate.issue"]


def test_withdrawal_revokes_with_the_organisation_wording(certificate, owner):
    apply(certificate.signature, Transition.WITHDRAW, actor=owner)
    db.session.commit()
    db.session.expire_all()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revocation_label == RevocationLabel.WITHDRAWN_AT_REQUEST
    assert certificate.revocation_message == ""


@pytest.mark.real_pdf
def test_a_new_name_supersedes_the_attestation(certificate, organisation, owner):
    old_pdf = certificate.pdf
    organisation.name = "Ateliers réunis du Rhône"
    new = services.reissue_for_identity_change(organisation, actor=owner)
    db.session.commit()
    db.session.expire_all()
    assert len(new) == 1
    assert certificate.status == CertificateStatus.SUPERSEDED
    assert certificate.superseded_by.number == new[0].number
    assert certificate.pdf == old_pdf
    assert "Ateliers réunis du Rhône" in pdf_text(new[0].pdf)
    assert "Ateliers réunis du Rhône" not in pdf_text(certificate.pdf)
    assert _actions()[-2:] == ["certificate.supersede", "certificate.issue"]


@pytest.mark.real_pdf
def test_a_new_identifier_supersedes_the_attestation(certificate, organisation, owner):
    organisation.siren, organisation.siret = "552100554", "55210055400013"
    new = services.reissue_for_identity_change(organisation, actor=owner)
    db.session.commit()
    assert "552 100 554 00013" in pdf_text(new[0].pdf)


def test_an_edit_that_changes_no_printed_fact_issues_nothing(certificate, organisation, owner):
    organisation.description = "Une nouvelle description."
    organisation.website = "https://ateliers.example.org"
    assert services.reissue_for_identity_change(organisation, actor=owner) == []
    db.session.commit()
    assert db.session.get(Certificate, certificate.id).status == CertificateStatus.VALID


def test_revoked_and_superseded_attestations_are_left_alone_by_a_rename(certificate, organisation,
                                                                      moderator, owner):
    apply(certificate.signature, Transition.SUSPEND, actor=moderator, reason="Contrôle.")
    db.session.commit()
    organisation.name = "Autre nom"
    assert services.reissue_for_identity_change(organisation, actor=owner) == []
