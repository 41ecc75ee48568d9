"""The stored attestation is downloaded by its organisation's members and by staff only."""

import pytest
from flask import render_template_string

from charter_service.accounts.models import Role
from charter_service.certificates import render
from charter_service.extensions import db
from charter_service.organisations.models import MemberRole, Membership

from .conftest import sha256


def _member_url(certificate) -> str:
    return (f"/espace/organisations/{certificate.signature.organisation_id}"
            f"/attestations/{certificate.number}.pdf")


def _moderation_url(certificate) -> str:
    return f"/moderation/attestations/{certificate.number}.pdf"


@pytest.fixture
def never_render(monkeypatch):
    """A download that tried to render would fail loudly."""
    def refuse(*args, **kwargs):
        raise AssertionError("a download rendered the attestation again")
    monkeypatch.setattr(render, "render_pdf", refuse)


def test_members_download_the_stored_bytes(client, login, make, certificate, organisation,
                                           owner, never_render):
    member = make.user()
    db.session.add(Membership(user=member, organisation=organisation, role=MemberRole.MEMBER))
    db.session.commit()
    for user in (owner, member):
        login(user)
        response = client.get(_member_url(certificate))
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        assert response.data == certificate.pdf
        assert response.headers["ETag"] == f'"{sha256(certificate.pdf)}"'
        assert "private" in response.headers["Cache-Control"]
        assert certificate.number in response.headers["Content-Disposition"]


def test_a_known_etag_gets_304(client, login, certificate, owner):
    login(owner)
    response = client.get(_member_url(certificate),
                          headers={"If-None-Match": f'"{certificate.sha256}"'})
    assert response.status_code == 304 and response.data == b""


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_staff_download_from_moderation(client, login, make, certificate, role, never_render):
    login(make.user(role=role))
    response = client.get(_moderation_url(certificate))
    assert response.status_code == 200 and response.data == certificate.pdf


def test_nobody_else_can_download(client, login, make, certificate, approve):
    assert client.get(_member_url(certificate)).status_code == 302  # to the log-in page
    assert client.get(_moderation_url(certificate)).status_code == 302
    login(make.user())
    assert client.get(_member_url(certificate)).status_code == 404
    assert client.get(_moderation_url(certificate)).status_code == 403
    login(make.user(role=Role.MODERATOR))
    assert client.get(_member_url(certificate)).status_code == 404
    # A member of another organisation cannot reach it through their own organisation's URL.
    other_owner = make.user()
    other = make.organisation(owner=other_owner)
    approve(other)
    login(other_owner)
    response = client.get(f"/espace/organisations/{other.id}/attestations/"
                          f"{certificate.number}.pdf")
    assert response.status_code == 404


def test_unknown_numbers_are_404(client, login, make, organisation, owner):
    login(owner)
    assert client.get(f"/espace/organisations/{organisation.id}/attestations/"
                      "CFA-2026-999999.pdf").status_code == 404
    login(make.user(role=Role.MODERATOR))
    assert client.get("/moderation/attestations/n'importe-quoi.pdf").status_code == 404


def test_the_panels_other_pages_include_link_to_the_downloads(app, certificate, organisation):
    with app.test_request_context():
        member = render_template_string('{% include "certificates/_member_panel.html" %}',
                                        organisation=organisation)
        staff = render_template_string('{% include "certificates/_moderation_panel.html" %}',
                                       signature=certificate.signature)
    assert _member_url(certificate) in member and "valide" in member
    assert _moderation_url(certificate) in staff and _member_url(certificate) not in staff
    assert "clé de développement" in member
