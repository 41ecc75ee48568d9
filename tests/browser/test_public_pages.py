import pytest

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute('href') || '',
          text: el.textContent.trim(), inNav: !!el.closest('nav'),
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
          visible: (() => { const r = el.getBoundingClientRect();
                            return r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0; })()};
}"""

PAGES = [
    ("/", 200, "Faire alliance"),
    ("/charte", 200, "Charte"),
    ("/compte/connexion", 200, "connecter"),
    ("/compte/inscription", 200, "compte"),
    ("/registre", 200, "Registre des signataires"),
    ("/registre?q=commune&type=collectivite&tri=date", 200, "Registre des signataires"),
    ("/registre/statistiques", 200, "Statistiques"),
    ("/registre/donnees", 200, "Données"),
    ("/bilans", 200, "Campagne des bilans"),
    ("/nulle-part", 404, "Page introuvable"),
]


@pytest.fixture
def demo(read_only_world):
    """The demonstration data a visitor of `make run` sees (published demo charter, signatories),
    loaded once for the module: a visitor's pages write nothing. No page here opens an
    attestation's PDF."""
    read_only_world(_load_demo)


def _load_demo(app) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("path", "status", "heading"), PAGES)
def test_public_page_passes_axe(demo, page, axe, screenshot, path, status, heading):
    response = page.goto(path)

    assert response.status == status
    h1 = page.locator("h1")
    assert h1.count() == 1
    assert heading.casefold() in h1.inner_text().casefold()
    assert page.locator("html").get_attribute("lang") == "fr"
    name = path.split("?")[0].replace("/", "-") if path != "/" else "-accueil"
    screenshot(page, "public" + name + ("-filtres" if "?" in path else ""))
    axe(page)


def test_keyboard_reaches_skip_link_then_main_navigation(demo, page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip = page.evaluate(FOCUSED)
    assert skip["href"] == "#contenu" and skip["visible"], skip
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED)["id"] == "contenu"

    page.goto("/")
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["inNav"]:
            assert focused["outline"], f"no visible focus on {focused}"
            reached.append(focused["href"])
    for target in ("/charte", "/compte/connexion", "/compte/inscription"):
        assert any(href.split("?")[0].rstrip("/") == target for href in reached), reached
