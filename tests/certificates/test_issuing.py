"""Attestations are rendered after the approval's commit, outside its locks: the row waits
« en cours », a job stores the PDF, `flask certificates finish` picks up what a job left."""

import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from charter_service.accounts.models import User
from charter_service.audit import services as audit
from charter_service.audit.models import AuditEntry
from charter_service.certificates import issuing, render, services
from charter_service.certificates.models import Certificate, CertificateStatus
from charter_service.db_types import utcnow
from charter_service.extensions import db
from charter_service.signatures.models import Signature
from charter_service.signatures.workflow import Transition, apply

from .conftest import only_valid

ISSUING = CertificateStatus.ISSUING


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


def _certificates() -> list[tuple[str, CertificateStatus]]:
    db.session.expire_all()
    return [(c.number, c.status) for c in
            db.session.scalars(select(Certificate).order_by(Certificate.id))]


@pytest.fixture
def broken_renderer(monkeypatch):
    """WeasyPrint fails (or the worker dies) until `.repair()`."""
    working = render.render_fitted

    def fail(data):
        raise RuntimeError("rendering failed")

    monkeypatch.setattr(render, "render_fitted", fail)

    class Switch:
        @staticmethod
        def repair() -> None:
            monkeypatch.setattr(render, "render_fitted", working)
    return Switch


@pytest.fixture
def slow_renderer(monkeypatch):
    """The renderer signals `started`, then waits for `release` (a TSA taking its time)."""
    working = render.render_fitted
    started, release = threading.Event(), threading.Event()

    def slow(data):
        started.set()
        assert release.wait(30), "never released"
        return working(data)

    monkeypatch.setattr(render, "render_fitted", slow)
    yield started, release
    release.set()


@pytest.fixture
def approval_rendering(app, make, moderator, version, organisation, slow_renderer):
    """A moderator's request approves a new signature and commits (the sync backend then runs
    its job in that thread); returns once the job is rendering, with the signature's id and a
    function that lets the render end and waits for the request."""
    started, release = slow_renderer
    signature_id, moderator_id = make.signature(organisation, version).id, moderator.id
    db.session.commit()
    errors: list = []

    def run() -> None:
        with app.app_context():
            try:
                apply(db.session.get(Signature, signature_id), Transition.APPROVE,
                      actor=db.session.get(User, moderator_id))
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported by the test
                errors.append(error)
    request = threading.Thread(target=run)
    request.start()
    assert started.wait(30)
    db.session.rollback()

    def finish() -> None:
        release.set()
        request.join(30)
        assert errors == []
    return signature_id, finish


def _audited_write_within(app, seconds: float) -> bool:
    """An audited write on a connection of its own (another node, say); True if it committed
    within `seconds`."""
    done = threading.Event()

    def run() -> None:
        with app.app_context():
            audit.record("test.write", "test", 1, actor=None, before={}, after={})
            db.session.commit()
            done.set()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return done.wait(seconds)


def test_an_audited_write_completes_while_the_approvals_pdf_renders(app, approval_rendering):
    signature_id, finish = approval_rendering
    # The approval has committed: its attestation waits « en cours », numbered.
    assert _certificates() == [(f"CFA-{utcnow().year}-000001", ISSUING)]
    db.session.rollback()
    assert _audited_write_within(app, 5), "the audit chain was locked during the render"
    finish()
    assert only_valid(db.session.get(Signature, signature_id)).pdf
    assert _actions() == ["signature.approve", "certificate.reserve", "test.write",
                          "certificate.issue"]
    assert audit.verify().ok


def test_a_rolled_back_approval_renders_nothing_and_gives_the_number_back(
        make, moderator, version, organisation, monkeypatch):
    calls = []
    monkeypatch.setattr(render, "render_fitted", lambda data: calls.append(data))
    signature = make.signature(organisation, version)
    apply(signature, Transition.APPROVE, actor=moderator)
    db.session.rollback()
    db.session.commit()
    assert calls == [] and _certificates() == []


def test_a_failed_render_stays_in_progress_until_finish_issues_it(
        app, client, login, make, moderator, version, organisation, owner, broken_renderer,
        caplog):
    signature = make.signature(organisation, version)
    apply(signature, Transition.APPROVE, actor=moderator)
    db.session.commit()
    assert "rendering failed" in caplog.text
    [(number, status)] = _certificates()
    assert status == ISSUING and db.session.scalars(select(Certificate.pdf)).one() is None

    _shows_in_progress(client, login, owner, moderator, organisation, signature, number)
    broken_renderer.repair()
    # A fresh one is left to its job; one reserved long enough ago is taken over.
    assert issuing.finish(older_than=timedelta(minutes=2)) == (0, 0)
    result = app.test_cli_runner().invoke(args=["certificates", "finish", "--older-than", "0"])
    assert result.exit_code == 0, result.output
    assert "Attestations émises : 1 ; en échec : 0." in result.output
    assert _certificates() == [(number, CertificateStatus.VALID)]
    assert _actions()[-1] == "certificate.issue" and audit.verify().ok
    login(owner)
    url = f"/espace/organisations/{organisation.id}/attestations/{number}.pdf"
    assert client.get(url).status_code == 200
    assert issuing.finish(older_than=timedelta(0)) == (0, 0)  # nothing left, nothing twice


def _shows_in_progress(client, login, owner, moderator, organisation, signature, number):
    """Every page that shows the attestation says « en cours » and offers no download."""
    assert "en cours de préparation" in client.get(f"/verifier/{number}").text
    api = client.get(f"/api/v1/certificates/{number}").get_json()
    assert (api["status"], api["sha256"]) == ("issuing", None)
    login(owner)
    member_page = client.get(f"/espace/organisations/{organisation.id}").text
    assert "attestation en cours de préparation" in member_page
    assert "Télécharger le PDF" not in member_page
    assert client.get(f"/espace/organisations/{organisation.id}/attestations/{number}.pdf"
                      ).status_code == 404
    login(moderator)
    moderation_page = client.get(f"/moderation/signatures/{signature.id}").text
    assert "attestation en cours de préparation" in moderation_page
    assert client.get(f"/moderation/attestations/{number}.pdf").status_code == 404
    slug = organisation.slug
    assert number not in client.get(f"/organisations/{slug}").text
    assert number not in client.get("/registre").text


def test_a_failing_finish_says_so(app, make, moderator, version, organisation,
                                  broken_renderer):
    apply(make.signature(organisation, version), Transition.APPROVE, actor=moderator)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["certificates", "finish", "--older-than", "0"])
    assert result.exit_code == 1 and "en échec : 1." in result.output
    assert _certificates()[0][1] == ISSUING


def test_a_suspension_while_in_progress_revokes_it_and_finish_leaves_it(
        make, moderator, version, organisation, broken_renderer):
    signature = make.signature(organisation, version)
    apply(signature, Transition.APPROVE, actor=moderator)
    db.session.commit()
    apply(signature, Transition.SUSPEND, actor=moderator, reason="Contrôle.")
    db.session.commit()
    broken_renderer.repair()
    assert issuing.finish(older_than=timedelta(0)) == (0, 0)
    [(number, status)] = _certificates()
    assert status == CertificateStatus.REVOKED
    assert db.session.scalars(select(Certificate.pdf)).one() is None
    revoke = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "certificate.revoke")).one()
    assert json.loads(revoke.before) == {"status": "issuing"}
    apply(signature, Transition.REINSTATE, actor=moderator)
    db.session.commit()
    assert only_valid(signature).serial == 2


def test_a_suspension_during_the_render_wins_and_the_job_stores_nothing(moderator,
                                                                        approval_rendering):
    signature_id, finish = approval_rendering
    apply(db.session.get(Signature, signature_id), Transition.SUSPEND, actor=moderator,
          reason="Contrôle.")
    db.session.commit()
    finish()
    assert [status for _, status in _certificates()] == [CertificateStatus.REVOKED]
    assert db.session.scalars(select(Certificate.pdf)).one() is None
    assert "certificate.issue" not in _actions() and audit.verify().ok


def test_a_superseded_attestation_stays_valid_until_its_successor_is_stored(
        certificate, organisation, owner, broken_renderer):
    organisation.name = "Ateliers réunis du Rhône"
    services.reissue_for_identity_change(organisation, actor=owner)
    db.session.commit()
    assert [status for _, status in _certificates()] == [CertificateStatus.VALID, ISSUING]
    organisation.commune = "Villeurbanne"  # a second edit before it is rendered
    assert services.reissue_for_identity_change(organisation, actor=owner)[0].status == ISSUING
    db.session.commit()
    [(old, _), (new, _)] = _certificates()
    broken_renderer.repair()
    assert issuing.finish(older_than=timedelta(0)) == (1, 0)
    assert _certificates() == [(old, CertificateStatus.SUPERSEDED),
                               (new, CertificateStatus.VALID)]
    stored = db.session.scalars(select(Certificate).where(Certificate.number == new)).one()
    printed = json.loads(stored.rendered_from)["organisation"]
    assert (printed["name"], printed["commune"]) == ("Ateliers réunis du Rhône", "Villeurbanne")
    assert db.session.get(Certificate, certificate.id).superseded_by_id == stored.id
    assert _actions()[-2:] == ["certificate.supersede", "certificate.issue"]


def _row(signature_id: int, serial: int, status: str, pdf: bytes | None) -> dict:
    return {"number": f"CFA-2000-{serial:06d}", "signature_id": signature_id, "year": 2000,
            "serial": serial, "status": status, "issued_at": utcnow(), "pdf": pdf,
            "sha256": "0" * 64 if pdf else None, "rendered_from": "{}",
            "signed_with_dev_key": True, "revocation_message": ""}


@pytest.mark.parametrize("rows", [
    [("issuing", None), ("issuing", None)],  # two « en cours » for one signature
    [("valid", None)],  # valid without its PDF
    [("superseded", None)],
], ids=["one-issuing", "valid-has-pdf", "superseded-has-pdf"])
def test_the_database_refuses_what_no_state_allows(make, version, organisation, rows):
    signature = make.signature(organisation, version)
    db.session.commit()
    table = Certificate.__table__
    with pytest.raises(IntegrityError):
        for serial, (status, pdf) in enumerate(rows, 1):
            db.session.execute(insert(table).values(**_row(signature.id, serial, status, pdf)))
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(table)) == 0
