import hashlib
from io import BytesIO

import pytest
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from charter_service.accounts.models import Role
from charter_service.certificates.models import Certificate
from charter_service.certificates.signing import outside_event_loop
from charter_service.extensions import db
from charter_service.signatures.workflow import Transition, apply


@pytest.fixture
def signing_dir(signing_pair):
    return signing_pair


@pytest.fixture
def signing_config(signing_pair_config):
    return {**signing_pair_config, "PUBLIC_BASE_URL": "https://charte.example.org"}


@pytest.fixture
def app_config(signing_config):
    return signing_config


@pytest.fixture
def moderator(make):
    return make.user(role=Role.MODERATOR, full_name="Morgane Modératrice")


@pytest.fixture
def version(make):
    return make.version()


@pytest.fixture
def owner(make):
    return make.user()


@pytest.fixture
def organisation(make, owner):
    return make.organisation(owner=owner, name="Ateliers du Rhône", siren="732829320")


@pytest.fixture
def approve(make, moderator, version):
    """Approve a new signature of `organisation` and return its attestation."""
    def _approve(organisation):
        signature = make.signature(organisation, version)
        apply(signature, Transition.APPROVE, actor=moderator)
        db.session.commit()
        return only_valid(signature)
    return _approve


@pytest.fixture
def certificate(approve, organisation):
    return approve(organisation)


def only_valid(signature) -> Certificate:
    return db.session.scalars(db.select(Certificate).where(
        Certificate.signature_id == signature.id, Certificate.status == "valid")).one()


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def validate(pdf: bytes, ca_file, *, ts_roots=()):
    """pyHanko's own verdict, trusting only the given CA (and TSA roots)."""
    roots = [load_cert_from_pemder(str(ca_file))]
    signature = PdfFileReader(BytesIO(pdf)).embedded_signatures[0]
    context = ValidationContext(trust_roots=roots + list(ts_roots), allow_fetching=False)
    # Playwright's sync API (browser tests) leaves an event loop running in this thread.
    return outside_event_loop(validate_pdf_signature, signature, context)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
