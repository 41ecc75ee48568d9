"""`flask keys generate`, the development pair generated on first need, a production pair."""

import stat
import time
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from charter_service.certificates import keys, signing
from charter_service.certificates.verification import Verdict, verify_pdf

from .conftest import pdf_text


def _pem(certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _pem_key(key) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


@pytest.fixture
def app_config(tmp_path):
    return {"SIGNING_DIR": str(tmp_path / "signing")}


def test_keys_generate_writes_a_development_pair(app, tmp_path):
    directory = tmp_path / "signing"
    result = app.test_cli_runner().invoke(args=["keys", "generate"])
    assert result.exit_code == 0 and "Paire de développement créée" in result.output
    assert stat.S_IMODE((directory / keys.KEY_FILE).stat().st_mode) == 0o600
    chain = x509.load_pem_x509_certificates((directory / keys.CERT_FILE).read_bytes())
    ca = x509.load_pem_x509_certificate((directory / keys.CA_FILE).read_bytes())
    leaf = chain[0]
    assert chain[1] == ca and leaf.issuer == ca.subject
    leaf.verify_directly_issued_by(ca)
    usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert keys.is_development(leaf)

    again = app.test_cli_runner().invoke(args=["keys", "generate"])
    assert "existe déjà" in again.output
    before = (directory / keys.KEY_FILE).read_bytes()
    forced = app.test_cli_runner().invoke(args=["keys", "generate", "--force"])
    assert forced.exit_code == 0 and (directory / keys.KEY_FILE).read_bytes() != before


@pytest.mark.real_pdf
def test_a_missing_pair_is_generated_at_the_first_issue(app, approve, make, tmp_path):
    certificate = approve(make.organisation(owner=make.user()))
    assert (tmp_path / "signing" / keys.KEY_FILE).exists()
    assert certificate.signed_with_dev_key
    assert verify_pdf(certificate.pdf).verdict == Verdict.AUTHENTIC_VALID


@pytest.mark.real_pdf
def test_a_production_pair_given_as_pem_text_signs_without_the_notice(app, approve, make):
    ca_key, key = keys.new_key(), keys.new_key()
    ca_name = keys.name("Autorité de test", unit="Autorité")
    ca = keys.make_certificate(ca_name, ca_key.public_key(), ca_name, ca_key, ca=True)
    leaf = keys.make_certificate(keys.name("Signature des attestations", unit="Attestations"),
                                 key.public_key(), ca_name, ca_key)
    app.config.update(SIGNING_KEY=_pem_key(key),
                      SIGNING_CERT=(_pem(leaf) + _pem(ca)).decode())
    certificate = approve(make.organisation(owner=make.user()))
    assert not certificate.signed_with_dev_key
    assert "clé de développement" not in pdf_text(certificate.pdf)
    result = verify_pdf(certificate.pdf)
    assert result.verdict == Verdict.AUTHENTIC_VALID
    assert result.signature.signer == "Signature des attestations"


@pytest.mark.real_pdf
def test_an_attestation_still_verifies_after_its_signing_certificate_expired(app, approve,
                                                                           make):
    ca_key, key = keys.new_key(), keys.new_key()
    ca_name = keys.name("Autorité de test", unit="Autorité")
    ca = keys.make_certificate(ca_name, ca_key.public_key(), ca_name, ca_key, ca=True)
    leaf = keys.make_certificate(keys.name("Signature brève", unit="Attestations"),
                                 key.public_key(), ca_name, ca_key,
                                 # long enough to sign on a loaded machine
                                 lifetime=timedelta(seconds=5))
    app.config.update(SIGNING_KEY=_pem_key(key),
                      SIGNING_CERT=(_pem(leaf) + _pem(ca)).decode())
    certificate = approve(make.organisation(owner=make.user()))
    time.sleep(max(0.0, (leaf.not_valid_after_utc - datetime.now(UTC)).total_seconds()) + 0.5)
    assert verify_pdf(certificate.pdf).verdict == Verdict.AUTHENTIC_VALID


def test_a_key_without_its_certificate_is_refused(app, tmp_path):
    app.config["SIGNING_KEY"] = str(tmp_path / "key.pem")
    with pytest.raises(signing.SigningConfigError):
        signing.current_identity()
