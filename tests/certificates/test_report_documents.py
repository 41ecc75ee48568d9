"""The signed « rapport annuel d’alliance »: its own number series, one page, signed like the
attestations, one valid per organisation and period, nothing rendered inside the issuing
transaction."""

import json
import shutil
import subprocess
import threading

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from charter_service.audit.models import AuditEntry
from charter_service.certificates import keys, report_layout
from charter_service.certificates import report_documents as documents
from charter_service.certificates.models import (
    ReportDocument,
    ReportDocumentCounter,
    ReportDocumentStatus,
)
from charter_service.certificates.verification import check_signature
from charter_service.dates import local_date
from charter_service.db_types import utcnow
from charter_service.extensions import db
from tests.conftest import require

from .conftest import pdf_text, sha256, validate
from .pdf_fonts import embedded_coverage, foreign_fonts
from .report_data import report_data

pytestmark = pytest.mark.real_pdf


def _issue(organisation, actor, *, period=2026, **data_options) -> ReportDocument:
    document = documents.issue_report_document(
        organisation, period=period, data=report_data(organisation.name, **data_options),
        actor=actor)
    db.session.commit()  # the render job runs once the transaction commits (sync in tests)
    db.session.refresh(document)
    return document


def _pages(pdf: bytes) -> int:
    from io import BytesIO

    return len(PdfReader(BytesIO(pdf)).pages)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_submission_issues_a_signed_one_page_document_with_its_own_number(
        organisation, owner, signing_dir):
    document = _issue(organisation, owner)

    year = local_date(utcnow()).year
    assert document.number == f"RAA-{year}-000001"
    assert document.status == ReportDocumentStatus.VALID
    assert document.sha256 == sha256(document.pdf)
    assert document.issued_by_id == owner.id and document.period == 2026
    assert _pages(document.pdf) == 1
    text = " ".join(pdf_text(document.pdf).split())
    assert document.number in text and "Ateliers du Rhône" in text
    assert "Rapport annuel d’alliance" in text
    status = validate(document.pdf, signing_dir / keys.CA_FILE)
    assert status.intact and status.valid and status.trusted
    assert check_signature(document.pdf, ours=True).authentic
    stored = json.loads(document.rendered_from)
    assert stored["number"] == document.number and stored["sections"][0]["text"]
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "report_document").order_by(AuditEntry.seq)).all()
    assert actions == ["report_document.reserve", "report_document.issue"]


def test_the_number_is_reserved_in_the_transaction_and_the_pdf_rendered_after_its_commit(
        organisation, owner):
    document = documents.issue_report_document(
        organisation, period=2026, data=report_data(organisation.name), actor=owner)
    # Inside the caller's transaction: a number, no PDF yet (nothing rendered under the locks).
    assert document.status == ReportDocumentStatus.ISSUING and document.pdf is None
    db.session.rollback()  # the submission fails: nothing left, the number given back
    assert _count(ReportDocument) == 0 and _count(ReportDocumentCounter) == 0
    document = _issue(organisation, owner)
    assert document.serial == 1 and document.status == ReportDocumentStatus.VALID


@pytest.mark.parametrize("sections", [1, 5, 15, 45])
def test_the_page_holds_on_one_sheet_with_any_number_of_sections(organisation, owner,
                                                                 sections):
    document = _issue(organisation, owner, sections=sections, text_repeat=6)
    assert _pages(document.pdf) == 1
    text = " ".join(pdf_text(document.pdf).split())
    assert f"formulaire en ligne, {sections} engagement" in text
    if sections <= 30:
        assert f"Engagement {sections} :" in text
    else:  # the tightest page prints 30 and counts the others
        assert "Engagement 30 :" in text and "Engagement 31 :" not in text
        assert f"et {sections - 30} autres engagements" in text
    assert foreign_fonts(document.pdf) == []  # our fonts only, as the attestations
    assert {"’", "…", "\u202f", "é"} <= embedded_coverage(document.pdf)
    assert "…" in text  # long texts shortened, the full report is online
    assert "consultable en ligne" in text


def test_an_uploaded_report_prints_its_file_name_pages_and_fingerprint(organisation, owner):
    document = _issue(organisation, owner, mode="upload")
    text = " ".join(pdf_text(document.pdf).split())
    assert "rapport-rse-2026.pdf" in text and "48" in text
    assert ("ab" * 32) in text.replace(" ", "")
    assert _pages(document.pdf) == 1


def test_pdftotext_reads_the_number_and_the_name(organisation, owner):
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    document = _issue(organisation, owner)
    text = subprocess.run(["pdftotext", "-", "-"], input=document.pdf, capture_output=True,
                          check=True).stdout.decode()
    assert document.number in text and "Ateliers du Rhône" in text


def test_a_new_issue_for_the_same_period_supersedes_the_earlier_one(organisation, owner):
    first = _issue(organisation, owner)
    second = _issue(organisation, owner)
    other_period = _issue(organisation, owner, period=2025)
    db.session.refresh(first)
    assert first.status == ReportDocumentStatus.SUPERSEDED
    assert first.superseded_by_id == second.id
    assert second.status == ReportDocumentStatus.VALID
    assert other_period.status == ReportDocumentStatus.VALID
    assert documents.valid_document(organisation, 2026) == second
    assert [d.number for d in documents.documents_of(organisation)][0] == other_period.number
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "report_document.supersede")) == 1


def test_the_database_keeps_one_valid_document_per_organisation_and_period(organisation,
                                                                           owner):
    first = _issue(organisation, owner)
    second = _issue(organisation, owner, period=2025)
    second.period = 2026
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert first.status == ReportDocumentStatus.VALID


def test_a_document_whose_job_ran_late_is_stored_already_superseded(organisation, owner):
    late = documents.issue_report_document(
        organisation, period=2026, data=report_data(organisation.name), actor=owner)
    late_id = late.id
    db.session.flush()
    # Its job has not run yet: a newer submission of the same period is issued at once.
    newer = documents.issue_report_document(
        organisation, period=2026, data=report_data(organisation.name), actor=owner,
        at_once=True)
    db.session.commit()  # the late one's job runs now
    late = db.session.get(ReportDocument, late_id)
    assert newer.status == ReportDocumentStatus.VALID
    assert late.status == ReportDocumentStatus.SUPERSEDED and late.superseded_by_id == newer.id
    assert late.pdf is not None


def test_concurrent_issues_get_distinct_consecutive_numbers(app, make):
    threads_count = 4
    organisation_ids = [make.organisation(owner=make.user()).id
                        for _ in range(threads_count * 2)]
    db.session.commit()
    start, errors, retries = threading.Barrier(threads_count), [], [0]

    def worker(ids: list[int]) -> None:
        from charter_service.organisations.models import Organisation

        with app.app_context():
            try:
                start.wait()
                for organisation_id in ids:
                    while True:
                        try:
                            documents.issue_report_document(
                                db.session.get(Organisation, organisation_id), period=2026,
                                data=report_data(), actor=None, at_once=False)
                            db.session.commit()
                            break
                        except (IntegrityError, OperationalError):
                            db.session.rollback()
                            retries[0] += 1
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(organisation_ids[n::threads_count],))
               for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    serials = sorted(db.session.scalars(select(ReportDocument.serial)))
    assert serials == list(range(1, len(organisation_ids) + 1))
    assert db.session.scalar(select(ReportDocumentCounter.last_serial)) == len(organisation_ids)
    if db.engine.dialect.name == "postgresql":
        assert retries[0] == 0


def test_a_failed_render_stays_in_progress_until_finish_issues_it(app, monkeypatch,
                                                                  organisation, owner,
                                                                  client, login, caplog):
    from datetime import timedelta

    from charter_service.audit import services as audit

    real = report_layout.render_fitted

    def broken(data):
        raise RuntimeError("rendering failed")

    monkeypatch.setattr(report_layout, "render_fitted", broken)
    document = documents.issue_report_document(
        organisation, period=2026, data=report_data(organisation.name), actor=owner)
    number = document.number
    db.session.commit()
    document = documents.by_number(number)
    db.session.refresh(document)
    assert document.status == ReportDocumentStatus.ISSUING and document.pdf is None
    login(owner)
    page = client.get(f"/verifier/{number}").get_data(as_text=True)
    assert "en cours de préparation" in page
    member_url = f"/espace/organisations/{organisation.id}/rapports-annuels/{number}.pdf"
    assert client.get(member_url).status_code == 404  # nothing to download yet

    monkeypatch.setattr(report_layout, "render_fitted", real)
    assert documents.finish(older_than=timedelta(minutes=2)) == (0, 0)  # left to its job
    result = app.test_cli_runner().invoke(args=["certificates", "finish", "--older-than", "0"])
    assert result.exit_code == 0, result.output
    assert "Rapports annuels d’alliance émis\u202f: 1\u202f; en échec\u202f: 0." in result.output
    db.session.expire_all()
    document = documents.by_number(number)
    assert document.status == ReportDocumentStatus.VALID and document.pdf is not None
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "report_document.issue")).one()
    assert entry.actor_id == owner.id and audit.verify().ok
    assert client.get(member_url).status_code == 200


def test_a_merge_keeps_one_valid_document_per_period(make, organisation, owner, moderator):
    from charter_service.moderation.merge import merge_organisations

    duplicate = make.organisation(owner=make.user(), name="Ateliers du Rhône (doublon)")
    kept_2026 = _issue(organisation, owner)
    removed_2026 = _issue(duplicate, owner)
    removed_2025 = _issue(duplicate, owner, period=2025)
    merge_organisations(organisation, duplicate, moderator)
    db.session.commit()
    for document in (kept_2026, removed_2026, removed_2025):
        db.session.refresh(document)
    assert kept_2026.status == ReportDocumentStatus.VALID
    assert removed_2026.status == ReportDocumentStatus.SUPERSEDED
    assert removed_2026.superseded_by_id == kept_2026.id
    assert removed_2025.status == ReportDocumentStatus.VALID
    assert {d.organisation_id for d in (kept_2026, removed_2026, removed_2025)} == {
        organisation.id}


def test_an_erased_account_leaves_what_its_documents_were_rendered_from(make, owner):
    from charter_service.accounts.personal_data import erase

    member = make.user(full_name="Camille Durand")
    organisation = make.organisation(owner=owner, members=[member], name="Relais du Lac")
    document = _issue(organisation, member)
    signed = document.pdf
    erase(member, actor=member)
    db.session.commit()
    db.session.refresh(document)
    assert json.loads(document.rendered_from)["submitted_by"] == ""
    assert document.pdf == signed and document.status == ReportDocumentStatus.VALID


def test_a_long_name_long_titles_and_many_sections_still_hold_on_one_page(make, owner):
    name = ("Communauté d’agglomération des Territoires réunis du Val de Saône, de la Dombes "
            "et du Beaujolais pour la transition écologique et solidaire")
    organisation = make.organisation(owner=owner, name=name)
    data = report_data(name, sections=45, text_repeat=6)
    for section in data["sections"]:
        section["commitment"] = "Engagement au titre particulièrement long " * 6
        section["partners"] = ["Partenaire au nom particulièrement long " * 3] * 4
    document = documents.issue_report_document(organisation, period=2026, data=data,
                                               actor=owner)
    db.session.commit()
    db.session.refresh(document)
    assert _pages(document.pdf) == 1
    text = " ".join(pdf_text(document.pdf).split())
    assert "formulaire en ligne, 45 engagements" in text and "autres engagements" in text


def test_sparse_data_still_renders(organisation, owner):
    data = {"organisation": {"name": organisation.name}, "period": 2026,
            "sections": [{"commitment": "Achats locaux", "values": [{"name": "Part",
                                                                      "value": 3}]}]}
    document = documents.issue_report_document(organisation, period=2026, data=data,
                                               actor=owner)
    db.session.commit()
    db.session.refresh(document)
    assert document.status == ReportDocumentStatus.VALID and _pages(document.pdf) == 1
    with pytest.raises(ValueError):
        documents.issue_report_document(organisation, period=26, data=data, actor=owner)
