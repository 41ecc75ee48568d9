"""/verifier knows the « rapports annuels d’alliance »: by number (typed loosely), by uploaded
PDF (pyHanko and the stored SHA-256), a tampered or unsigned file; members and moderators
download them, nobody else."""

import json
from io import BytesIO

import pytest

from charter_service.accounts.models import Role
from charter_service.certificates import report_documents as documents
from charter_service.certificates import report_layout
from charter_service.certificates.verification import Verdict, verify_pdf
from charter_service.extensions import db

from .report_data import report_data

pytestmark = pytest.mark.real_pdf


@pytest.fixture
def report(organisation, owner):
    document = documents.issue_report_document(
        organisation, period=2026, data=report_data(organisation.name), actor=owner)
    db.session.commit()
    db.session.refresh(document)
    return document


def _upload(client, data: bytes, name="rapport.pdf"):
    return client.post("/verifier", data={"document": (BytesIO(data), name)},
                       content_type="multipart/form-data")


def _flip(data: bytes, where: int) -> bytes:
    return data[:where] + bytes([data[where] ^ 0x01]) + data[where + 1:]


def test_the_status_page_shows_the_report_its_period_and_fingerprint(client, report):
    page = client.get(f"/verifier/{report.number}").get_data(as_text=True)
    assert f"Rapport annuel d’alliance n° {report.number} — valide" in page
    assert "Ateliers du Rhône" in page and "2026" in page and report.sha256 in page
    assert "Camille Durand" not in page  # who submitted it is not published


@pytest.mark.parametrize("typed", ["raa 2026 1", "RAA-2026-1", "RAA_2026.000001",
                                   "raa2026000001"])
def test_a_loosely_typed_number_finds_the_report(client, report, typed):
    typed = typed.replace("2026", str(report.year))
    response = client.get("/verifier", query_string={"numero": typed})
    assert response.headers["Location"].endswith(f"/verifier/{report.number}")
    response = client.get(f"/verifier/{typed}")
    if "/" not in typed and typed != report.number:
        assert response.status_code == 301
        assert response.headers["Location"].endswith(f"/verifier/{report.number}")


def test_an_unknown_report_number_is_404(client, report):
    response = client.get(f"/verifier/RAA-{report.year}-999999")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Rapport annuel introuvable" in page and "Attestation introuvable" not in page
    assert f"RAA-{report.year}-999999" in page


def test_the_english_page_is_english(client, report):
    page = client.get(f"/verifier/{report.number}?lang=en").get_data(as_text=True)
    assert 'lang="en"' in page and report.number in page


def test_a_superseded_report_says_by_which(client, organisation, owner, report):
    # Seen before (its public page is cached whole): the supersession shows all the same.
    assert "— valide" in client.get(f"/verifier/{report.number}").get_data(as_text=True)
    newer = documents.issue_report_document(
        organisation, period=2026, data=report_data(organisation.name), actor=owner)
    db.session.commit()
    page = client.get(f"/verifier/{report.number}").get_data(as_text=True)
    assert f"Rapport annuel d’alliance n° {report.number} — remplacé" in page
    assert newer.number in page
    page = _upload(client, report.pdf).get_data(as_text=True)
    assert "Rapport annuel d’alliance authentique, mais remplacé" in page


def test_the_uploaded_report_is_validated_by_pyhanko(client, report):
    result = verify_pdf(report.pdf)
    assert result.verdict == Verdict.REPORT_AUTHENTIC_VALID
    assert result.report == report and result.signature.authentic
    page = _upload(client, report.pdf).get_data(as_text=True)
    assert "Rapport annuel d’alliance authentique et valide." in page
    assert report.number in page and "valide, apposée par" in page


def test_a_tampered_report_is_caught(client, report):
    tampered = _flip(report.pdf, len(report.pdf) // 3)
    result = verify_pdf(tampered)
    assert result.verdict == Verdict.REPORT_ALTERED and result.report == report
    page = _upload(client, tampered).get_data(as_text=True)
    assert "Document modifié" in page and "authentique et valide" not in page


def test_an_unsigned_render_of_a_report_is_a_copy_that_proves_nothing(report):
    unsigned = report_layout.render_fitted(json.loads(report.rendered_from))
    result = verify_pdf(unsigned)
    assert result.verdict == Verdict.REPORT_UNSIGNED_COPY and result.report == report


def test_the_cli_verifies_a_report(app, report, tmp_path):
    path = tmp_path / "rapport.pdf"
    path.write_bytes(report.pdf)
    result = app.test_cli_runner().invoke(args=["certificates", "verify", str(path)])
    assert result.exit_code == 0 and report.number in result.output


def test_members_and_moderators_download_it_and_nobody_else(client, login, make, report,
                                                            organisation, owner):
    member_url = f"/espace/organisations/{organisation.id}/rapports-annuels/{report.number}.pdf"
    moderation_url = f"/moderation/rapports-annuels/{report.number}.pdf"
    assert client.get(member_url).status_code == 302  # to the login page

    login(owner)
    response = client.get(member_url)
    assert response.status_code == 200 and response.data == report.pdf
    assert f"rapport-annuel-{report.number}.pdf" in response.headers["Content-Disposition"]
    assert client.get(moderation_url).status_code == 403
    page = client.get(f"/espace/organisations/{organisation.id}").get_data(as_text=True)
    assert "Rapports annuels d’alliance" in page and member_url in page

    other = make.user()
    make.organisation(owner=other, name="Autre Association", siren="552100554")
    db.session.commit()
    login(other)
    assert client.get(member_url).status_code == 404
    other_org = db.session.scalars(db.select(type(organisation)).where(
        type(organisation).name == "Autre Association")).one()
    # Their own organisation's address with this number: still not theirs.
    assert client.get(f"/espace/organisations/{other_org.id}/rapports-annuels/"
                      f"{report.number}.pdf").status_code == 404

    login(make.user(role=Role.MODERATOR))
    response = client.get(moderation_url)
    assert response.status_code == 200 and response.data == report.pdf
