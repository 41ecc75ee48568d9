"""The annual report (« bilan annuel »): pre-filled draft, saved section by section, the
conflict between two members, preview, submission (once), the upload instead, partners."""

import threading
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from sqlalchemy import select

from charter_service.accounts.models import Role, User
from charter_service.audit.models import AuditEntry
from charter_service.certificates.models import ReportDocument
from charter_service.commitments import partners, progress
from charter_service.commitments.annual import services
from charter_service.commitments.annual.document import document_data
from charter_service.commitments.annual.models import (
    AnnualReport,
    AnnualReportStatus,
    ReportMode,
    ReportSection,
)
from charter_service.commitments.models import (
    CommitmentStatus,
    ProgressUpdate,
    UpdateConfirmation,
)
from charter_service.commitments.moderation import hide
from charter_service.commitments.reporting import last_report_dates
from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage

from .helpers import add_commitment, count, text


@pytest.fixture
def app_config():
    return {"DELIBERATION_MAX_BYTES": 4096}


def paris_today():
    return datetime.now(ZoneInfo("Europe/Paris")).date()


def report_url(signatory, period=None) -> str:
    return f"/espace/organisations/{signatory.id}/bilan/{period or paris_today().year}"


def pdf(js: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if js:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(js)})
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def meals(alpha):
    """A commitment with two indicators and a progress update that measured both."""
    commitment = add_commitment(alpha, title="Cantine bio", indicators=(
        ("Repas servis", "repas", 5000), ("Part bio", "%", 50)))
    first, second = commitment.indicators
    progress.add_progress(commitment, progress.ProgressData(
        reported_on=paris_today(), text="Premier semestre.",
        values={first.id: Decimal("2100"), second.id: Decimal("32.5")}), alpha.owner)
    db.session.commit()
    return commitment


@pytest.fixture
def opened(client, login, alpha, meals):
    """alpha's draft for this year, opened by its owner through the page's button."""
    login(alpha.owner)
    response = client.post(f"{report_url(alpha)}/ouvrir")
    assert response.status_code == 302
    return db.session.scalars(select(AnnualReport)).one()


def section_of(report, commitment) -> ReportSection:
    db.session.expire_all()
    return db.session.scalars(select(ReportSection).where(
        ReportSection.report_id == report.id,
        ReportSection.commitment_id == commitment.id)).one()


def section_form(section, **overrides) -> dict:
    prefix = f"s{section.id}-"
    data = {"revision": str(section.revision), "text": "Nous avons servi 4 200 repas.",
            "status_change": "", "evidence_url": "https://example.org/bilan.pdf"}
    for indicator in section.commitment.indicators:
        data[f"value_{indicator.id}"] = "4 200" if indicator.name == "Repas servis" else "45"
    data.update(overrides)
    return {prefix + key: value for key, value in data.items()}


def save(client, signatory, section, **overrides):
    return client.post(f"{report_url(signatory)}/sections/{section.id}",
                       data=section_form(section, **overrides))


# Opening and pre-filling

def test_the_page_offers_to_open_the_draft_and_a_get_creates_nothing(client, login, alpha,
                                                                     meals):
    login(alpha.owner)
    page = text(client.get(report_url(alpha)))
    assert f"Commencer le bilan {paris_today().year}" in page
    assert count(AnnualReport) == 0


def test_the_draft_has_a_section_per_live_commitment_prefilled_with_latest_values(
        client, login, alpha, meals, make):
    abandoned = add_commitment(alpha, title="Abandonné")
    abandoned.status = CommitmentStatus.ABANDONED
    hidden = add_commitment(alpha, title="Masqué")
    hide(hidden, "Hors charte", make.user(role=Role.MODERATOR))
    db.session.commit()
    login(alpha.owner)

    client.post(f"{report_url(alpha)}/ouvrir")
    client.post(f"{report_url(alpha)}/ouvrir")  # a second click opens the same draft

    report = db.session.scalars(select(AnnualReport)).one()
    assert (report.period, report.status, report.mode) == (
        paris_today().year, AnnualReportStatus.DRAFT, ReportMode.FORM)
    assert [s.commitment.title for s in report.sections] == ["Cantine bio"]
    assert sorted(v.value for v in report.sections[0].values) == [Decimal("32.5"),
                                                                  Decimal("2100")]
    page = text(client.get(report_url(alpha)))
    assert 'value="2100"' in page and 'value="32,5"' in page
    assert "Enregistrer cette section" in page


def test_a_year_outside_the_open_ones_is_not_found(client, login, alpha, meals):
    login(alpha.owner)
    assert client.get(report_url(alpha, paris_today().year - 5)).status_code == 404
    assert client.post(f"{report_url(alpha, paris_today().year + 1)}/ouvrir").status_code == 404


# Saving, conflicts

def test_a_section_saved_stays_in_the_draft_and_moves_its_revision(client, login, alpha,
                                                                   opened, meals):
    section = section_of(opened, meals)
    response = save(client, alpha, section, status_change="achieved")
    assert response.status_code == 302
    section = section_of(opened, meals)
    assert section.revision == 1 and section.text == "Nous avons servi 4 200 repas."
    assert section.status_change == CommitmentStatus.ACHIEVED
    assert sorted(v.value for v in section.values) == [Decimal("45"), Decimal("4200")]
    assert section.updated_by_id == alpha.owner.id
    assert count(ProgressUpdate) == 1  # nothing published before submission
    assert "Nous avons servi 4 200 repas." in text(client.get(report_url(alpha)))


def test_the_second_member_to_save_is_told_and_keeps_their_text(client, login, make,
                                                                 signatories, meals, app):
    member = make.user(full_name="Bruno Second")
    alpha = signatories.new(name="Gamma Coop", members=[member])
    commitment = add_commitment(alpha, title="Vélos")
    login(alpha.owner)
    client.post(f"{report_url(alpha)}/ouvrir")
    report = db.session.scalars(select(AnnualReport).where(
        AnnualReport.organisation_id == alpha.id)).one()
    shown = section_of(report, commitment)  # both members opened the page at revision 0
    url = f"{report_url(alpha)}/sections/{shown.id}"
    mine = section_form(shown, text="Version du second membre.")

    assert save(client, alpha, shown, text="Version de la responsable.").status_code == 302
    other = login(member, app.test_client())
    response = other.post(url, data=mine)

    assert response.status_code == 409
    page = text(response)
    assert "Camille Martin a modifié cette section le" in page
    assert "Version de la responsable." in page  # theirs, shown
    assert "\nVersion du second membre.</textarea>" in page  # mine, kept in the form
    assert section_of(report, commitment).text == "Version de la responsable."
    assert f'name="s{shown.id}-revision" required type="hidden" value="1"' in page
    # Saving again from that page replaces their version, knowingly.
    retry = save(other, alpha, section_of(report, commitment), text="Version du second membre.")
    assert retry.status_code == 302
    assert section_of(report, commitment).text == "Version du second membre."


def test_the_script_saves_as_json_and_hears_of_a_conflict(client, alpha, opened, meals):
    section = section_of(opened, meals)
    url = f"{report_url(alpha)}/sections/{section.id}"
    headers = {"Accept": "application/json"}
    first = client.post(url, data=section_form(section), headers=headers)
    assert first.status_code == 200 and first.json == {
        "saved": True, "revision": 1, "message": "Section enregistrée."}
    stale = client.post(url, data={**section_form(section, text="Autre"),
                                   f"s{section.id}-revision": "0"}, headers=headers)
    assert stale.status_code == 409
    assert stale.json["conflict"]["text"] == "Nous avons servi 4 200 repas."
    assert stale.json["conflict"]["revision"] == 1


def test_two_saves_at_once_cannot_both_win(app, alpha, opened, meals):
    section_id, start = section_of(opened, meals).id, threading.Barrier(2)
    owner_id = alpha.owner.id
    outcomes, errors = [], []

    def member_saves(words: str) -> None:
        with app.app_context():
            try:
                section = db.session.get(ReportSection, section_id)
                data = services.SectionData(revision=0, text=words)
                start.wait()
                services.save_section(section, data, db.session.get(User, owner_id))
                db.session.commit()
                outcomes.append("saved")
            except services.SectionConflict:
                db.session.rollback()
                outcomes.append("conflict")
            except Exception as error:  # noqa: BLE001  (reported by the assertion below)
                errors.append(error)

    threads = [threading.Thread(target=member_saves, args=(w,)) for w in ("un", "deux")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(outcomes) == ["conflict", "saved"]
    assert section_of(opened, meals).revision == 1


@pytest.mark.parametrize(("value", "message"), [
    ("-3", "Indiquez un nombre positif ou nul."),
    ("99 999 999 999", "Ce nombre paraît trop grand"),
    ("beaucoup", "Indiquez un nombre, par exemple 12 ou 12,5."),
    ("1e3", "Indiquez un nombre, par exemple 12 ou 12,5."),
    ("12,34567", "4 décimales au plus."),
])
def test_a_bad_indicator_value_is_refused_beside_its_field(client, alpha, opened, meals, value,
                                                           message):
    section = section_of(opened, meals)
    first = meals.indicators[0]
    response = save(client, alpha, section, **{f"value_{first.id}": value})
    assert response.status_code == 400
    page = text(response)
    assert f'id="s{section.id}-value_{first.id}-error">{message}' in page
    assert "\nNous avons servi 4 200 repas.</textarea>" in page  # the text is not lost
    stored = section_of(opened, meals)
    assert (stored.revision, stored.text) == (0, "")
    assert sorted(v.value for v in stored.values) == [Decimal("32.5"), Decimal("2100")]


def test_an_evidence_link_must_be_https(client, alpha, opened, meals):
    section = section_of(opened, meals)
    response = save(client, alpha, section, evidence_url="http://example.org/preuve")
    assert response.status_code == 400
    assert "commençant par https://" in text(response)
    assert section_of(opened, meals).revision == 0


def test_an_evidence_pdf_is_checked_kept_and_downloadable(client, alpha, opened, meals):
    section = section_of(opened, meals)
    url = f"{report_url(alpha)}/sections/{section.id}"
    active = section_form(section) | {f"s{section.id}-evidence_file": (BytesIO(pdf("app.alert(1)")),
                                                                       "preuve.pdf")}
    refused = client.post(url, data=active, content_type="multipart/form-data")
    assert refused.status_code == 400 and "contenu actif" in text(refused)
    good = section_form(section) | {f"s{section.id}-evidence_file": (BytesIO(pdf()), "preuve.pdf")}
    assert client.post(url, data=good, content_type="multipart/form-data").status_code == 302
    download = client.get(f"{url}/preuve")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")


# Preview and submission

def test_the_preview_shows_the_whole_report_before_submission(client, alpha, opened, meals):
    save(client, alpha, section_of(opened, meals), status_change="achieved")
    page = text(client.get(f"{report_url(alpha)}/apercu"))
    assert "Aperçu du bilan annuel" in page
    assert "Nous avons servi 4 200 repas." in page and "4200 repas" in page
    assert "Prévu → Réalisé" in page
    assert "Déposer le bilan" in page
    assert count(ProgressUpdate) == 1


def test_submitting_needs_the_confirmation(client, alpha, opened, meals):
    save(client, alpha, section_of(opened, meals))
    response = client.post(f"{report_url(alpha)}/deposer", data={})
    assert response.status_code == 400
    assert "Cochez cette case pour confirmer le dépôt." in text(response)
    db.session.expire_all()
    assert opened.status == AnnualReportStatus.DRAFT


def test_submission_files_progress_updates_and_moves_the_reporting_date(client, alpha, opened,
                                                                         meals):
    quiet = add_commitment(alpha, title="Rien cette année")
    save(client, alpha, section_of(opened, meals), status_change="achieved")
    assert last_report_dates([alpha.id]) == {alpha.id: paris_today()}
    before = count(ProgressUpdate)

    response = client.post(f"{report_url(alpha)}/deposer", data={"confirm": "y"})

    assert response.status_code == 302
    db.session.expire_all()
    report = db.session.get(AnnualReport, opened.id)
    assert report.status == AnnualReportStatus.SUBMITTED
    assert report.submitted_by_id == alpha.owner.id
    update = db.session.scalars(select(ProgressUpdate).order_by(ProgressUpdate.id.desc())).first()
    assert count(ProgressUpdate) == before + 1  # the section left empty files nothing
    assert (update.commitment_id, update.reported_on, update.text, update.evidence_url) == (
        meals.id, paris_today(), "Nous avons servi 4 200 repas.", "https://example.org/bilan.pdf")
    assert sorted(v.value for v in update.values) == [Decimal("45"), Decimal("4200")]
    assert meals.status == CommitmentStatus.ACHIEVED
    assert quiet.status == CommitmentStatus.PLANNED
    assert section_of(report, meals).progress_update_id == update.id
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "annual_report.submit")).one()
    assert entry.object_id == str(report.id)
    page = text(client.get(report_url(alpha)))
    assert "Déposé le" in page and "Enregistrer cette section" not in page
    public = text(client.get(f"/organisations/{alpha.organisation.slug}"))
    assert "Nous avons servi 4 200 repas." in public
    # Frozen: no more edits.
    frozen = save(client, alpha, section_of(report, meals), revision="1", text="Après coup")
    assert frozen.status_code == 302
    assert section_of(report, meals).text == "Nous avons servi 4 200 repas."


def test_a_report_with_nothing_written_is_not_submitted(client, alpha, opened, meals):
    response = client.post(f"{report_url(alpha)}/deposer", data={"confirm": "y"})
    assert response.status_code == 400
    assert "Rédigez au moins une section" in text(response)
    db.session.expire_all()
    assert db.session.get(AnnualReport, opened.id).status == AnnualReportStatus.DRAFT


def test_submitted_twice_at_once_gives_one_report(app, client, alpha, opened, meals):
    save(client, alpha, section_of(opened, meals))
    before, start = count(ProgressUpdate), threading.Barrier(2)
    owner_id = alpha.owner.id
    outcomes, errors = [], []

    def member_submits() -> None:
        with app.app_context():
            try:
                report = db.session.get(AnnualReport, opened.id)
                start.wait()
                services.submit(report, db.session.get(User, owner_id))
                db.session.commit()
                outcomes.append("submitted")
            except services.ReportError:
                db.session.rollback()
                outcomes.append("refused")
            except Exception as error:  # noqa: BLE001  (reported by the assertion below)
                errors.append(error)

    threads = [threading.Thread(target=member_submits) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(outcomes) == ["refused", "submitted"]
    assert count(ProgressUpdate) == before + 1
    assert db.session.scalar(select(AuditEntry.id).where(
        AuditEntry.action == "annual_report.submit")) is not None
    assert len(db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "annual_report.submit")).all()) == 1


# Upload instead of the form

def upload(client, signatory, content, filename="rapport-rse.pdf"):
    return client.post(f"{report_url(signatory)}/document",
                       data={"document": (BytesIO(content), filename)},
                       content_type="multipart/form-data")


def test_an_uploaded_report_replaces_the_form_and_counts_as_a_filing(client, login, make,
                                                                     signatories, version):
    alpha = signatories.new(name="Delta Énergie")
    login(alpha.owner)
    client.post(f"{report_url(alpha)}/ouvrir")
    assert last_report_dates([alpha.id]) == {}
    content = pdf()

    assert upload(client, alpha, content).status_code == 302
    report = db.session.scalars(select(AnnualReport)).one()
    assert report.mode == ReportMode.UPLOAD and report.document_filename == "rapport-rse.pdf"
    assert client.get(f"{report_url(alpha)}/document").data == content
    assert client.post(f"{report_url(alpha)}/deposer", data={"confirm": "y"}).status_code == 302

    db.session.expire_all()
    assert report.status == AnnualReportStatus.SUBMITTED
    assert count(ProgressUpdate) == 0
    assert last_report_dates([alpha.id]) == {alpha.id: paris_today()}
    moderator = login(make.user(role=Role.MODERATOR))
    base = f"/moderation/organisations/{alpha.id}/bilans"
    assert f"Bilan {report.period}" in text(moderator.get(base))
    assert "rapport-rse.pdf" in text(moderator.get(f"{base}/{report.period}"))
    download = moderator.get(f"{base}/{report.period}/document")
    assert download.data == content and download.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(("content", "message"), [
    (b"MZ\x90\x00 not a pdf", "doit être un document PDF"),
    (b"%PDF-1.4\n" + b"0" * 5000 + b"\n%%EOF\n", "taille autorisée (4 Ko)"),
    (pdf("app.alert('bonjour')"), "contenu actif (JavaScript)"),
])
def test_an_upload_that_is_not_a_plain_pdf_is_refused(client, alpha, opened, content, message):
    response = upload(client, alpha, content)
    assert response.status_code == 400
    assert message in text(response)
    db.session.expire_all()
    report = db.session.get(AnnualReport, opened.id)
    assert report.mode == ReportMode.FORM and report.document_sha256 is None


def test_a_draft_is_not_shown_to_moderators(client, login, make, alpha, opened):
    moderator = login(make.user(role=Role.MODERATOR))
    assert moderator.get(
        f"/moderation/organisations/{alpha.id}/bilans/{opened.period}").status_code == 404


# Partners

@pytest.fixture
def joint(alpha, beta, meals):
    """beta confirmed its partnership in alpha's commitment."""
    partners.decide(partners.invite_partner(meals, beta.id, alpha.owner), True, beta.owner)
    db.session.commit()
    return meals


def submit_written(client, alpha, opened, commitment) -> AnnualReport:
    save(client, alpha, section_of(opened, commitment))
    assert client.post(f"{report_url(alpha)}/deposer", data={"confirm": "y"}).status_code == 302
    db.session.expire_all()
    return db.session.get(AnnualReport, opened.id)


def test_a_named_partner_is_asked_and_confirms_its_sections(app, client, login, alpha, beta,
                                                            joint, opened):
    report = submit_written(client, alpha, opened, joint)
    mail = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == beta.owner.email,
        OutboxMessage.subject.contains("bilan"))).one()
    url = f"/espace/organisations/{beta.id}/bilans-partenaires/{report.id}"
    assert f"http://localhost{url}" in mail.body_text

    partner = login(beta.owner, app.test_client())
    page = text(partner.get(url))
    assert "Nous avons servi 4 200 repas." in page and "Confirmer cette section" in page
    section = section_of(report, joint)
    assert partner.post(f"{url}/sections/{section.id}/confirmer").status_code == 302
    confirmation = db.session.scalars(select(UpdateConfirmation)).one()
    assert (confirmation.update_id, confirmation.organisation_id) == (
        section.progress_update_id, beta.id)
    assert "confirmée par votre organisation" in text(partner.get(url))


def test_an_organisation_not_named_in_the_report_confirms_nothing(app, client, login, alpha,
                                                                  signatories, joint, opened):
    report = submit_written(client, alpha, opened, joint)
    section = section_of(report, joint)
    stranger = signatories.new(name="Epsilon Solidaire")
    other = login(stranger.owner, app.test_client())
    url = f"/espace/organisations/{stranger.id}/bilans-partenaires/{report.id}"
    assert other.get(url).status_code == 404
    assert other.post(f"{url}/sections/{section.id}/confirmer").status_code == 404
    assert count(UpdateConfirmation) == 0


def test_a_partner_cannot_confirm_through_another_organisations_report(
        app, client, login, alpha, beta, joint, opened, signatories):
    submit_written(client, alpha, opened, joint)
    third = signatories.new(name="Zeta Coop")
    commitment = add_commitment(third, title="Autre engagement")
    login(third.owner, client)
    client.post(f"{report_url(third)}/ouvrir")
    other_report = db.session.scalars(select(AnnualReport).where(
        AnnualReport.organisation_id == third.id)).one()
    submit_written(client, third, other_report, commitment)
    partner = login(beta.owner, app.test_client())
    url = f"/espace/organisations/{beta.id}/bilans-partenaires/{other_report.id}"
    assert partner.get(url).status_code == 404
    section = section_of(other_report, commitment)
    assert partner.post(f"{url}/sections/{section.id}/confirmer").status_code == 404
    # Nor by pairing a section of alpha's report with the other report's id.
    alpha_section = section_of(opened, joint)
    assert partner.post(f"{url}/sections/{alpha_section.id}/confirmer").status_code == 404
    assert count(UpdateConfirmation) == 0


# Access

def test_a_member_of_another_organisation_gets_404_everywhere(app, client, alpha, beta, opened,
                                                              meals, login):
    section = section_of(opened, meals)
    base = report_url(alpha)
    stranger = login(beta.owner, app.test_client())
    for method, url in [
        ("GET", f"/espace/organisations/{alpha.id}/bilan"), ("GET", base),
        ("POST", f"{base}/ouvrir"), ("POST", f"{base}/sections/{section.id}"),
        ("GET", f"{base}/sections/{section.id}/preuve"), ("GET", f"{base}/apercu"),
        ("POST", f"{base}/deposer"), ("POST", f"{base}/document"), ("GET", f"{base}/document"),
        ("POST", f"{base}/formulaire"),
        # Their own organisation's URL with alpha's section: still not found.
        ("POST", f"{report_url(beta)}/sections/{section.id}"),
    ]:
        assert stranger.open(url, method=method, data=section_form(section)).status_code == 404, url
    assert section_of(opened, meals).revision == 0


# The signed document's data

def test_document_data_is_plain_data_of_the_report(client, alpha, beta, joint, opened):
    quiet = add_commitment(alpha, title="Rien cette année")
    report = submit_written(client, alpha, opened, joint)
    data = document_data(report)
    assert data["organisation"] == {"name": "Alpha Coopérative", "kind": "association",
                                    "kind_label": "Association", "identifier": "",
                                    "commune": "Lyon"}
    assert (data["period"], data["mode"], data["submitted_on"], data["upload"]) == (
        paris_today().year, "form", paris_today().isoformat(), None)
    assert data["submitted_by"] == "Camille Martin"
    assert data["report_url"] == f"http://localhost/organisations/{alpha.organisation.slug}"
    [section] = data["sections"]  # the section left empty is not printed
    assert section["commitment"] == "Cantine bio" and quiet.title != section["commitment"]
    assert (section["status"], section["status_code"]) == ("Prévu", "planned")
    assert section["principles"] == [joint.principles[0].code]
    assert section["text"] == "Nous avons servi 4 200 repas."
    assert section["values"] == [
        {"name": "Repas servis", "unit": "repas", "value": "4200", "target": "5000 repas"},
        {"name": "Part bio", "unit": "%", "value": "45", "target": "50 %"}]
    assert section["evidence"] == "https://example.org/bilan.pdf"
    assert section["partners"] == ["Béta Solidaire"]


def test_submission_issues_the_signed_report_document(client, alpha, opened, meals):
    save(client, alpha, section_of(opened, meals))
    client.post(f"{report_url(alpha)}/deposer", data={"confirm": "y"})
    db.session.expire_all()
    report = db.session.get(AnnualReport, opened.id)
    document = db.session.scalars(select(ReportDocument)).one()
    assert report.document_number == document.number
    assert document.number.startswith("RAA-")
    assert (document.organisation_id, document.period) == (alpha.id, report.period)
    page = text(client.get(report_url(alpha)))
    assert document.number in page
    download = f"/espace/organisations/{alpha.id}/rapports-annuels/{document.number}.pdf"
    assert f'href="{download}"' in page
    assert client.get(download).data.startswith(b"%PDF-")  # rendered by the job after commit


def test_an_uploaded_report_document_counts_its_pages(client, alpha, opened):
    assert upload(client, alpha, pdf()).status_code == 302
    db.session.expire_all()
    report = db.session.get(AnnualReport, opened.id)
    assert document_data(report)["upload"] == {
        "filename": "rapport-rse.pdf", "sha256": report.document_sha256, "pages": 1}
    assert document_data(report)["sections"] == []
