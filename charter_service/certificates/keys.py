"""The development signing pair: a private CA and a signing certificate under instance/signing/.

Attestations signed with it say so on the page; production configures SIGNING_KEY/SIGNING_CERT.
"""

import os
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ORGANISATION = "Fondation des Territoires"
DEV_MARKER = "Clé de développement – sans valeur officielle"
CA_FILE, KEY_FILE, CERT_FILE = "ca-cert.pem", "signing-key.pem", "signing-cert.pem"

_KEY_USAGE_FALSE = dict(key_encipherment=False, data_encipherment=False, key_agreement=False,
                        encipher_only=False, decipher_only=False)


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def name(common_name: str, unit: str = DEV_MARKER) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def make_certificate(subject: x509.Name, public_key, issuer: x509.Name, issuer_key, *,
                     ca: bool = False, extended_key_usage=None,
                     lifetime: timedelta = timedelta(days=3650)) -> x509.Certificate:
    """A certificate for a CA (cert signing) or an end entity (signature + non-repudiation,
    which pyHanko requires of a document signer by default)."""
    now = datetime.now(UTC)
    usage = dict(digital_signature=not ca, content_commitment=not ca, key_cert_sign=ca,
                 crl_sign=ca, **_KEY_USAGE_FALSE)
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
        .public_key(public_key).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + lifetime)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(x509.KeyUsage(**usage), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            issuer_key.public_key()), critical=False)
    )
    if extended_key_usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(extended_key_usage), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def is_development(certificate: x509.Certificate) -> bool:
    units = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    return any(unit.value == DEV_MARKER for unit in units)


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _write_pair(directory: Path) -> None:
    ca_key, key = new_key(), new_key()
    ca_name = name(f"{ORGANISATION} – autorité de développement")
    ca = make_certificate(ca_name, ca_key.public_key(), ca_name, ca_key, ca=True,
                          lifetime=timedelta(days=7300))
    leaf = make_certificate(name(f"{ORGANISATION} – signature des attestations"),
                            key.public_key(), ca_name, ca_key)
    (directory / CA_FILE).write_bytes(_pem(ca))
    # The signing certificate followed by its chain: what SIGNING_CERT expects.
    (directory / CERT_FILE).write_bytes(_pem(leaf) + _pem(ca))
    fd = os.open(directory / KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))


def generate(directory: Path, *, force: bool = False) -> bool:
    """Write a new development pair into `directory`; False if one is there and not forced.

    Written in a sibling folder then renamed, so concurrent workers never see half a pair.
    """
    directory = Path(directory)
    if (directory / KEY_FILE).exists() and not force:
        return False
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".signing-", dir=directory.parent))
    try:
        _write_pair(staging)
        if force and directory.exists():
            shutil.rmtree(directory)
        try:
            staging.rename(directory)
        except OSError:
            if not (directory / KEY_FILE).exists():
                raise
            return False  # another process won the race: its pair is as good as ours
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return True
