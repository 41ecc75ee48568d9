"""The signatory's public page and the per-principle counts on /charte."""

import re

import pytest

from charter_service.commitments.models import Visibility
from charter_service.extensions import db
from charter_service.signatures.models import SignatureStatus

from .helpers import add_commitment, text


# A suspended signatory keeps an honest page (tests/public/test_former_signatories.py).
@pytest.mark.parametrize("status", [None, SignatureStatus.PENDING, SignatureStatus.REJECTED,
                                    SignatureStatus.WITHDRAWN])
def test_the_public_page_is_for_approved_signatories_only(client, signatories, status):
    org = signatories.new(name="Pas encore", status=status)
    assert client.get(f"/organisations/{org.organisation.slug}").status_code == 404
    assert client.get("/organisations/inconnue").status_code == 404


def test_page_shows_the_signatory_and_its_public_commitments_by_principle(client, alpha,
                                                                          version):
    p1, p2, p3 = version.principles
    add_commitment(alpha, title="Double principe", principles=[p2, p3])
    add_commitment(alpha, title="Engagement privé", visibility=Visibility.PRIVATE,
                   principles=[p1])
    add_commitment(alpha, title="Premier principe", principles=[p1], sdgs=(13,))

    response = client.get(f"/organisations/{alpha.organisation.slug}")

    assert response.status_code == 200
    page = text(response)
    assert re.search(r"<h1>\s*Alpha Coopérative\s*</h1>", page)
    assert "Association" in page and "Lyon" in page and "Rhône" in page
    assert "Signataire de la charte" in page and "version 1" in page
    assert "Engagement privé" not in page
    assert "Mesures relatives à la lutte contre les changements climatiques" in page
    # Each commitment in full under its first principle, as a link under the others.
    order = [page.index(marker) for marker in
             ("Principe 1</h3>", "Premier principe</h4>", "Principe 2</h3>",
              "Double principe</h4>", "Principe 3</h3>", "Relève aussi de ce principe")]
    assert order == sorted(order)
    assert page.count("Double principe</h4>") == 1


def test_page_shows_the_logo_when_there_is_one(client, alpha):
    alpha.organisation.logo, alpha.organisation.logo_mime = b"\x89PNG", "image/png"
    db.session.commit()
    page = text(client.get(f"/organisations/{alpha.organisation.slug}"))
    assert f"/organisations/{alpha.organisation.slug}/logo" in page
    assert 'alt="Logo d’Alpha Coopérative"' in page


def test_charte_counts_public_commitments_per_principle(client, alpha, signatories, version, make):
    p1, p2, _ = version.principles
    add_commitment(alpha, principles=[p1, p2])
    add_commitment(alpha, principles=[p1])
    add_commitment(alpha, principles=[p1], visibility=Visibility.PRIVATE)
    add_commitment(signatories.new(status=SignatureStatus.PENDING), principles=[p1])

    page = text(client.get("/charte"))

    counts = re.findall(r'principle-commitments">(?:<a [^>]+>)?([^<]+)<', page)
    assert counts == ["2 engagements publics", "1 engagement public", "Aucun engagement public"]
