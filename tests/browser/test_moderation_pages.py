"""The moderation pages in Chromium, through real CSRF: no serious axe-core violation, and a
decision taken with the page's own form."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from charter_service.accounts.models import Role
from charter_service.audit import services as audit
from charter_service.extensions import db
from charter_service.organisations.models import Organisation
from charter_service.signatures.models import Signature, SignatureStatus

pytestmark = pytest.mark.browser


@pytest.fixture
def moderator_page(make, page, sign_in):
    """A queue with warnings, a moderator logged in, and one journal entry with a message."""
    version = make.version(number=1)
    owner = make.user("presidente@jardins.example.org", full_name="Paule Présidente")
    jardins = make.organisation(owner=owner, name="Les Jardins Partagés de Lyon")
    make.organisation(name="Jardins partages de Lyon", rna="W691000001")
    make.signature(jardins, version)
    make.signature(make.organisation(name="Fournil Varellu", siren="552100554"), version,
                   status=SignatureStatus.APPROVED)
    make.signature(make.organisation(name="Ludothèque Pièces & Pions", siren="123456789"),
                   version, status=SignatureStatus.CHANGES_REQUESTED)
    moderator = make.user("mona@example.org", role=Role.MODERATOR, full_name="Mona Modératrice")
    audit.record("signature.reject", "signature", 1, actor=moderator, before={}, after={},
                 reason="doublon", personal={"message": "Déjà signée."})
    db.session.commit()
    return sign_in(page, moderator)


def _first(status):
    return db.session.scalar(select(Signature.id).where(Signature.status == status)
                             .order_by(Signature.id).limit(1))


def test_moderation_pages_pass_axe(moderator_page, axe, screenshot):
    page = moderator_page
    organisations = db.session.scalars(select(Organisation.id).order_by(Organisation.id)
                                       .limit(2)).all()
    pages = [
        ("/moderation/", "File de modération"),
        ("/moderation/?type=inconnu", "File de modération"),
        (f"/moderation/signatures/{_first(SignatureStatus.PENDING)}", None),
        (f"/moderation/signatures/{_first(SignatureStatus.APPROVED)}", None),
        (f"/moderation/organisations/fusion?a={organisations[0]}&b={organisations[1]}",
         "Fusionner deux organisations"),
        ("/moderation/journal", "Journal de modération"),
        ("/moderation/journal?du=2026-05-02&au=2026-05-01", "Journal de modération"),
        ("/moderation/journal/integrite", "Intégrité du journal"),
        ("/moderation/preferences", "Mes notifications de modération"),
        ("/transparence", "Transparence de la modération"),
    ]
    for n, (path, heading) in enumerate(pages):
        response = page.goto(path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1
        if heading:
            expect(page.locator("h1")).to_have_text(heading)
        screenshot(page, f"moderation-{n:02d}-" + urlsplit(path).path.strip("/").replace("/", "-"))
        axe(page)


def test_a_decision_through_the_page_with_its_errors(moderator_page, axe, screenshot):
    page = moderator_page
    signature_id = _first(SignatureStatus.PENDING)
    page.goto(f"/moderation/signatures/{signature_id}")

    page.get_by_role("button", name="Refuser la signature").click()
    expect(page.locator("#refuser-code-error")).to_contain_text("Choisissez un motif de refus")
    screenshot(page, "moderation-reject-errors")
    axe(page)

    page.get_by_label("Motif du refus").select_option("doublon")
    page.get_by_label("Explication pour l’organisation").fill("Déjà signée sous un autre nom.")
    with page.expect_navigation(url=lambda url: urlsplit(url).path == "/moderation/"):
        page.get_by_role("button", name="Refuser la signature").click()
    expect(page.locator(".flash-success")).to_contain_text("est refusée")
    db.session.expire_all()
    assert db.session.get(Signature, signature_id).status == SignatureStatus.REJECTED


def test_the_transparency_page_for_visitors(app, page, axe):
    response = page.goto("/transparence")
    assert response.status == 200
    assert page.locator("table caption").count() == 1
    axe(page)
