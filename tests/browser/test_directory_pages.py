"""The commitments directory in Chromium: from the charter's « N engagements publics » to the
filtered directory, a search, then a narrow screen; axe-core on each page."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output


def test_from_the_charter_to_the_filtered_directory(demo, page, axe, screenshot):
    page.goto("/charte")
    link = page.locator(".principle-commitments a").first
    expected = link.inner_text()
    link.click()
    expect(page.locator("h1")).to_have_text("Engagements publics")
    expect(page.locator("#resultats")).to_have_text(expected)
    assert page.locator("#f-principe").input_value()
    axe(page)

    page.goto("/engagements")
    expect(page.get_by_role("link", name="Les engagements")).to_have_attribute(
        "aria-current", "page")
    rows = page.locator(".directory-entry")
    assert rows.count() > 0
    screenshot(page, "engagements")
    title = rows.first.locator("h3").inner_text()
    page.get_by_label("Titre, description, organisation ou partenaire").fill(title.upper())
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator(".directory-entry h3").first).to_have_text(title)
    axe(page)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/engagements?conjoint=non")
    screenshot(page, "engagements-390px")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe(page)
