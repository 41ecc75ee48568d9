"""An attestation « en cours » is rendered once, however many runs of `flask certificates
finish` (and jobs) reach it at the same moment, and it is stored in the name of whoever asked
for it (the moderator who approved, the member whose edit changed the printed facts)."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from charter_service import signals
from charter_service.audit import services as audit
from charter_service.audit.models import AuditEntry
from charter_service.certificates import issuing, render, services
from charter_service.certificates.models import Certificate, CertificateStatus
from charter_service.db_types import utcnow
from charter_service.extensions import db
from charter_service.signatures.workflow import Transition, apply


@pytest.fixture
def renderer(monkeypatch):
    """The real renderer, counting its calls; broken until `.repair()`; with `.hold()`, the
    first render waits for `.release` (a slow TSA) while the test starts another run."""
    working = render.render_fitted

    class Renderer:
        calls, broken, held = 0, True, False
        started, release = threading.Event(), threading.Event()

        def __call__(self, data):
            self.calls += 1
            if self.broken:
                raise RuntimeError("rendering failed")
            if self.held and self.calls == 1:
                self.started.set()
                assert self.release.wait(30), "never released"
            return working(data)

        def repair(self) -> None:
            self.broken, self.calls = False, 0

    fake = Renderer()
    monkeypatch.setattr(render, "render_fitted", fake)
    yield fake
    fake.release.set()


@pytest.fixture
def pending(make, moderator, version, organisation, renderer):
    """An approval whose job failed: its attestation waits « en cours » for `finish`."""
    signature = make.signature(organisation, version)
    apply(signature, Transition.APPROVE, actor=moderator)
    db.session.commit()
    renderer.repair()
    certificate_id = db.session.scalars(select(Certificate.id)).one()
    db.session.rollback()
    return certificate_id


def _issues() -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "certificate.issue").order_by(AuditEntry.seq)))


def _finish_in_thread(app, results: list) -> threading.Thread:
    def run() -> None:
        with app.app_context():
            results.append(issuing.finish(older_than=timedelta(0)))
            db.session.remove()
    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_finish_runs_at_once_render_the_attestation_once(app, pending, renderer):
    renderer.held = True
    results: list = []
    first = _finish_in_thread(app, results)
    assert renderer.started.wait(30), "the first run never rendered"
    second = _finish_in_thread(app, results)  # starts while the first one renders
    second.join(60)
    renderer.release.set()
    first.join(60)
    assert sorted(results) == [(0, 0), (1, 0)]
    assert renderer.calls == 1
    assert len(_issues()) == 1 and audit.verify().ok
    assert db.session.get(Certificate, pending).status == CertificateStatus.VALID


def test_a_row_held_by_a_run_that_died_is_rendered_once_its_lease_is_over(pending, renderer):
    table = Certificate.__table__

    def held_until(moment) -> None:
        db.session.execute(update(table).values(render_claimed_until=moment))
        db.session.commit()

    held_until(utcnow() + timedelta(minutes=1))  # a worker killed mid-render
    assert issuing.finish(older_than=timedelta(0)) == (0, 0) and renderer.calls == 0
    held_until(utcnow() - timedelta(seconds=1))
    assert issuing.finish(older_than=timedelta(0)) == (1, 0) and renderer.calls == 1
    stored = db.session.get(Certificate, pending)
    assert stored.status == CertificateStatus.VALID and stored.render_claimed_until is None


def test_a_failed_render_gives_the_row_back_at_once(pending, renderer):
    renderer.broken = True
    assert issuing.finish(older_than=timedelta(0)) == (0, 1)
    assert db.session.get(Certificate, pending).render_claimed_until is None
    renderer.repair()
    assert issuing.finish(older_than=timedelta(0)) == (1, 0)


@pytest.fixture
def changes():
    """(certificate number, actor) of every certificate_changed signal."""
    seen: list = []

    def receive(certificate, actor=None, **_):
        seen.append((certificate.number, actor.email if actor is not None else None))
    signals.certificate_changed.connect(receive)
    yield seen
    signals.certificate_changed.disconnect(receive)


def _actors(action: str) -> list[int | None]:
    return [entry.actor_id for entry in db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq))]


def test_the_job_stores_the_attestation_in_the_approving_moderators_name(
        changes, certificate, moderator):
    assert _actors("certificate.issue") == [moderator.id]
    assert changes == [(certificate.number, moderator.email)]


def test_finish_stores_it_in_the_name_of_who_asked_for_it(pending, moderator, changes):
    assert issuing.finish(older_than=timedelta(0)) == (1, 0)
    assert _actors("certificate.issue") == [moderator.id]
    assert changes == [(db.session.get(Certificate, pending).number, moderator.email)]


def test_a_reissue_names_the_member_whose_edit_asked_for_it(certificate, organisation, owner,
                                                             moderator, changes):
    organisation.name = "Ateliers réunis du Rhône"
    [new] = services.reissue_for_identity_change(organisation, actor=owner)
    db.session.commit()
    assert _actors("certificate.issue") == [moderator.id, owner.id]
    assert _actors("certificate.supersede") == [owner.id]
    assert changes[-1] == (new.number, owner.email)
