"""A whole annual report in Chromium through real CSRF: from the waiting item on /espace/,
open the draft, fill two sections (saved by the script), preview, submit, and the public page
shows the progress. axe-core on each new page."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from charter_service.commitments.progress import local_today
from charter_service.commitments.reporting import add_months
from charter_service.extensions import db

from ..commitments.helpers import Signatories, add_commitment

pytestmark = pytest.mark.browser


def _log_in(page, email: str, password: str, landing: str) -> None:
    page.goto("/compte/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    with page.expect_navigation(url=lambda url: urlsplit(url).path == landing):
        page.get_by_role("button", name="Se connecter").click()


def test_a_member_writes_previews_and_submits_the_annual_report(make, page, axe, screenshot):
    version = make.version(principles=3)
    # An association reports every two years: its report was due ten days ago.
    approved = add_months(local_today(), -24) - timedelta(days=10)
    alpha = Signatories(make, version).new(
        name="Alpha Coopérative",
        decided_at=datetime(approved.year, approved.month, approved.day, 12, tzinfo=UTC))
    add_commitment(alpha, title="Cantine bio", indicators=(("Repas servis", "repas", 5000),))
    add_commitment(alpha, title="Vélos de service", indicators=())
    db.session.commit()
    year = local_today().year

    _log_in(page, alpha.owner.email, make.password, "/espace/")
    page.get_by_role("link", name="Rédiger le bilan annuel").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Bilan annuel {year}")
    axe(page)
    page.get_by_role("button", name=f"Commencer le bilan {year}").click()

    meals = page.locator("section", has=page.get_by_role("heading", name="Cantine bio"))
    meals.get_by_label("Ce qui a été fait cette année").fill("Nous servons 4 200 repas bio.")
    meals.get_by_label("Valeur atteinte : Repas servis (repas)").fill("4 200")
    meals.get_by_role("button", name="Enregistrer cette section").click()
    expect(meals.locator(".save-status")).to_have_text("Section enregistrée.")
    bikes = page.locator("section", has=page.get_by_role("heading", name="Vélos de service"))
    bikes.get_by_label("Ce qui a été fait cette année").fill("Six vélos prêtés aux agents.")
    bikes.get_by_label("État de l’engagement").select_option("in_progress")
    bikes.get_by_role("button", name="Enregistrer cette section").click()
    expect(bikes.locator(".save-status")).to_have_text("Section enregistrée.")
    screenshot(page, "bilan-annuel-brouillon")
    axe(page)

    page.reload()  # saved on the server, not only in the page
    expect(meals.get_by_label("Ce qui a été fait cette année")).to_have_value(
        "Nous servons 4 200 repas bio.")

    page.get_by_role("link", name="Relire l’aperçu avant de déposer").click()
    expect(page.locator("main")).to_contain_text("Six vélos prêtés aux agents.")
    expect(page.locator("main")).to_contain_text("4200 repas")
    screenshot(page, "bilan-annuel-apercu")
    axe(page)
    page.get_by_label("J’ai relu le bilan").check()
    page.get_by_role("button", name=f"Déposer le bilan {year}").click()
    expect(page.locator("body")).to_contain_text(f"Le bilan {year} est déposé.")
    expect(page.locator("main")).to_contain_text("Déposé le")
    axe(page)

    page.goto(f"/organisations/{alpha.organisation.slug}")
    expect(page.locator("main")).to_contain_text("Nous servons 4 200 repas bio.")
    expect(page.locator("main")).to_contain_text("Six vélos prêtés aux agents.")
