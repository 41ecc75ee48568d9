"""The rate-limit store (Redis) does not answer: verifying an attestation by its number still
works (page and API, served uncounted), while the upload form behind its own limit answers the
French 503 rather than letting uploads through uncounted."""

import pytest
from flask_limiter import Limiter

UNAVAILABLE = "momentanément indisponible"


@pytest.fixture
def app_config(signing_config):
    # Port 9 (discard) refuses at once: Redis is down.
    return {**signing_config, "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:9/0"}


@pytest.fixture(autouse=True)
def limits_not_reset(monkeypatch):
    """Between tests conftest clears the limits in their store, which is down here."""
    monkeypatch.setattr(Limiter, "reset", lambda self: None)


def test_a_lookup_by_number_is_answered(client, certificate, caplog):
    found = client.get(f"/verifier?numero={certificate.number}")
    assert found.status_code == 302 and found.location.endswith(f"/verifier/{certificate.number}")
    page = client.get(f"/verifier/{certificate.number}")
    assert page.status_code == 200 and certificate.number in page.text
    assert "served uncounted" in caplog.text


def test_the_lookup_page_and_an_unknown_number_are_answered(client, app):
    assert client.get("/verifier").status_code == 200
    unknown = client.get("/verifier/CFA-2026-999999")
    assert unknown.status_code == 404 and "Aucune attestation" in unknown.text


def test_the_api_answers_by_number_and_its_404_stays_json(client, certificate):
    found = client.get(f"/api/v1/certificates/{certificate.number}")
    assert found.status_code == 200 and found.get_json()["status"] == "valid"
    missing = client.get("/api/v1/certificates/CFA-2026-999999")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == 404


def test_an_upload_is_refused_in_french(client, certificate):
    refused = client.post("/verifier", data={"pdf": (b"%PDF-1.7", "attestation.pdf")},
                          content_type="multipart/form-data")
    assert refused.status_code == 503 and refused.headers["Retry-After"]
    assert UNAVAILABLE in refused.text
