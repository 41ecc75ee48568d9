"""PAdES signatures with pyHanko: the key is parsed once per process and kept.

SIGNING_KEY / SIGNING_CERT hold PEM text or a path; SIGNING_CERT is the signing certificate
followed by its chain. Without either, a development pair is generated once under
instance/signing/ (or SIGNING_DIR) and the attestations signed with it say so.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from flask import current_app
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import keys

FIELD_NAME = "SignatureFondation"
# Room for the CMS object: signature, certificate chain and, with a TSA, its token and chain.
BYTES_RESERVED = 8192
BYTES_RESERVED_WITH_TIMESTAMP = 24576
# The visible field draws a thin frame over the signature block the page itself prints.
STAMP_STYLE = StaticStampStyle(border_width=1, border_color=(0.12, 0.23, 0.54))


class SigningConfigError(RuntimeError):
    """The signing key or certificate is missing or unusable; the message says which."""


@dataclass(frozen=True)
class SigningIdentity:
    signer: signers.SimpleSigner
    certificate: x509.Certificate
    trust_roots: tuple[asn1_x509.Certificate, ...]
    development: bool

    @property
    def common_name(self) -> str:
        names = self.certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        return str(names[0].value) if names else self.certificate.subject.rfc4514_string()


class _ParsedKeySigner(signers.SimpleSigner):
    """SimpleSigner re-parses its key for every signature; this one keeps the parsed key."""

    def __init__(self, private_key, **kwargs) -> None:
        super().__init__(**kwargs)
        self._private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if isinstance(self._private_key, ec.EllipticCurvePrivateKey):
            return self._private_key.sign(data, ec.ECDSA(hash_algorithm))
        if isinstance(self._private_key, rsa.RSAPrivateKey) and not self.prefer_pss:
            return self._private_key.sign(data, PKCS1v15(), hash_algorithm)
        return super().sign_raw(data, digest_algorithm)


def _pem_bytes(source: str) -> bytes:
    if source.lstrip().startswith("-----BEGIN"):
        return source.encode()
    path = Path(source)
    if not path.is_file():
        raise SigningConfigError(f"Fichier introuvable : {source}")
    return path.read_bytes()


def _certificates(data: bytes) -> list[asn1_x509.Certificate]:
    if not pem.detect(data):
        return [asn1_x509.Certificate.load(data)]
    return [asn1_x509.Certificate.load(der) for kind, _, der in pem.unarmor(data, multiple=True)
            if kind == "CERTIFICATE"]


def sources() -> tuple[str, str, str]:
    """(key, certificate, extra trusted certificates) from the configuration, generating the
    development pair on first need."""
    config = current_app.config
    key, cert = config.get("SIGNING_KEY") or "", config.get("SIGNING_CERT") or ""
    if bool(key) != bool(cert):
        raise SigningConfigError("SIGNING_KEY et SIGNING_CERT doivent être définis ensemble.")
    if not key:
        directory = Path(config.get("SIGNING_DIR") or Path(current_app.instance_path) / "signing")
        keys.generate(directory)
        key, cert = str(directory / keys.KEY_FILE), str(directory / keys.CERT_FILE)
    return key, cert, config.get("SIGNING_TRUSTED_CERTS") or ""


def current_identity() -> SigningIdentity:
    return load_identity(*sources())


@lru_cache(maxsize=8)
def load_identity(key_source: str, cert_source: str, extra_trust: str = "") -> SigningIdentity:
    try:
        private_key = serialization.load_pem_private_key(_pem_bytes(key_source), password=None)
        chain = _certificates(_pem_bytes(cert_source))
        extra = _certificates(_pem_bytes(extra_trust)) if extra_trust else []
    except (ValueError, TypeError) as exc:
        raise SigningConfigError(f"Clé ou certificat de signature illisible : {exc}") from exc
    if not chain:
        raise SigningConfigError("SIGNING_CERT ne contient aucun certificat.")
    leaf = chain[0]
    key_info = asn1_keys.PrivateKeyInfo.load(private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    signer = _ParsedKeySigner(private_key, signing_cert=leaf, signing_key=key_info,
                              cert_registry=SimpleCertificateStore.from_certs(chain))
    certificate = x509.load_der_x509_certificate(leaf.dump())
    # The chain's root if there is one, else the signing certificate itself.
    trust_roots = tuple(chain[1:] or chain[:1]) + tuple(extra)
    return SigningIdentity(signer=signer, certificate=certificate, trust_roots=trust_roots,
                           development=keys.is_development(certificate))


def outside_event_loop(function, *args, **kwargs):
    """pyHanko runs its own event loop; under a caller's running loop (Playwright's sync API,
    an async server) it must run in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        running = False
    else:
        running = True
    if not running:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def timestamper() -> HTTPTimeStamper | None:
    url = current_app.config.get("TSA_URL")
    return HTTPTimeStamper(url, timeout=current_app.config.get("TSA_TIMEOUT", 10)) if url else None


def sign(pdf: bytes, identity: SigningIdentity, *, number: str, box: tuple[int, int, int, int],
         tsa: HTTPTimeStamper | None = None, document: str = "Attestation") -> bytes:
    """PAdES B-B (B-T with a time-stamping authority) with a visible field on page 1;
    `document` names what is signed in the signature's reason (« Attestation CFA-… »)."""
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=f"{document} {number} – Charte du faire alliance", location="France",
        name=keys.ORGANISATION)
    pdf_signer = signers.PdfSigner(
        meta, identity.signer, timestamper=tsa, stamp_style=STAMP_STYLE,
        new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=0, box=box))
    output = outside_event_loop(
        pdf_signer.sign_pdf, IncrementalPdfFileWriter(BytesIO(pdf)),
        bytes_reserved=BYTES_RESERVED_WITH_TIMESTAMP if tsa else BYTES_RESERVED)
    return output.getvalue()
