"""Record a commitment through the form in Chromium, report progress, read the public page;
axe-core on each page (no serious or critical violation)."""

import pytest
from playwright.sync_api import expect

from charter_service.signatures.models import SignatureStatus

pytestmark = pytest.mark.browser


def test_record_a_commitment_and_read_it_on_the_public_page(make, page, axe, screenshot,
                                                            sign_in):
    version = make.version(principles=3)
    owner = make.user("responsable@example.org", full_name="Claire Responsable")
    organisation = make.organisation(owner=owner, name="Régie Rhône Solidaire")
    make.signature(organisation, version, status=SignatureStatus.APPROVED)
    sign_in(page, owner)
    page.goto(f"/espace/organisations/{organisation.id}/engagements")
    axe(page)
    page.get_by_role("link", name="Nouvel engagement").click()
    main = page.locator("main")
    main.get_by_label("Titre de l’engagement").fill("Cantine locale et bio")
    main.get_by_label("Description").fill("Servir chaque jour des repas issus du territoire.")
    main.get_by_label("Date de début").fill("2025-09-01")
    main.get_by_label("Date de fin (facultative)").fill("2025-06-30")
    main.get_by_role("button", name="Enregistrer l’engagement").click()
    expect(page.locator(".error-summary")).to_contain_text("Choisissez au moins un principe")
    expect(page.locator(".error-summary")).to_contain_text("La date de fin doit être égale")
    expect(main.get_by_label("Titre de l’engagement")).to_have_value("Cantine locale et bio")
    screenshot(page, "engagement-formulaire-erreurs")
    axe(page)

    main.get_by_label("P1 — Principe 1").check()
    main.get_by_label("Catégorie").select_option("pratiques_responsables")
    main.get_by_label("12. Consommation et production responsables").check()
    # Ticking a goal opens its targets; the other goals' targets stay out of the way.
    expect(main.locator('.sdg-target-group[data-goal="3"]')).to_be_hidden()
    main.get_by_label("12.5 D’ici à 2030, réduire nettement").check()
    main.get_by_label("Environnemental", exact=True).check()
    main.get_by_label("Échelle territoriale").select_option("local")
    main.get_by_label("Date de fin (facultative)").fill("2026-06-30")
    main.locator("#indicators-0-name").fill("Part de produits locaux")
    main.locator("#indicators-0-unit").fill("%")
    main.locator("#indicators-0-target").fill("60")
    main.locator("#resources-0-kind").select_option("budget")
    main.locator("#resources-0-amount").fill("12 500")
    main.locator("#resources-1-kind").select_option("volunteers")
    main.locator("#resources-1-amount").fill("8")
    main.locator("#deliverables-0").fill("Un plan d’approvisionnement local")
    main.get_by_label("Date cible des livrables (facultative)").fill("2026-03-31")
    screenshot(page, "engagement-formulaire-moyens")
    main.get_by_role("button", name="Enregistrer l’engagement").click()
    expect(page.locator("h1")).to_have_text("Cantine locale et bio")
    expect(main).to_contain_text("Consommation et production responsables")
    expect(main.locator("table.resources")).to_contain_text("12\u202f500\u00a0€")
    expect(main.locator(".sdg-targets")).to_contain_text("Cible 12.5")
    expect(main.locator('[data-criterion="resourced"]')).to_contain_text("oui")
    screenshot(page, "engagement-moyens-et-completude")
    axe(page)

    main.get_by_role("link", name="Ajouter un avancement").click()
    main.get_by_label("Ce qui a été fait").fill("Six mois de menus avec 35 % de produits locaux.")
    main.get_by_label("Valeur atteinte : Part de produits locaux (%)").fill("35,5")
    axe(page)
    main.get_by_role("button", name="Enregistrer l’avancement").click()
    expect(main).to_contain_text("L’avancement est enregistré.")

    main.get_by_role("link", name="Partenaires").click()
    main.get_by_label("Nom de l’organisation").fill("Rhône")
    main.get_by_role("button", name="Rechercher").click()
    expect(main).to_contain_text("Aucune organisation signataire ne correspond")
    axe(page)

    page.goto(f"/organisations/{organisation.slug}")
    expect(page.locator("h1")).to_have_text("Régie Rhône Solidaire")
    expect(page.locator("main h4")).to_have_text("Cantine locale et bio")
    expect(page.locator("main")).to_contain_text("35,5 %")
    expect(page.locator("main")).to_contain_text("Six mois de menus")
    screenshot(page, "organisation-page-publique")
    axe(page)
