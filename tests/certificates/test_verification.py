"""/verifier, /verifier/<number>, the API and `flask certificates verify` tell the truth."""

from io import BytesIO

import pytest

from charter_service.extensions import db
from charter_service.signatures.workflow import Transition, apply


def _upload(client, data: bytes, name="attestation.pdf"):
    return client.post("/verifier", data={"document": (BytesIO(data), name)},
                       content_type="multipart/form-data")


def _flip(data: bytes, where: int) -> bytes:
    return data[:where] + bytes([data[where] ^ 0x01]) + data[where + 1:]


def _cli(app, tmp_path, data: bytes):
    path = tmp_path / "attestation.pdf"
    path.write_bytes(data)
    return app.test_cli_runner().invoke(args=["certificates", "verify", str(path)])


def test_the_status_page_shows_public_facts_and_no_personal_data(client, certificate):
    page = client.get(f"/verifier/{certificate.number}").get_data(as_text=True)
    assert "Valide" in page and "Ateliers du Rhône" in page and "732 829 320" in page
    assert certificate.sha256 in page
    assert certificate.signature.version_sha256 in page
    assert "Dominique Durand" not in page and "dominique.durand" not in page
    assert "clé de développement" in page


def test_a_lowercase_number_redirects_and_an_unknown_one_is_404(client, certificate):
    response = client.get(f"/verifier/{certificate.number.lower()}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/verifier/{certificate.number}")
    response = client.get("/verifier/CFA-2026-999999")
    assert response.status_code == 404 and "Attestation introuvable" in response.get_data(
        as_text=True)
    assert client.get("/verifier/<script>").status_code == 404


def test_looking_up_by_number(client, certificate):
    response = client.get("/verifier", query_string={"numero": f" {certificate.number.lower()} "})
    assert response.headers["Location"].endswith(f"/verifier/{certificate.number}")
    page = client.get("/verifier", query_string={"numero": "12345"}).get_data(as_text=True)
    assert ("Un numéro d’attestation a la forme CFA-2026-000123, celui d’un rapport annuel "
            "RAA-2026-000123.") in page


def test_the_api_returns_the_status(client, certificate):
    body = client.get(f"/api/v1/certificates/{certificate.number}").get_json()
    assert body == {
        "number": certificate.number, "status": "valid",
        "issued_at": certificate.issued_at.isoformat(), "revoked_at": None,
        "revocation_label": None, "revocation_reason": None, "superseded_by": None,
        "organisation": {"name": "Ateliers du Rhône",
                         "slug": certificate.signature.organisation.slug, "kind": "association",
                         "commune": "Lyon", "departement_code": "69"},
        "charter_version": 1, "sha256": certificate.sha256,
    }
    response = client.get("/api/v1/certificates/CFA-2026-999999")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == 404


@pytest.mark.real_pdf
def test_revocation_shows_everywhere(app, client, certificate, moderator, tmp_path):
    apply(certificate.signature, Transition.SUSPEND, actor=moderator,
          reason="Engagements non tenus.")
    db.session.commit()
    page = client.get(f"/verifier/{certificate.number}").get_data(as_text=True)
    assert "Révoquée depuis le" in page and "Signature suspendue par la Fondation" in page
    assert "Engagements non tenus." not in page  # private: see test_public_wording.py
    body = client.get(f"/api/v1/certificates/{certificate.number}").get_json()
    assert body["status"] == "revoked" and body["revocation_label"] == "suspended"
    assert body["revoked_at"] is not None
    page = _upload(client, certificate.pdf).get_data(as_text=True)
    assert "Attestation authentique, mais révoquée." in page
    result = _cli(app, tmp_path, certificate.pdf)
    assert result.exit_code == 1 and "authentique, mais révoquée" in result.output


def test_a_superseded_attestation_points_to_its_successor(client, certificate, organisation,
                                                          owner):
    from charter_service.certificates.services import reissue_for_identity_change

    organisation.name = "Nouveau nom"
    successor = reissue_for_identity_change(organisation, actor=owner)[0]
    db.session.commit()
    page = client.get(f"/verifier/{certificate.number}").get_data(as_text=True)
    assert "Remplacée" in page and successor.number in page
    body = client.get(f"/api/v1/certificates/{certificate.number}").get_json()
    assert (body["status"], body["superseded_by"]) == ("superseded", successor.number)


@pytest.mark.real_pdf
def test_an_authentic_file_is_recognised_on_the_web_and_the_command_line(app, client,
                                                                         certificate, tmp_path):
    page = _upload(client, certificate.pdf).get_data(as_text=True)
    assert "Attestation authentique et valide." in page and certificate.number in page
    result = _cli(app, tmp_path, certificate.pdf)
    assert result.exit_code == 0, result.output
    assert "Attestation authentique et valide." in result.output
    assert "Signature électronique : valide" in result.output


@pytest.mark.real_pdf
@pytest.mark.parametrize("where", ["content", "signature", "end"])
def test_one_flipped_byte_is_detected(app, client, certificate, tmp_path, where):
    pdf = certificate.pdf
    position = {"content": len(pdf) // 3,
                "signature": pdf.index(b"/Contents <") + 200,
                "end": len(pdf) - 40}[where]
    altered = _flip(pdf, position)
    page = _upload(client, altered).get_data(as_text=True)
    assert "Document modifié" in page and certificate.number in page
    result = _cli(app, tmp_path, altered)
    assert result.exit_code == 1 and "Document modifié" in result.output


@pytest.mark.real_pdf
def test_an_appended_update_is_detected(client, certificate):
    page = _upload(client, certificate.pdf + b"\n% ajout\n").get_data(as_text=True)
    assert "Document modifié" in page


def test_a_foreign_pdf_is_unknown(app, client, tmp_path):
    from pypdf import PdfWriter

    output = BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(output)
    page = _upload(client, output.getvalue()).get_data(as_text=True)
    assert "Document inconnu" in page
    assert _cli(app, tmp_path, output.getvalue()).exit_code == 1


def test_uploads_must_be_small_pdfs(app, client):
    page = _upload(client, b"GIF89a not a pdf", "image.pdf").get_data(as_text=True)
    assert "Ce fichier n’est pas un PDF." in page
    app.config["CERTIFICATE_UPLOAD_MAX_BYTES"] = 2048
    page = _upload(client, b"%PDF-1.7\n" + b"0" * 4096).get_data(as_text=True)
    assert "Le fichier dépasse la taille autorisée (2 ko)." in page
    page = client.post("/verifier", data={}).get_data(as_text=True)
    assert "Choisissez le fichier PDF à vérifier." in page


def test_the_command_refuses_a_file_that_is_not_a_pdf(app, tmp_path):
    result = _cli(app, tmp_path, b"hello")
    assert result.exit_code == 1 and "n’est pas un PDF" in result.output


class TestRateLimits:
    @pytest.fixture
    def app_config(self, signing_config):
        # Each lookup reaches the view (a page served whole from the cache never does, see
        # tests/public/test_page_cache.py).
        return {**signing_config, "RATELIMIT_ENABLED": True, "PAGE_CACHE": False,
                "RATELIMIT_CERTIFICATE_LOOKUP": "3 per minute",
                "RATELIMIT_CERTIFICATE_UPLOAD": "2 per minute"}

    def test_verification_is_rate_limited(self, client, certificate):
        for url in (f"/verifier/{certificate.number}",
                    f"/api/v1/certificates/{certificate.number}"):
            statuses = [client.get(url).status_code for _ in range(4)]
            assert statuses == [200, 200, 200, 429], url
        statuses = [_upload(client, b"%PDF-1.7 x").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
