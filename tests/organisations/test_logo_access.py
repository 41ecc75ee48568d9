"""A logo is public only with the organisation's public page; its members and the moderators
still see it, uncached."""

import pytest

from charter_service.accounts.models import Role
from charter_service.extensions import db
from charter_service.signatures.models import SignatureStatus

from .helpers import png

PRIVATE = "private, no-store"


@pytest.fixture
def member(make):
    return make.user()


@pytest.fixture
def organisation(make, member):
    organisation = make.organisation(owner=member)
    organisation.logo, organisation.logo_mime = png(size=(40, 10)), "image/png"
    db.session.commit()
    return organisation


def _logo(client, organisation):
    return client.get(f"/organisations/{organisation.slug}/logo")


def test_the_logo_of_a_signatory_with_a_public_page_is_public_and_cacheable(
        client, make, organisation):
    make.signature(organisation, make.version(), status=SignatureStatus.APPROVED)
    response = _logo(client, organisation)
    assert response.status_code == 200 and response.get_data() == organisation.logo
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=3600" in response.headers["Cache-Control"]


@pytest.mark.parametrize("status", [None, SignatureStatus.PENDING, SignatureStatus.SUSPENDED,
                                    SignatureStatus.REJECTED, SignatureStatus.WITHDRAWN])
def test_without_a_public_page_a_visitor_gets_404(client, make, organisation, status):
    if status is not None:
        make.signature(organisation, make.version(), status=status)
    page = client.get(f"/organisations/{organisation.slug}")
    # A suspended signatory keeps an honest page, without its logo.
    if status == SignatureStatus.SUSPENDED:
        assert page.status_code == 200
        assert f"/organisations/{organisation.slug}/logo" not in page.get_data(as_text=True)
    else:
        assert page.status_code == 404
    response = _logo(client, organisation)
    assert response.status_code == 404 and organisation.logo not in response.get_data()


def test_without_a_public_page_a_stranger_logged_in_gets_404(client, make, login,
                                                             organisation):
    login(make.user())
    assert _logo(client, organisation).status_code == 404


@pytest.mark.parametrize("who", ["member", "moderator", "admin"])
def test_without_a_public_page_members_and_moderators_see_it_uncached(
        client, make, login, member, organisation, who):
    user = {"member": lambda: member, "moderator": lambda: make.user(role=Role.MODERATOR),
            "admin": lambda: make.user(role=Role.ADMIN)}[who]()
    login(user)
    response = _logo(client, organisation)
    assert response.status_code == 200 and response.get_data() == organisation.logo
    assert response.headers["Cache-Control"] == PRIVATE
    assert response.headers["X-Content-Type-Options"] == "nosniff"
