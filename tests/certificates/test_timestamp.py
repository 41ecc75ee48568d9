"""With TSA_URL, the signature carries an RFC 3161 timestamp (PAdES B-T), from a real HTTP TSA."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from charter_service.certificates import keys
from charter_service.certificates.verification import Verdict, verify_pdf

from .conftest import validate


def _asn1(certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


@pytest.fixture(scope="module")
def tsa(tmp_path_factory):
    """An RFC 3161 server on a loopback port, answering with pyHanko's DummyTimeStamper."""
    root_key = keys.new_key()
    root_name = keys.name("TSA de test – racine", unit="Horodatage")
    root = keys.make_certificate(root_name, root_key.public_key(), root_name, root_key, ca=True)
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_cert = keys.make_certificate(keys.name("TSA de test", unit="Horodatage"),
                                     tsa_key.public_key(), root_name, root_key,
                                     extended_key_usage=[ExtendedKeyUsageOID.TIME_STAMPING])
    stamper = DummyTimeStamper(
        tsa_cert=_asn1(tsa_cert),
        tsa_key=asn1_keys.PrivateKeyInfo.load(tsa_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())),
        certs_to_embed=SimpleCertificateStore.from_certs([_asn1(root)]))
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append(self.headers["Content-Type"])
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    root_file = tmp_path_factory.mktemp("tsa") / "root.pem"
    root_file.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    yield {"url": f"http://127.0.0.1:{server.server_address[1]}/", "root": _asn1(root),
           "root_file": root_file, "requests": requests}
    server.shutdown()
    server.server_close()


@pytest.fixture
def app_config(signing_config, tsa):
    return {**signing_config, "TSA_URL": tsa["url"]}


@pytest.mark.real_pdf
def test_the_signature_carries_a_trusted_timestamp(certificate, signing_dir, tsa):
    assert tsa["requests"] == ["application/timestamp-query"]
    status = validate(certificate.pdf, signing_dir / keys.CA_FILE, ts_roots=[tsa["root"]])
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.trusted
    assert status.bottom_line
    assert abs((status.timestamp_validity.timestamp - certificate.issued_at).total_seconds()) < 60


@pytest.mark.real_pdf
def test_a_timestamped_attestation_verifies_and_reports_its_time(certificate):
    result = verify_pdf(certificate.pdf)
    assert result.verdict == Verdict.AUTHENTIC_VALID
    assert result.signature.timestamp is not None
