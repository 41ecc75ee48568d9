"""An approval issues a signed, stored attestation that states the facts."""

import json
import re
from datetime import UTC, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from charter_service.audit.models import AuditEntry
from charter_service.audit.services import verify as verify_audit
from charter_service.certificates import keys, services
from charter_service.certificates.models import Certificate, CertificateStatus
from charter_service.extensions import db

from .conftest import pdf_text, sha256, validate


@pytest.mark.real_pdf
def test_approval_issues_an_attestation_that_states_the_facts(certificate, signing_dir):
    year = datetime.now(UTC).year
    assert certificate.number == f"CFA-{year}-000001"
    assert certificate.status == CertificateStatus.VALID
    text = pdf_text(certificate.pdf)
    signature = certificate.signature
    for fact in ("Attestation de signature", "Ateliers du Rhône", "Association", "SIREN",
                 "732 829 320", "Lyon", "69 – Rhône", "Dominique Durand", "Présidente",
                 "Version 1", signature.version_sha256[:4], certificate.number,
                 f"https://charte.example.org/verifier/{certificate.number}",
                 "Pour la Fondation des Territoires", "clé de développement"):
        assert fact in text.replace("/\n", "/"), fact
    approved = services.public_facts(certificate)["approved_on"]
    assert re.fullmatch(r"(1er|\d{1,2}) [a-zéû]+ \d{4}", approved) and approved in text


@pytest.mark.real_pdf
def test_the_stored_pdf_is_signed_pades_with_a_visible_field(certificate, signing_dir):
    status = validate(certificate.pdf, signing_dir / keys.CA_FILE)
    assert status.bottom_line and status.intact and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    reader = PdfReader(BytesIO(certificate.pdf))
    field = reader.get_fields()["SignatureFondation"]
    assert field["/V"]["/SubFilter"] == "/ETSI.CAdES.detached"
    widget = next(a.get_object() for a in reader.pages[0]["/Annots"]
                  if a.get_object().get("/T") == "SignatureFondation")
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    assert x2 - x1 > 150 and y2 - y1 > 60


@pytest.mark.real_pdf
def test_fonts_are_embedded_and_the_file_claims_pdf_a(certificate):
    reader = PdfReader(BytesIO(certificate.pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    for font in fonts.values():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert any(key in descriptor for key in ("/FontFile2", "/FontFile3")), descriptor
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "pdfaid:part" in metadata


def test_the_attestation_is_stored_with_its_hash_and_its_data(certificate):
    assert certificate.sha256 == sha256(certificate.pdf)
    data = json.loads(certificate.rendered_from)
    assert data["number"] == certificate.number
    assert data["organisation"]["name"] == "Ateliers du Rhône"
    signed_on = data["signatory"].pop("signed_on")
    assert re.fullmatch(r"(1er|\d{1,2}) [a-zéû]+ \d{4}", signed_on)
    assert data["signatory"] == {"name": "Dominique Durand", "function": "Présidente",
                                 "identification": "titulaire du compte", "prepared_by": ""}
    assert certificate.signed_with_dev_key


def test_issuing_is_audited_in_the_same_chain(certificate):
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "certificate.issue")).one()
    assert entry.object_id == str(certificate.id)
    assert json.loads(entry.after)["number"] == certificate.number
    assert verify_audit().ok


def test_numbers_are_sequential_within_a_year_and_restart_each_year(app, make, approve,
                                                                    moderator, version):
    first = approve(make.organisation(owner=make.user()))
    second = approve(make.organisation(owner=make.user()))
    assert (first.serial, second.serial) == (1, 2)
    signature = make.signature(make.organisation(owner=make.user()), version)
    old = services.issue(signature, actor=moderator,
                         issued_at=datetime(2030, 12, 31, 23, 30, tzinfo=UTC))
    db.session.commit()
    # 23:30 UTC on 31 December is already the new year in Paris.
    assert old.number == "CFA-2031-000001"


def test_the_database_refuses_a_duplicate_number(certificate):
    duplicate = Certificate(
        number=certificate.number, signature_id=certificate.signature_id, year=2099, serial=5,
        status=CertificateStatus.REVOKED, issued_at=certificate.issued_at,
        revoked_at=certificate.issued_at, pdf=b"%PDF-", sha256="0" * 64, rendered_from="{}",
        signed_with_dev_key=True)
    db.session.add(duplicate)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
