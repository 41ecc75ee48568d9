"""In Chromium: a moderator records a signature received by council deliberation, with its PDF
proof → it waits in the queue with its « reçue hors ligne » badge → approved → the attestation
names the channel; axe-core on the new page."""

import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfWriter
from sqlalchemy import select

from charter_service.accounts.models import Role
from charter_service.certificates.models import Certificate
from charter_service.dates import local_date
from charter_service.db_types import utcnow
from charter_service.extensions import db

from ..conftest import require
from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.real_pdf]


@pytest.fixture
def app_config(smtp_app_config, live_port, signing_pair_config):
    return {**smtp_app_config, "WTF_CSRF_ENABLED": True,
            "SERVER_NAME": f"127.0.0.1:{live_port}",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{live_port}", **signing_pair_config}


def _proof(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "deliberation-conseil.pdf"
    with path.open("wb") as out:
        writer.write(out)
    return path


def _fill(page, tmp_path, signed_on):
    page.get_by_label("Nouvelle organisation (à créer ci-dessous)").check()
    page.get_by_label("Nom de l’organisation").fill("Commune de Papier-sur-Loire")
    page.get_by_label("Type d’organisation").select_option("collectivite")
    page.get_by_label("SIREN ou SIRET").fill("213 100 035")
    page.get_by_label("Adresse", exact=True).fill("1 place de la Mairie")
    page.get_by_label("Code postal").fill("69001")
    page.get_by_label("Commune").fill("Lyon")
    page.get_by_label("Département").select_option("69")
    page.get_by_label("délibération du conseil").check()
    page.get_by_label("Date de la signature").fill(signed_on.isoformat())
    page.get_by_label("Nom et prénom de la personne signataire").fill("Jeanne Martin")
    page.get_by_label("Fonction").fill("Maire")
    page.get_by_label("Justificatif numérisé (PDF)").set_input_files(str(_proof(tmp_path)))
    page.get_by_label("Adresses e-mail des futurs responsables du compte").fill(
        "secretariat@papier.example.org")


def test_a_moderator_records_a_paper_signature_and_the_attestation_names_the_channel(
        app, make, page, live_server, smtp_server, axe, screenshot, tmp_path):
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    version = make.version(principles=3)
    version.published_at = utcnow() - timedelta(days=60)
    db.session.commit()
    moderator = make.user("moderatrice@fondation.example.org", role=Role.MODERATOR,
                          full_name="Mona Modératrice")
    page.goto("/compte/connexion")
    page.get_by_label("Adresse e-mail").fill(moderator.email)
    page.get_by_label("Mot de passe").fill(make.password)
    page.get_by_role("button", name="Se connecter").click()
    page.goto("/moderation/")
    page.get_by_role("link", name="Enregistrer une signature reçue hors ligne").click()
    expect(page.locator("h1")).to_contain_text("Enregistrer une signature reçue hors ligne")
    _fill(page, tmp_path, local_date(utcnow()) - timedelta(days=10))
    screenshot(page, "papier-formulaire")
    axe(page)
    page.get_by_role("button", name="Enregistrer la signature").click()
    expect(page.locator("main")).to_contain_text("reçue hors ligne : délibération du conseil")
    invitation = smtp_server.wait_for(1)
    assert any("secretariat@papier.example.org" in str(m["To"]) for m in invitation)

    page.goto("/moderation/")
    expect(page.locator("main")).to_contain_text("reçue hors ligne : délibération du conseil")
    screenshot(page, "papier-file-de-moderation")
    axe(page)
    page.get_by_role("link", name=re.compile("Commune de Papier-sur-Loire")).first.click()
    screenshot(page, "papier-dossier")
    page.get_by_role("button", name="Approuver la signature").click()
    page.get_by_role("button", name="Confirmer l’approbation").click()
    expect(page.locator("main")).to_contain_text("est approuvée")

    db.session.expire_all()
    certificate = db.session.scalars(select(Certificate)).one()
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=certificate.pdf,
                                   capture_output=True, check=True).stdout.decode().split())
    assert "Jeanne Martin" in text and "Maire" in text
    assert "(signature reçue par délibération du conseil)" in text
    if shutil.which("pdftoppm"):  # for people to look at, beside the screenshots
        SCREENSHOTS.mkdir(exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", "-",
                        str(SCREENSHOTS / "papier-attestation")], input=certificate.pdf,
                       check=True)
