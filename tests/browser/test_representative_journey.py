"""In Chromium: a member prepares the signature → the representative signs from the e-mailed
link without an account → a moderator approves → the attestation names the representative
and « confirmé par e-mail » → hand-over to a successor, who confirms from the e-mailed link
without an account → a new attestation names the successor, the old one is « remplacée »,
the former name is on no public page; axe-core on every new page."""

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from charter_service.accounts.models import Role
from charter_service.certificates.models import Certificate
from charter_service.extensions import db
from charter_service.signatures.models import Signature, SignatureStatus

from ..conftest import require

pytestmark = [pytest.mark.browser, pytest.mark.real_pdf]
REPRESENTATIVE = "karim.benali@asso-exemple.fr"
SUCCESSOR = "ines.garnier@asso-exemple.fr"



@pytest.fixture
def app_config(smtp_app_config, live_port, signing_pair_config):
    return {**smtp_app_config, "WTF_CSRF_ENABLED": True,
            "SERVER_NAME": f"127.0.0.1:{live_port}",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{live_port}", **signing_pair_config}


def _visit(page, axe, screenshot, name):
    screenshot(page, f"representant-{name}")
    axe(page)


def _log_in(tab, user, password):
    tab.goto("/compte/connexion")
    tab.get_by_label("Adresse e-mail").fill(user.email)
    tab.get_by_label("Mot de passe").fill(password)
    tab.get_by_role("button", name="Se connecter").click()
    expect(tab.locator("h1")).to_be_visible()


def _prepare(page, axe, screenshot, organisation):
    page.goto("/espace/")
    page.get_by_role("link", name=re.compile("Signer la charte")).first.click()
    page.get_by_role("link", name="Préparer la signature pour le représentant légal").click()
    page.get_by_label("Nom et prénom de la personne signataire").fill("Karim Benali")
    page.get_by_label("Fonction").fill("Président")
    page.get_by_label("Adresse e-mail de la personne signataire").fill(REPRESENTATIVE)
    _visit(page, axe, screenshot, "preparer")
    page.get_by_role("button", name="Envoyer la demande de signature").click()
    expect(page.locator("main")).to_contain_text("En attente de la signature de Karim Benali")
    _visit(page, axe, screenshot, "espace-en-attente")
    page.get_by_role("link", name=re.compile("Changer de représentant")).click()
    expect(page.locator("h1")).to_contain_text("Changer de représentant")
    _visit(page, axe, screenshot, "changer")
    page.get_by_role("link", name="Annuler").click()


def _context(browser, live_server):
    return browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR",
                               base_url=live_server)


def _representative_signs(browser, live_server, axe, screenshot, link, version):
    context = _context(browser, live_server)
    tab = context.new_page()
    tab.goto(link)
    expect(tab.locator("main")).to_contain_text(version.sha256())
    expect(tab.locator("main")).to_contain_text("non communicant")
    _visit(tab, axe, screenshot, "page-du-lien")
    tab.get_by_label(re.compile("J.atteste")).check()
    tab.get_by_label(re.compile("je les accepte")).check()
    tab.get_by_role("button", name="Signer la charte").click()
    expect(tab.locator("main")).to_contain_text("Votre signature au nom de")
    _visit(tab, axe, screenshot, "signee")
    tab.goto(link)
    expect(tab.locator("main")).to_contain_text("Ce lien a déjà servi")
    _visit(tab, axe, screenshot, "lien-deja-servi")
    context.close()


def _moderator_approves(browser, live_server, axe, screenshot, moderator, password):
    staff = _context(browser, live_server)
    desk = staff.new_page()
    _log_in(desk, moderator, password)
    desk.goto("/moderation/")
    expect(desk.locator("main")).to_contain_text("confirmé par e-mail")
    _visit(desk, axe, screenshot, "file-de-moderation")
    desk.get_by_role("link", name=re.compile("Association des Jardins partagés")).first.click()
    expect(desk.locator("main")).to_contain_text("Confirmé par e-mail")
    desk.get_by_role("button", name="Approuver la signature").click()
    desk.get_by_role("button", name="Confirmer l’approbation").click()
    expect(desk.locator("main")).to_contain_text("est approuvée")
    staff.close()


def test_staff_prepares_the_representative_signs_the_attestation_says_so(
        app, make, page, browser, live_server, smtp_server, axe, screenshot):
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    version = make.version(principles=4)
    owner = make.user("charge.mission@asso-exemple.fr", full_name="Lucie Morel")
    organisation = make.organisation(owner=owner, name="Association des Jardins partagés",
                                     siren="732829320")
    moderator = make.user("moderatrice@fondation.example.org", role=Role.MODERATOR)

    _log_in(page, owner, make.password)
    _prepare(page, axe, screenshot, organisation)
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == REPRESENTATIVE
    link = re.search(r"https?://\S+/signature-representant/\S+", mail.get_content()).group(0)
    db.session.expire_all()
    assert db.session.scalars(select(Signature)).one().status \
        == SignatureStatus.AWAITING_REPRESENTATIVE

    _representative_signs(browser, live_server, axe, screenshot, link, version)
    _moderator_approves(browser, live_server, axe, screenshot, moderator, make.password)

    db.session.expire_all()
    certificate = db.session.scalars(select(Certificate)).one()
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=certificate.pdf,
                                   capture_output=True, check=True).stdout.decode().split())
    assert "Karim Benali" in text and "Président" in text
    assert "(confirmé par e-mail) ; préparée par Lucie Morel" in text
    page.goto("/espace/")
    expect(page.locator("main")).to_contain_text("approuvée")

    _hand_over(page, axe, screenshot)
    mail = smtp_server.to(SUCCESSOR)
    assert len(mail) == 1
    link = re.search(r"https?://\S+/passation-representant/\S+", mail[0].get_content()).group(0)
    _successor_confirms(browser, live_server, axe, screenshot, link, version)
    db.session.expire_all()
    old, new = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
    text = _pdf_text(new.pdf)
    assert "Inès Garnier" in text and "Présidente" in text and "Karim Benali" not in text
    assert "à la suite d’une passation" in text
    _picture(new.pdf, screenshot)
    _public_pages_forget_the_former(browser, live_server, axe, screenshot, organisation, old,
                                    new)
    _moderator_sees_the_history(browser, live_server, axe, screenshot, moderator,
                                make.password)


def _pdf_text(pdf: bytes) -> str:
    return " ".join(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                                   check=True).stdout.decode().split())


def _picture(pdf: bytes, screenshot) -> None:
    """The new attestation's first page, beside the screenshots, for people to look at."""
    if shutil.which("pdftoppm") is None:
        return
    from .conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", "-",
                    str(SCREENSHOTS / "passation-attestation")], input=pdf, check=True)


def _hand_over(page, axe, screenshot):
    page.goto("/espace/")
    page.get_by_role("link", name=re.compile("Changer de représentant légal")).click()
    expect(page.locator("main")).to_contain_text("représentant actuel : Karim Benali")
    page.get_by_label("Nom et prénom de la personne signataire").fill("Inès Garnier")
    page.get_by_label("Fonction").fill("Présidente")
    page.get_by_label("Adresse e-mail de la personne signataire").fill(SUCCESSOR)
    screenshot(page, "passation-formulaire")
    axe(page)
    page.get_by_role("button", name="Envoyer la demande de passation").click()
    expect(page.locator("main")).to_contain_text("Passation en attente : Inès Garnier")
    screenshot(page, "passation-espace-en-attente")
    axe(page)


def _successor_confirms(browser, live_server, axe, screenshot, link, version):
    context = _context(browser, live_server)
    tab = context.new_page()
    tab.goto(link)
    expect(tab.locator("main")).to_contain_text(version.sha256())
    expect(tab.locator("main")).to_contain_text("non communicant")
    screenshot(tab, "passation-page-du-successeur")
    axe(tab)
    tab.get_by_label(re.compile("J.atteste")).check()
    tab.get_by_label(re.compile("je les accepte")).check()
    tab.get_by_role("button", name="Confirmer la passation").click()
    expect(tab.locator("main")).to_contain_text("Vous représentez désormais")
    axe(tab)
    context.close()


def _public_pages_forget_the_former(browser, live_server, axe, screenshot, organisation, old,
                                    new):
    context = _context(browser, live_server)
    tab = context.new_page()
    tab.goto(f"/verifier/{old.number}")
    expect(tab.locator("main")).to_contain_text("Remplacée")
    expect(tab.locator("main")).to_contain_text(new.number)
    for path in (f"/organisations/{organisation.slug}", "/registre"):
        tab.goto(path)
        expect(tab.locator("main")).to_contain_text(organisation.name)
        expect(tab.locator("body")).not_to_contain_text("Karim Benali")
    context.close()


def _moderator_sees_the_history(browser, live_server, axe, screenshot, moderator, password):
    staff = _context(browser, live_server)
    desk = staff.new_page()
    _log_in(desk, moderator, password)
    signature = db.session.scalars(select(Signature)).one()
    desk.goto(f"/moderation/signatures/{signature.id}")
    expect(desk.locator("#passation")).to_contain_text("Passation confirmée")
    expect(desk.locator("#passation")).to_contain_text("Karim Benali")
    screenshot(desk, "passation-moderation")
    axe(desk)
    staff.close()
