"""Numbers: allocated in the issuing transaction, never twice, never lost to a crash."""

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from charter_service.certificates import services
from charter_service.certificates.models import Certificate, CertificateCounter
from charter_service.certificates.signing import SigningConfigError
from charter_service.extensions import db
from charter_service.signatures.models import Signature, SignatureStatus
from charter_service.signatures.workflow import Transition, apply


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_crash_before_the_commit_leaves_nothing_and_gives_the_number_back(
        make, moderator, version, organisation):
    signature = make.signature(organisation, version)
    apply(signature, Transition.APPROVE, actor=moderator)
    rendered = db.session.scalars(select(Certificate)).one()
    assert rendered.serial == 1
    db.session.rollback()  # the process dies between rendering and commit

    assert _count(Certificate) == 0 and _count(CertificateCounter) == 0
    signature = db.session.get(Signature, signature.id)
    assert signature.status == SignatureStatus.PENDING
    apply(signature, Transition.APPROVE, actor=moderator)
    db.session.commit()
    assert db.session.scalars(select(Certificate.serial)).all() == [1]


def test_a_signing_failure_aborts_the_approval(app, make, moderator, version, organisation,
                                               tmp_path):
    (tmp_path / "key.pem").write_text("not a key")
    app.config.update(SIGNING_KEY=str(tmp_path / "key.pem"), SIGNING_CERT=str(tmp_path / "c"))
    signature = make.signature(organisation, version)
    with pytest.raises(SigningConfigError):
        apply(signature, Transition.APPROVE, actor=moderator)
    db.session.rollback()
    assert db.session.get(Signature, signature.id).status == SignatureStatus.PENDING
    assert _count(Certificate) == 0 and _count(CertificateCounter) == 0


def test_concurrent_issues_get_distinct_consecutive_numbers(app, make, moderator, version):
    threads_count = 4
    signature_ids = [make.signature(make.organisation(owner=make.user()), version).id
                     for _ in range(threads_count * 2)]
    start, errors, retries = threading.Barrier(threads_count), [], [0]

    def worker(ids: list[int]) -> None:
        with app.app_context():
            try:
                start.wait()
                for signature_id in ids:
                    while True:
                        try:
                            services.issue(db.session.get(Signature, signature_id),
                                           actor=None)
                            db.session.commit()
                            break
                        except (IntegrityError, OperationalError):
                            # SQLite: "database is locked"; the whole issue is retried.
                            db.session.rollback()
                            retries[0] += 1
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(signature_ids[n::threads_count],))
               for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    serials = sorted(db.session.scalars(select(Certificate.serial)))
    assert serials == list(range(1, len(signature_ids) + 1))
    assert db.session.scalar(select(CertificateCounter.last_serial)) == len(signature_ids)
    if db.engine.dialect.name == "postgresql":
        assert retries[0] == 0
