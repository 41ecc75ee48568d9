"""The administration pages in Chromium, through real CSRF: no serious axe-core violation."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from charter_service.accounts.models import Role
from charter_service.charters.models import VersionStatus
from charter_service.extensions import db

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_session(make, page, sign_in):
    make.version(number=1)
    draft = make.version(number=2, status=VersionStatus.DRAFT)
    draft.principles[1].text = "Texte <em>révisé</em> du principe 2."
    draft.principles.pop()
    db.session.commit()
    make.user("moderatrice@example.org", role=Role.MODERATOR)
    admin = make.user("admin@example.org", role=Role.ADMIN, full_name="Alix Admin")
    return sign_in(page, admin)


@pytest.mark.parametrize(("path", "heading"), [
    ("/admin/charte", "Versions de la charte"),
    ("/admin/roles?email=example", "Rôles des comptes"),
    ("/admin/charte/diff?de=1&a=2", "Différences entre les versions 1 et 2"),
    ("/admin/charte/nouvelle-version", "Nouvelle version de la charte"),
    ("/admin/charte/v/2", "Brouillon de la version 2"),
    ("/admin/charte/v/2/publier", "Publier la version 2 ?"),
])
def test_admin_page_passes_axe(admin_session, axe, screenshot, path, heading):
    page = admin_session
    response = page.goto(path)
    assert response.status == 200
    expect(page.locator("h1")).to_have_text(heading)
    screenshot(page, "admin" + urlsplit(path).path.replace("/admin", "").replace("/", "-"))
    axe(page)


def test_changing_a_role_through_the_page(admin_session, axe):
    page = admin_session
    page.goto("/admin/roles")
    page.get_by_label("Nouveau rôle de moderatrice@example.org").select_option("admin")
    page.get_by_role("button", name="Enregistrer le rôle de moderatrice@example.org").click()
    expect(page.locator(".flash-success")).to_contain_text(
        "moderatrice@example.org a désormais le rôle « Administrateur·rice »")
    axe(page)
