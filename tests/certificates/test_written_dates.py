"""One date format per language: « 1er décembre 2026 » in French on pages, e-mails and the
attestation PDF, « 1 December 2026 » in English, never a French month on an English page."""

import re
import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest

from charter_service.dates import MONTHS, written_date, written_datetime
from charter_service.extensions import db
from charter_service.signatures.models import SignatureStatus
from charter_service.signatures.services import send_receipt

from ..conftest import require
from .conftest import only_valid

FIRST_OF_DECEMBER = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
FRENCH_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")


@pytest.fixture
def app_config(signing_config, smtp_app_config):
    return signing_config | smtp_app_config


@pytest.mark.parametrize("value,locale,expected", [
    (date(2026, 12, 1), "fr", "1er décembre 2026"),
    (date(2026, 12, 2), "fr", "2 décembre 2026"),
    (date(2026, 12, 1), "en", "1 December 2026"),
    (date(2026, 3, 21), "en", "21 March 2026"),
    # 23:30 UTC on 30 November is already the first of December in Paris.
    (datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "fr", "1er décembre 2026"),
])
def test_one_written_date_per_language(app, value, locale, expected):
    assert written_date(value, locale) == expected


def test_a_moment_is_its_day_and_time_in_paris(app):
    moment = datetime(2026, 7, 1, 7, 5, tzinfo=UTC)
    assert written_datetime(moment, "fr") == "1er juillet 2026 à 09:05"
    assert written_datetime(moment, "en") == "1 July 2026, 09:05"


@pytest.mark.real_pdf
def test_an_attestation_of_the_first_reads_1er_and_english_has_no_french_month(
        client, make, organisation, version):
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    signature = make.signature(organisation, version, status=SignatureStatus.APPROVED,
                               decided_at=FIRST_OF_DECEMBER)
    certificate = only_valid(signature)
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=certificate.pdf,
                                   capture_output=True, check=True).stdout.decode().split())
    assert "1er décembre 2026" in text

    french = client.get(f"/verifier/{certificate.number}").get_data(as_text=True)
    assert "1er décembre 2026" in french and "1 décembre" not in french
    english = client.get(f"/verifier/{certificate.number}?lang=en").get_data(as_text=True)
    assert 'lang="en"' in english and "1 December 2026" in english
    assert not FRENCH_MONTH.search(english.split("<main", 1)[1].split("</main>")[0])


def test_the_receipt_email_of_the_first_reads_1er(app, make, organisation, version, smtp_server):
    signature = make.signature(organisation, version)
    signature.signed_at = FIRST_OF_DECEMBER
    with app.test_request_context():
        send_receipt(signature, "fr")
        db.session.commit()
    [mail] = smtp_server.wait_for(1)
    assert "enregistrée le 1er décembre 2026." in " ".join(mail.get_content().split())
