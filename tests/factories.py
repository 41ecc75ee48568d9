"""Plain factories for tests: each builds a valid object, commits it and returns it."""

import itertools
from contextlib import contextmanager
from datetime import datetime

from argon2 import PasswordHasher

from charter_service import db_types
from charter_service.accounts.models import ModerationAlerts, Role, User
from charter_service.accounts.sessions import open_session
from charter_service.charters.models import (
    Charter,
    CharterVersion,
    Principle,
    Section,
    VersionStatus,
)
from charter_service.db_types import utcnow
from charter_service.extensions import db
from charter_service.organisations.models import (
    MemberRole,
    Membership,
    Organisation,
    OrganisationKind,
)
from charter_service.signatures import workflow
from charter_service.signatures.models import Identification, Signature, SignatureStatus
from charter_service.signatures.revocation import RevocationLabel

PASSWORD = "correct horse battery staple"
_HASH = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
_counter = itertools.count(1)

# Valid SIRENs (Luhn) for test organisations.
SIRENS = ["732829320", "552100554", "542065479", "443061841", "356000000",
          "130005481", "217500016", "200046977", "784608416"]


class Factories:
    password = PASSWORD

    def user(self, email=None, *, role=Role.USER, confirmed=True, full_name="Camille Martin",
             locale="fr") -> User:
        n = next(_counter)
        user = User(email=email or f"user{n}@example.org", full_name=full_name,
                    password_hash=_HASH, role=role, locale=locale,
                    confirmed_at=utcnow() if confirmed else None)
        db.session.add(user)
        db.session.commit()
        return user

    def login_session(self, user) -> str:
        """A server-side session for `user`, as log-in opens one; returns its Flask-Login id."""
        session_id = open_session(user)
        db.session.commit()
        return session_id

    def organisation(self, *, owner=None, members=(), name=None, siren=None, rna=None,
                     kind=OrganisationKind.ASSOCIATION, departement_code="69",
                     region_code="84", commune="Lyon") -> Organisation:
        n = next(_counter)
        organisation = Organisation(
            name=name or f"Organisation {n}", slug=f"organisation-{n}", kind=kind,
            siren=siren, rna=rna, address="1 place de la Mairie", postcode="69001",
            commune=commune, departement_code=departement_code, region_code=region_code,
            website="https://example.org", description="")
        db.session.add(organisation)
        if owner is not None:
            db.session.add(Membership(user=owner, organisation=organisation, role=MemberRole.OWNER))
        for member in members:
            db.session.add(Membership(user=member, organisation=organisation,
                                      role=MemberRole.MEMBER))
        db.session.commit()
        return organisation

    def version(self, *, number=None, status=VersionStatus.PUBLISHED,
                principles=3) -> CharterVersion:
        charter = db.session.query(Charter).filter_by(slug="faire-alliance").one_or_none()
        if charter is None:
            charter = Charter(slug="faire-alliance", title="Charte du faire alliance")
            db.session.add(charter)
            db.session.flush()
        if number is None:
            number = len(charter.versions) + 1
        version = CharterVersion(
            charter=charter, number=number, status=status, title=f"Version {number}",
            preamble="Préambule de test.", is_demonstration=True,
            published_at=utcnow() if status != VersionStatus.DRAFT else None)
        sections = list(Section)
        for i in range(principles):
            version.principles.append(Principle(
                code=f"P{i + 1}", section=sections[i % 3], title=f"Principe {i + 1}",
                text=f"Texte du principe {i + 1}.", position=i + 1))
        db.session.add(version)
        db.session.commit()
        return version

    def moderator(self) -> User:
        """The moderator who takes the decisions a factory makes: one per test, made on first
        use, who asked for no alerts (the tests' own moderators receive theirs alone)."""
        if getattr(self, "_moderator", None) is None:
            self._moderator = self.user(role=Role.MODERATOR, full_name="Modératrice des tests")
            self._moderator.moderation_alerts = ModerationAlerts.NONE
            db.session.commit()
        return self._moderator

    def signature(self, organisation, version, *, status=SignatureStatus.PENDING,
                  submitted_by=None, decided_by=None, decided_at=None, reason="") -> Signature:
        """A pending signature, then taken to `status` through the workflow (its rules, audit
        entries, attestation, e-mails and register row), by `decided_by` or the tests'
        moderator, at `decided_at` (the clock stands still there during the decisions), with
        `reason` as the decisions' private message."""
        signature = Signature(
            organisation=organisation, charter_version=version,
            signatory_name="Dominique Durand", signatory_function="Présidente",
            signatory_email="dominique.durand@example.org", authority_attested=True,
            principles_accepted=True, version_sha256=version.sha256(),
            submitted_by=submitted_by)
        if status in _BEFORE_MODERATION:
            return self._unconfirmed(signature, status)
        db.session.add(signature)
        db.session.flush()
        return self.reach(signature, status, by=decided_by, at=decided_at, reason=reason)

    def _unconfirmed(self, signature, status) -> Signature:
        """Prepared for a representative, who has not signed (yet, or will not)."""
        signature.status, signature.identification = status, Identification.EMAIL
        signature.authority_attested = signature.principles_accepted = False
        if status == SignatureStatus.AWAITING_REPRESENTATIVE:
            signature.link_nonce, signature.link_sent_at = "nonce-des-tests", utcnow()
        else:
            signature.decided_at = utcnow()
        db.session.add(signature)
        db.session.commit()
        return signature

    def reach(self, signature, status, *, by=None, at=None, reason="") -> Signature:
        """Take a pending `signature` to `status` through the workflow, then commit."""
        return self.decide(signature, *_PATHS[status], by=by, at=at, reason=reason)

    def decide(self, signature, *transitions, by=None, at=None, reason="") -> Signature:
        """Take `signature` along `transitions` through the workflow, then commit."""
        with frozen_clock(at):
            for transition in transitions:
                workflow.apply(signature, transition, actor=by or self.moderator(),
                               reason=reason, reason_code=_REASON_CODES.get(transition, ""))
        db.session.commit()
        return signature


T = workflow.Transition
# How a new (pending) signature reaches each state, as moderators and organisations take it.
_PATHS = {
    SignatureStatus.PENDING: (),
    SignatureStatus.APPROVED: (T.APPROVE,),
    SignatureStatus.REJECTED: (T.REJECT,),
    SignatureStatus.CHANGES_REQUESTED: (T.REQUEST_CHANGES,),
    SignatureStatus.SUSPENDED: (T.APPROVE, T.SUSPEND),
    SignatureStatus.WITHDRAWN: (T.WITHDRAW,),
}
_BEFORE_MODERATION = (SignatureStatus.AWAITING_REPRESENTATIVE, SignatureStatus.DECLINED)
# The transitions that need a reason get a code, as the decision forms give; the private
# message stays empty.
_REASON_CODES = {T.REJECT: "autre", T.REQUEST_CHANGES: "tests",
                 T.SUSPEND: RevocationLabel.SUSPENDED.value}


@contextmanager
def frozen_clock(moment: datetime | None):
    """The application's clock (`db_types.utcnow`, column defaults included) reads `moment`
    inside the block: decisions, audit entries and attestations dated alike in the past."""
    if moment is None:
        yield
        return

    class _Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)

    saved, db_types.datetime = db_types.datetime, _Frozen
    try:
        yield
    finally:
        db_types.datetime = saved
