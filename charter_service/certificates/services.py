"""Issue, revoke and supersede attestations; flush only, in the caller's transaction.

Everything an issue does (number, PDF, row, audit entry) commits or rolls back together: a
crash before the commit leaves no certificate and gives the number back.
"""

import hashlib
import json
import re
from datetime import datetime
from functools import cache

from sqlalchemy import Row, and_, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from .. import signals
from ..audit import services as audit
from ..dates import french_date, local_date
from ..db_types import utcnow
from ..extensions import db
from ..links import external_url
from ..organisations.models import Membership, Organisation
from ..signatures.models import Signature
from ..signatures.revocation import RevocationLabel
from . import render, signing
from .data import printed_facts_differ, rendering_data
from .models import Certificate, CertificateCounter, CertificateStatus

NUMBER_RE = re.compile(r"CFA-(\d{4})-(\d{6})")


def verify_url(number: str) -> str:
    return external_url("certificates.status", number=number)


def by_number(number: str) -> Certificate | None:
    number = (number or "").strip().upper()
    if not NUMBER_RE.fullmatch(number):
        return None
    return db.session.scalar(select(Certificate).where(Certificate.number == number))


@cache
def _download_queries():
    """Built once: composing a statement costs more than running it on this hot path."""
    stored = select(Certificate.number, Certificate.sha256, Certificate.pdf).where(
        Certificate.number == bindparam("number"))
    of_member = stored.join(Signature).join(Membership, and_(
        Membership.organisation_id == Signature.organisation_id,
        Membership.user_id == bindparam("user_id"))).where(
        Signature.organisation_id == bindparam("organisation_id"))
    return stored, of_member


def stored_pdf(number: str, *, member_of: int | None = None, user=None) -> Row | None:
    """(number, sha256, pdf) in one query, for the download routes; with `member_of`, only
    if the attestation is that organisation's and `user` is one of its members."""
    stored, of_member = _download_queries()
    if member_of is None:
        query, params = stored, {"number": number}
    else:
        query, params = of_member, {"number": number, "organisation_id": member_of,
                                    "user_id": user.id}
    # Core on the session's connection: no ORM objects on the hot path.
    return db.session.connection().execute(query, params).first()


def valid_certificate(signature: Signature) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(
        Certificate.signature_id == signature.id, Certificate.status == CertificateStatus.VALID))


def certificates_of(owner: Organisation | Signature) -> list[Certificate]:
    """Every attestation of an organisation or of one signature, newest first."""
    query = select(Certificate).order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    if isinstance(owner, Signature):
        return list(db.session.scalars(query.where(Certificate.signature_id == owner.id)))
    return list(db.session.scalars(
        query.join(Signature).where(Signature.organisation_id == owner.id)))


def _next_serial(year: int) -> int:
    """Bump the year's counter in one statement; the row stays locked until the commit."""
    table = CertificateCounter.__table__
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(table).values(year=year, last_serial=1)
        .on_conflict_do_update(index_elements=[table.c.year],
                               set_={"last_serial": table.c.last_serial + 1})
        .returning(table.c.last_serial)
    )
    return db.session.execute(statement).scalar_one()


def _approved_at(signature: Signature) -> datetime:
    """The first approval: a reinstatement or a re-issue keeps the original date."""
    first = db.session.scalar(select(Certificate.rendered_from).where(
        Certificate.signature_id == signature.id).order_by(Certificate.id).limit(1))
    if first is not None:
        return datetime.fromisoformat(json.loads(first)["approved_at"])
    return signature.decided_at or utcnow()


def _render(signature: Signature, issued_at: datetime,
            approved_at: datetime | None = None) -> Certificate:
    identity = signing.current_identity()
    year = local_date(issued_at).year
    serial = _next_serial(year)
    number = f"CFA-{year}-{serial:06d}"
    data = rendering_data(signature, number=number, issued_at=issued_at,
                          approved_at=approved_at or _approved_at(signature),
                          verify_url=verify_url(number),
                          signer=identity.common_name, development=identity.development)
    pdf, data = render.render_fitted(data)
    pdf = signing.sign(pdf, identity, number=number, box=render.SIGNATURE_BOX,
                       tsa=signing.timestamper())
    return Certificate(
        number=number, signature=signature, year=year, serial=serial,
        status=CertificateStatus.VALID, issued_at=issued_at, pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        rendered_from=json.dumps(data, ensure_ascii=False, sort_keys=True),
        signed_with_dev_key=identity.development)


def _record_issue(certificate: Certificate, actor, *, replaces: Certificate | None = None):
    after = {"number": certificate.number, "status": certificate.status.value,
             "sha256": certificate.sha256, "signature_id": certificate.signature_id}
    if replaces is not None:
        after["replaces"] = replaces.number
    audit.record("certificate.issue", "certificate", certificate.id, actor=actor, before={},
                 after=after)


def issue(signature: Signature, *, actor, issued_at: datetime | None = None,
          approved_at: datetime | None = None) -> Certificate:
    certificate = _render(signature, issued_at or utcnow(), approved_at)
    db.session.add(certificate)
    db.session.flush()
    _record_issue(certificate, actor)
    signals.certificate_changed.send(certificate, actor=actor)
    return certificate


def revoke(certificate: Certificate, *, actor, label: RevocationLabel, message: str = "",
           revoked_at: datetime | None = None) -> None:
    """Publish `label` only; `message` is for the organisation and the audit log."""
    if certificate.status != CertificateStatus.VALID:
        return
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = revoked_at or utcnow()
    certificate.revocation_label = label
    certificate.revocation_message = message
    db.session.flush()
    audit.record("certificate.revoke", "certificate", certificate.id, actor=actor,
                 before={"status": "valid"}, after={"status": "revoked"}, reason=label.value,
                 personal={"reason": message} if message else None)
    signals.certificate_changed.send(certificate, actor=actor)


def public_revocation(certificate: Certificate) -> str | None:
    """The sentence published about a revoked attestation: never the private message."""
    if certificate.status != CertificateStatus.REVOKED or certificate.revocation_label is None:
        return None
    return certificate.revocation_label.wording(french_date(certificate.revoked_at))


def supersede(old: Certificate, *, actor) -> Certificate:
    """Issue a fresh attestation for the same signature and point the old one to it."""
    new = _render(old.signature, utcnow())
    # The old one stops being valid first: one valid attestation per signature, always.
    old.status = CertificateStatus.SUPERSEDED
    db.session.flush()
    db.session.add(new)
    db.session.flush()
    old.superseded_by = new
    db.session.flush()
    audit.record("certificate.supersede", "certificate", old.id, actor=actor,
                 before={"status": "valid"},
                 after={"status": "superseded", "superseded_by": new.number})
    _record_issue(new, actor, replaces=old)
    signals.certificate_changed.send(new, actor=actor)
    return new


def on_transition(signature: Signature, transition: str, *, actor, message: str = "",
                  label: RevocationLabel | None = None) -> None:
    """Issue or revoke the attestation after a transition, in its transaction (see
    subscribers.py)."""
    if transition in ("approve", "reinstate"):
        issue(signature, actor=actor)
        return
    labels = RevocationLabel.for_transition(transition)
    if not labels:
        return
    if label is not None and label not in labels:
        raise ValueError(f"{label!r} does not describe a {transition}")
    current = valid_certificate(signature)
    if current is not None:
        revoke(current, actor=actor, label=label or labels[0], message=message)


def reissue_for_identity_change(organisation: Organisation, *, actor) -> list[Certificate]:
    """After an edit of the organisation (flushed or not, same transaction): every valid
    attestation whose printed facts (name, kind, identifier, commune, département) no longer
    match is superseded by a new one. Nothing happens when they still match."""
    db.session.flush()
    stale = [
        certificate for certificate in db.session.scalars(
            select(Certificate).join(Signature).where(
                Signature.organisation_id == organisation.id,
                Certificate.status == CertificateStatus.VALID).order_by(Certificate.id))
        if printed_facts_differ(json.loads(certificate.rendered_from), organisation)
    ]
    return [supersede(certificate, actor=actor) for certificate in stale]


PUBLIC_ORGANISATION_FACTS = ("name", "slug", "kind", "kind_code", "identifier_label",
                             "identifier", "commune", "departement_code", "departement_name")


def public_facts(certificate: Certificate) -> dict:
    """What the attestation prints, less the signatory: the register does not publish people."""
    data = json.loads(certificate.rendered_from)
    return {
        "organisation": {key: data["organisation"][key] for key in PUBLIC_ORGANISATION_FACTS},
        "charter": data["charter"],
        "approved_at": datetime.fromisoformat(data["approved_at"]),
        "approved_on": data["approved_on"],
        "issued_on": data["issued_on"],
    }
