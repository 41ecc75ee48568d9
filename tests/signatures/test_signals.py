"""The signature services announce what happened (charter_service.signals), and every package
that reacts does its part in the same transaction: the contract the subscribers rely on."""

from sqlalchemy import func, select

from charter_service import signals
from charter_service.accounts.models import Role
from charter_service.certificates.models import Certificate, CertificateStatus
from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage
from charter_service.register.readmodel.models import RegisterEntry
from charter_service.signatures.models import SignatureStatus
from charter_service.signatures.revocation import RevocationLabel
from charter_service.signatures.workflow import Transition, apply


class Recorder:
    def __init__(self):
        self.received = []

    def __call__(self, sender, **kwargs):
        self.received.append((sender, kwargs))


def outbox() -> list[str]:
    return sorted(db.session.scalars(select(OutboxMessage.recipient)))


def test_every_signal_is_documented_and_heard_by_some_package(app):
    found = {name: value for name, value in vars(signals).items()
             if isinstance(value, type(signals.signature_transitioned))}
    assert set(found) >= {"signature_submitted", "signature_transitioned", "organisation_changed",
                          "organisations_merged", "commitment_changed",
                          "certificate_changed"}
    for name, signal in found.items():
        assert signal.__doc__ and "Sent by" in signal.__doc__, name
        assert signal.receivers, f"nobody listens to {name}"


def test_an_approval_reaches_each_subscriber_before_the_commit(make, organisation, owner,
                                                               version):
    moderator = make.user(role=Role.MODERATOR, email="moderation@example.org")
    signature = make.signature(organisation, version)
    transitions, certificates = Recorder(), Recorder()
    with signals.signature_transitioned.connected_to(transitions), \
            signals.certificate_changed.connected_to(certificates):
        apply(signature, Transition.APPROVE, actor=moderator)

    assert transitions.received == [(signature, {
        "transition": Transition.APPROVE, "actor": moderator, "message": "",
        "public_label": None})]
    # The attestation's signal comes with its PDF, after the commit (certificates/issuing.py).
    assert certificates.received == []
    # Not committed yet: the attestation (« en cours », numbered), the register row and the
    # e-mails are in the transaction, and a rollback takes them all back.
    certificate = db.session.scalars(select(Certificate)).one()
    assert certificate.status == CertificateStatus.ISSUING and certificate.number
    row = db.session.get(RegisterEntry, organisation.id)
    assert row.certificate_number is None  # published once the attestation is valid
    assert outbox() == ["dominique.durand@example.org", owner.email]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0
    assert db.session.get(RegisterEntry, organisation.id) is None
    assert outbox() == []


def test_a_suspension_passes_its_wording_and_message_to_the_attestation(make, organisation,
                                                                        version):
    moderator = make.user(role=Role.MODERATOR)
    signature = make.signature(organisation, version)
    apply(signature, Transition.APPROVE, actor=moderator)
    db.session.commit()
    transitions = Recorder()
    with signals.signature_transitioned.connected_to(transitions):
        apply(signature, Transition.SUSPEND, actor=moderator, reason="Vérification en cours",
              public_label=RevocationLabel.SUSPENDED_FOR_REVIEW)
    db.session.commit()

    assert transitions.received[0][1]["message"] == "Vérification en cours"
    assert transitions.received[0][1]["public_label"] is RevocationLabel.SUSPENDED_FOR_REVIEW
    certificate = db.session.scalar(select(Certificate))
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revocation_label is RevocationLabel.SUSPENDED_FOR_REVIEW
    assert certificate.revocation_message == "Vérification en cours"
    assert db.session.get(RegisterEntry, organisation.id) is None


def test_a_resubmission_alerts_the_moderators_and_not_the_organisation(make, organisation,
                                                                       version):
    moderator = make.user(role=Role.MODERATOR, email="moderation@example.org")
    signature = make.signature(organisation, version)
    apply(signature, Transition.REQUEST_CHANGES, actor=moderator, reason="Fonction ?")
    db.session.commit()
    before = len(outbox())
    submitted = Recorder()
    with signals.signature_transitioned.connected_to(submitted):
        apply(signature, Transition.RESUBMIT, actor=organisation.memberships[0].user)
    db.session.commit()

    assert submitted.received[0][1]["transition"] is Transition.RESUBMIT
    assert signature.status == SignatureStatus.PENDING
    assert len(outbox()) == before + 1
    assert outbox().count("moderation@example.org") == 1
