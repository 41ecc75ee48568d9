"""Issue, revoke and supersede attestations; flush only, in the caller's transaction.

An issue reserves the number and the row « en cours » in the caller's transaction (a crash
before its commit leaves no certificate and gives the number back); the PDF is rendered and
signed after the commit, outside any lock, and stored by `complete` (issuing.py).
"""

import hashlib
import json
import re
from datetime import datetime
from functools import cache

from sqlalchemy import Row, and_, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .. import jobs, signals
from ..audit import services as audit
from ..dates import french_date, local_date
from ..db_types import utcnow
from ..extensions import db
from ..links import external_url
from ..organisations.models import Membership, Organisation
from ..signatures.models import Signature
from ..signatures.revocation import RevocationLabel
from . import numbers, render, signing
from .data import printed_facts_differ, rendering_data
from .models import Certificate, CertificateCounter, CertificateStatus

NUMBER_RE = re.compile(r"CFA-(\d{4})-(\d{6})")


def verify_url(number: str) -> str:
    return external_url("certificates.status", number=number)


def canonical_number(text: str | None) -> str | None:
    """The number « CFA-2026-000013 » however loosely it was typed; None if it is not one."""
    return numbers.canonical("CFA", text)


def by_number(number: str) -> Certificate | None:
    number = canonical_number(number)
    if number is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.number == number))


@cache
def _download_queries():
    """Built once: composing a statement costs more than running it on this hot path."""
    stored = select(Certificate.number, Certificate.sha256, Certificate.pdf).where(
        Certificate.number == bindparam("number"), Certificate.pdf.is_not(None))
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


def _reserve(signature: Signature, issued_at: datetime,
             approved_at: datetime | None = None) -> Certificate:
    """The row « en cours »: its number from the counter and the data it will be rendered from.

    The identity is loaded here so that an unusable signing key fails the approval itself."""
    identity = signing.current_identity()
    year = local_date(issued_at).year
    serial = _next_serial(year)
    number = f"CFA-{year}-{serial:06d}"
    data = rendering_data(signature, number=number, issued_at=issued_at,
                          approved_at=approved_at or _approved_at(signature),
                          verify_url=verify_url(number),
                          signer=identity.common_name, development=identity.development)
    return Certificate(
        number=number, signature=signature, year=year, serial=serial,
        status=CertificateStatus.ISSUING, issued_at=issued_at, pdf=None, sha256=None,
        rendered_from=_dumps(data), signed_with_dev_key=identity.development)


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def rendered(number: str, data: dict) -> tuple[bytes, dict, bool]:
    """(signed PDF, data as rendered, signed with a development key): the slow part, which
    holds no lock; the TSA, if any, is asked here."""
    identity = signing.current_identity()
    data = {**data, "signer": identity.common_name, "development": identity.development}
    pdf, data = render.render_fitted(data)
    pdf = signing.sign(pdf, identity, number=number, box=render.SIGNATURE_BOX,
                       tsa=signing.timestamper())
    return pdf, data, identity.development


def _record_issue(certificate: Certificate, actor, *, replaces: Certificate | None = None):
    after = {"number": certificate.number, "status": certificate.status.value,
             "sha256": certificate.sha256, "signature_id": certificate.signature_id}
    if replaces is not None:
        after["replaces"] = replaces.number
    audit.record("certificate.issue", "certificate", certificate.id, actor=actor,
                 before={"status": "issuing"}, after=after)


def issue(signature: Signature, *, actor, issued_at: datetime | None = None,
          approved_at: datetime | None = None, at_once: bool = False) -> Certificate:
    """Reserve the attestation « en cours »; a job renders it once the transaction commits
    (issuing.py). `at_once` renders it here, in the caller's transaction (the demo loader)."""
    certificate = _reserve(signature, issued_at or utcnow(), approved_at)
    _record_reserve(certificate, actor)
    if at_once:
        complete(certificate, *rendered(certificate.number, json.loads(certificate.rendered_from)),
                 actor=actor)
    else:
        jobs.after_commit(RENDER_JOB, certificate.id, _id_of(actor))
    return certificate


RENDER_JOB = "charter_service.certificates.issuing:render_pending"


def _id_of(actor) -> int | None:
    """The job gets the id of who asked for the attestation, and names them when it stores it."""
    return actor.id if actor is not None else None


def _record_reserve(certificate: Certificate, actor, *,
                    replaces: Certificate | None = None) -> None:
    db.session.add(certificate)
    db.session.flush()
    after = {"number": certificate.number, "status": "issuing",
             "signature_id": certificate.signature_id}
    if replaces is not None:
        after["replaces"] = replaces.number
    # No certificate_changed yet: nothing public changes until the PDF is stored (`complete`).
    audit.record("certificate.reserve", "certificate", certificate.id, actor=actor, before={},
                 after=after)


def complete(certificate: Certificate, pdf: bytes, data: dict, development: bool, *,
             actor) -> None:
    """Store the PDF of a row « en cours » (claimed by the caller) and make it the valid
    attestation; the one it replaces, if any, is superseded in the same transaction. `actor`
    asked for it (the moderator who approved, the member who changed the printed facts)."""
    # Locked in the order a suspension locks them (this one, then the valid one).
    old = db.session.scalar(select(Certificate).where(
        Certificate.signature_id == certificate.signature_id,
        Certificate.status == CertificateStatus.VALID).with_for_update())
    if old is not None:
        # The old one stops being valid first: one valid attestation per signature, always.
        old.status = CertificateStatus.SUPERSEDED
        old.superseded_by = certificate
        db.session.flush()
        audit.record("certificate.supersede", "certificate", old.id, actor=actor,
                     before={"status": "valid"},
                     after={"status": "superseded", "superseded_by": certificate.number})
    certificate.pdf, certificate.sha256 = pdf, hashlib.sha256(pdf).hexdigest()
    certificate.rendered_from = _dumps(data)
    certificate.signed_with_dev_key = development
    certificate.status = CertificateStatus.VALID
    certificate.render_claimed_until = None
    db.session.flush()
    _record_issue(certificate, actor, replaces=old)
    signals.certificate_changed.send(certificate, actor=actor)


def revoke(certificate: Certificate, *, actor, label: RevocationLabel, message: str = "",
           revoked_at: datetime | None = None) -> None:
    """Publish `label` only; `message` is for the organisation and the audit log. Revoked
    « en cours », the attestation is never rendered (its job finds no row « en cours »)."""
    db.session.refresh(certificate, with_for_update=True)  # its job may have just stored it
    before = certificate.status
    if before not in (CertificateStatus.VALID, CertificateStatus.ISSUING):
        return
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = revoked_at or utcnow()
    certificate.revocation_label = label
    certificate.revocation_message = message
    db.session.flush()
    audit.record("certificate.revoke", "certificate", certificate.id, actor=actor,
                 before={"status": before.value}, after={"status": "revoked"}, reason=label.value,
                 personal={"reason": message} if message else None)
    signals.certificate_changed.send(certificate, actor=actor)


def public_revocation(certificate: Certificate) -> str | None:
    """The sentence published about a revoked attestation: never the private message."""
    if certificate.status != CertificateStatus.REVOKED or certificate.revocation_label is None:
        return None
    return certificate.revocation_label.wording(french_date(certificate.revoked_at))


def supersede(old: Certificate, *, actor) -> Certificate:
    """Reserve a fresh attestation for the same signature; the old one stays valid until the
    new one is stored (`complete`), which supersedes it."""
    new = _reserve(old.signature, utcnow())
    _record_reserve(new, actor, replaces=old)
    jobs.after_commit(RENDER_JOB, new.id, _id_of(actor))
    return new


def _refresh_pending(pending: Certificate, *, actor) -> Certificate:
    """New facts for an attestation still « en cours »: same number, rendered from them (a job
    already rendering the old facts finds its row changed and stores nothing; its hold on the
    row ends, so the new job renders at once)."""
    data = json.loads(pending.rendered_from)
    fresh = rendering_data(pending.signature, number=pending.number, issued_at=pending.issued_at,
                           approved_at=datetime.fromisoformat(data["approved_at"]),
                           verify_url=data["verify_url"], signer=data["signer"],
                           development=data["development"])
    table = Certificate.__table__
    changed = db.session.execute(update(table).where(
        table.c.id == pending.id, table.c.status == CertificateStatus.ISSUING)
        .values(rendered_from=_dumps(fresh), render_claimed_until=None)).rowcount
    db.session.refresh(pending)
    if not changed:  # its job stored it meanwhile: now it is the valid one to replace
        return supersede(pending, actor=actor)
    jobs.after_commit(RENDER_JOB, pending.id, _id_of(actor))
    return pending


def forget_signatory(signature: Signature, *, preparer: bool = False) -> None:
    """An erased account's name (the signatory's, or with `preparer` the one who prepared the
    signature) leaves what the signature's attestations were rendered from. The PDFs already
    issued are signed and stay as they are, valid; one « en cours » is rendered again."""
    for certificate in db.session.scalars(select(Certificate).where(
            Certificate.signature_id == signature.id).order_by(Certificate.id)):
        if certificate.status == CertificateStatus.ISSUING:
            _refresh_pending(certificate, actor=None)
            continue
        _blank_signatory(certificate, "prepared_by" if preparer else "name")


def _blank_signatory(certificate: Certificate, key: str) -> None:
    data = json.loads(certificate.rendered_from)
    data["signatory"][key] = ""
    certificate.rendered_from = _dumps(data)


def pending_certificate(signature: Signature) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(
        Certificate.signature_id == signature.id, Certificate.status == CertificateStatus.ISSUING))


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
    # The one « en cours » first: the order in which its job locks them (complete).
    for find in (pending_certificate, valid_certificate):
        current = find(signature)
        if current is not None:
            revoke(current, actor=actor, label=label or labels[0], message=message)


def reissue_for_identity_change(organisation: Organisation, *, actor) -> list[Certificate]:
    """After an edit of the organisation (flushed or not, same transaction): every valid
    attestation whose printed facts (name, kind, identifier, commune, département) no longer
    match is superseded by a new one (one still « en cours » takes the new facts). Nothing
    happens when they still match."""
    db.session.flush()
    current: dict[int, Certificate] = {}  # per signature: the one « en cours », else the valid
    for certificate in db.session.scalars(
            select(Certificate).join(Signature).where(
                Signature.organisation_id == organisation.id,
                Certificate.status.in_((CertificateStatus.VALID, CertificateStatus.ISSUING)))
            .order_by(Certificate.id)):
        if certificate.status == CertificateStatus.ISSUING or \
                certificate.signature_id not in current:
            current[certificate.signature_id] = certificate
    return [_refresh_pending(certificate, actor=actor)
            if certificate.status == CertificateStatus.ISSUING
            else supersede(certificate, actor=actor)
            for certificate in current.values()
            if printed_facts_differ(json.loads(certificate.rendered_from), organisation)]


def reissue_for_new_signatory(signature: Signature, *, actor) -> Certificate | None:
    """After a hand-over (same transaction): the attestation is issued again naming the new
    signatory, through the render job; the one still « en cours », if any, takes the new
    facts instead. The first approval date is kept."""
    db.session.flush()
    pending, valid = pending_certificate(signature), valid_certificate(signature)
    # The former representative's name leaves what the earlier ones were rendered from (their
    # signed PDFs stay as issued); the audit log keeps it, erasable.
    for certificate in certificates_of(signature):
        if certificate.status != CertificateStatus.ISSUING:
            _blank_signatory(certificate, "name")
    if pending is not None:
        return _refresh_pending(pending, actor=actor)
    return supersede(valid, actor=actor) if valid is not None else None


PUBLIC_ORGANISATION_FACTS = ("name", "slug", "kind", "kind_code", "identifier_label",
                             "identifier", "commune", "departement_code", "departement_name")


def public_facts(certificate: Certificate) -> dict:
    """What the attestation prints, less the signatory's name: the register does not publish
    people, only the function in which someone signed."""
    data = json.loads(certificate.rendered_from)
    return {
        "organisation": {key: data["organisation"][key] for key in PUBLIC_ORGANISATION_FACTS},
        "signatory_function": data.get("signatory", {}).get("function", ""),
        "charter": data["charter"],
        "approved_at": datetime.fromisoformat(data["approved_at"]),
        "approved_on": data["approved_on"],
        "issued_on": data["issued_on"],
    }
