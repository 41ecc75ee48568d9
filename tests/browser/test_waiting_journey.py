"""Everyone lands on what waits for them, in Chromium through real CSRF: a member's list on
/espace/ and one item acted on; a moderator's queue, a signature's file, the approval and its
confirmation. axe-core on each page, a screenshot of each."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from charter_service.accounts.models import Role
from charter_service.commitments import partners
from charter_service.commitments.progress import local_today
from charter_service.commitments.reporting import add_months
from charter_service.db_types import utcnow
from charter_service.extensions import db
from charter_service.signatures.models import Signature, SignatureStatus
from charter_service.signatures.workflow import Transition

from ..commitments.helpers import Signatories, add_commitment

pytestmark = pytest.mark.browser
S = SignatureStatus


def _log_in(page, email: str, password: str, landing: str) -> None:
    page.goto("/compte/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    with page.expect_navigation(url=lambda url: urlsplit(url).path == landing):
        page.get_by_role("button", name="Se connecter").click()


def test_a_member_finds_what_waits_and_acts_on_it(make, page, axe, screenshot):
    version = make.version(principles=3)
    signatories = Signatories(make, version)
    alpha = signatories.new(name="Alpha Coopérative")
    # An association reports every two years: its report was due ten days ago (« en retard »).
    approved = add_months(local_today(), -24) - timedelta(days=10)
    beta = signatories.new(name="Béta Solidaire",
                           decided_at=datetime(approved.year, approved.month, approved.day, 12,
                                               tzinfo=UTC))
    partners.invite_partner(add_commitment(alpha, title="Achats locaux"), beta.id, alpha.owner)
    other = make.organisation(owner=beta.owner, name="Les Jardins de Béta")
    make.signature(other, version, status=S.CHANGES_REQUESTED,
                   reason="Indiquez le numéro RNA de l’association.")
    db.session.commit()

    _log_in(page, beta.owner.email, make.password, "/espace/")
    waiting = page.locator("#ce-qui-vous-attend + ul")
    expect(waiting.locator("li")).to_have_count(3)
    expect(waiting.locator("li").first).to_contain_text("en retard")  # a missed deadline first
    expect(waiting).to_contain_text("Indiquez le numéro RNA")
    screenshot(page, "espace-ce-qui-vous-attend")
    axe(page)

    page.get_by_role("link", name="Lire l’engagement et répondre").click()
    page.get_by_role("button", name="Confirmer le partenariat").click()
    page.goto("/espace/")
    expect(waiting.locator("li")).to_have_count(2)
    expect(waiting).not_to_contain_text("Achats locaux")


def test_a_moderator_lands_on_the_queue_and_approves_with_confirmation(make, page, axe,
                                                                      screenshot):
    version = make.version(number=1)
    for _ in range(3):  # decided two days after signing: the usual delay
        decided = make.signature(make.organisation(), version)
        decided.signed_at = utcnow() - timedelta(days=3)
        make.decide(decided, Transition.APPROVE, at=utcnow() - timedelta(days=1))
    owner = make.user("presidente@jardins.example.org", full_name="Paule Présidente")
    jardins = make.organisation(owner=owner, name="Les Jardins Partagés de Lyon",
                                siren="732829320")
    signature = make.signature(jardins, version)
    signature.signed_at = utcnow() - timedelta(days=4)
    fresh = make.signature(make.organisation(name="Ludothèque Pièces & Pions"), version)
    fresh.signed_at = utcnow() - timedelta(hours=3)
    moderator = make.user("mona@example.org", role=Role.MODERATOR, full_name="Mona Modératrice")
    db.session.commit()

    _log_in(page, moderator.email, make.password, "/moderation/")
    main = page.locator("main")
    expect(main).to_contain_text("en attente depuis 4 jours")
    expect(main).to_contain_text("au-delà du délai habituel")
    expect(main).to_contain_text("en attente depuis 3 h")
    screenshot(page, "moderation-file-attente")
    axe(page)

    page.get_by_role("link", name="Les Jardins Partagés de Lyon").click()
    expect(page.locator("h2").first).to_have_text("Organisation")
    screenshot(page, "moderation-signature-faits-puis-decision")
    axe(page)

    page.get_by_role("button", name="Approuver la signature").click()
    expect(page.locator("h1")).to_have_text(
        re.compile("Approuver la signature de « Les Jardins Partagés de Lyon » ?"))
    expect(main).to_contain_text("Dominique Durand, Présidente")
    screenshot(page, "moderation-confirmer-approbation")
    axe(page)
    db.session.expire_all()
    assert db.session.get(Signature, signature.id).status == S.PENDING

    with page.expect_navigation(url=lambda url: urlsplit(url).path == "/moderation/"):
        page.get_by_role("button", name="Confirmer l’approbation").click()
    expect(page.locator(".flash-success")).to_contain_text("est approuvée")
    db.session.expire_all()
    assert db.session.get(Signature, signature.id).status == S.APPROVED
