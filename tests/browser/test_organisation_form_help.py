"""In Chromium: the postcode proposes the département, the région narrows the list; axe on the
form in French and English; the register's sort labels fit their select at 390 and 1280 px."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Text wider than the select's content box (less ~20 px for Chromium's arrow) is cut.
OPTIONS_FIT = """(select) => {
  const style = getComputedStyle(select);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = select.clientWidth - parseFloat(style.paddingLeft)
    - parseFloat(style.paddingRight) - 20;
  return [...select.options].every(option => context.measureText(option.text).width <= room);
}"""


def test_postcode_proposes_the_departement_and_the_region_narrows_the_list(
        make, page, axe, screenshot, sign_in):
    sign_in(page, make.user("responsable@example.org"))
    page.goto("/espace/organisations/nouvelle")
    departement, region = page.locator("#departement"), page.locator("#region")
    expect(departement.locator("option")).to_have_count(102)

    page.get_by_label("Code postal").fill("20200")
    expect(departement).to_have_value("2B")
    expect(region).to_have_value("94")
    expect(page.locator("#departement-status")).to_contain_text("2B – Haute-Corse")
    expect(departement.locator("option")).to_have_count(3)

    region.select_option("53")
    expect(departement).to_have_value("")
    assert departement.locator("option").all_text_contents() == [
        "Choisissez un département", "22 – Côtes-d'Armor", "29 – Finistère",
        "35 – Ille-et-Vilaine", "56 – Morbihan"]

    page.get_by_label("Code postal").fill("97110")
    expect(departement).to_have_value("971")
    expect(region).to_have_value("01")
    page.get_by_label("Site web").fill("www.exemple.fr")
    screenshot(page, "organisation-formulaire-fr")
    axe(page)

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert urlsplit(page.url).path == "/espace/organisations/nouvelle"
    screenshot(page, "organisation-formulaire-en")
    axe(page)


def test_the_charter_in_english_and_the_register_sort_labels(make, page, axe, screenshot):
    make.version(principles=4)
    page.goto("/charte?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".preamble[lang=fr]")).to_have_count(1)
    expect(page.locator(".french-only")).to_have_count(1)
    screenshot(page, "charte-en")
    axe(page)

    page.goto("/registre?tri=date&lang=fr")
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.locator("#f-tri").evaluate(OPTIONS_FIT), width
        screenshot(page, f"registre-tri-{width}")
