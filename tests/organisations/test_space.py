"""The member's space: organisations, their latest signature, and what to do next."""

import pytest

from charter_service.charters.models import VersionStatus
from charter_service.extensions import db
from charter_service.signatures.models import SignatureStatus

from .helpers import text

STATUS_LABELS = {
    SignatureStatus.PENDING: "en attente de validation",
    SignatureStatus.APPROVED: "approuvée",
    SignatureStatus.REJECTED: "refusée",
    SignatureStatus.CHANGES_REQUESTED: "modifications demandées",
    SignatureStatus.SUSPENDED: "suspendue",
    SignatureStatus.WITHDRAWN: "retirée",
    SignatureStatus.AWAITING_REPRESENTATIVE: "en attente du représentant",
    SignatureStatus.DECLINED: "déclinée par le représentant",
}
LIVE = {SignatureStatus.PENDING, SignatureStatus.APPROVED, SignatureStatus.SUSPENDED,
        SignatureStatus.CHANGES_REQUESTED, SignatureStatus.AWAITING_REPRESENTATIVE}
# Not signed yet, or not by the representative: the space says when it was prepared.
PREPARED = {SignatureStatus.AWAITING_REPRESENTATIVE, SignatureStatus.DECLINED}


def _sign_link(organisation):
    return f'href="/espace/organisations/{organisation.id}/signer"'


def test_first_visit_shows_the_first_step(client, login, make):
    login(make.user())
    page = text(client.get("/espace/"))
    assert "Première étape" in page
    assert 'href="/espace/organisations/nouvelle"' in page


def test_organisation_without_signature_offers_signing_to_its_owner_only(client, login, make):
    make.version()
    owner, member = make.user(), make.user()
    organisation = make.organisation(owner=owner, members=[member], siren="732829320",
                                     name="Mairie de Lyon", departement_code="69")
    login(owner)
    page = text(client.get("/espace/"))
    assert "Mairie de Lyon" in page and "Collectivité" not in page and "Association" in page
    assert "SIREN 732 829 320" in page and "Lyon (Rhône)" in page
    assert "pas encore signée" in page
    assert _sign_link(organisation) in page and "Signer la charte" in page
    assert 'href="/espace/organisations/nouvelle"' in page
    login(member)
    page = text(client.get("/espace/"))
    assert "Mairie de Lyon" in page and _sign_link(organisation) not in page


def test_no_published_version_means_no_sign_link(client, login, make):
    owner = make.user()
    organisation = make.organisation(owner=owner)
    login(owner)
    assert _sign_link(organisation) not in text(client.get("/espace/"))


@pytest.mark.parametrize("status", list(SignatureStatus))
def test_latest_signature_status_is_shown_in_french(client, login, make, status):
    version = make.version()
    owner = make.user()
    organisation = make.organisation(owner=owner)
    make.signature(organisation, version, status=status)
    login(owner)
    page = text(client.get("/espace/"))
    assert f'class="status status-{status.value}">{STATUS_LABELS[status]}</span>' in page
    done = "préparée le" if status in PREPARED else "signée le"
    assert f"version {version.number}, {done}" in page
    assert (_sign_link(organisation) in page) == (status not in LIVE)
    detail = text(client.get(f"/espace/organisations/{organisation.id}"))
    assert STATUS_LABELS[status] in detail and "Dominique Durand" in detail
    assert (_sign_link(organisation) in detail) == (status not in LIVE)


def test_a_new_version_invites_signatories_of_the_old_one_to_sign_again(client, login, make):
    old = make.version(number=1)
    owner = make.user()
    organisation = make.organisation(owner=owner)
    make.signature(organisation, old, status=SignatureStatus.APPROVED)
    old.status = VersionStatus.ARCHIVED
    db.session.commit()
    new = make.version(number=2)
    login(owner)
    page = text(client.get("/espace/"))
    assert "approuvée" in page and "version 1, signée le" in page
    assert _sign_link(organisation) in page
    make.signature(organisation, new)
    page = text(client.get("/espace/"))
    assert "en attente de validation" in page and "version 2, signée le" in page
    assert _sign_link(organisation) not in page
    detail = text(client.get(f"/espace/organisations/{organisation.id}"))
    assert detail.count("Dominique Durand") == 2


def test_markup_in_an_organisation_name_is_escaped(client, login, make):
    owner = make.user()
    organisation = make.organisation(owner=owner, name='<script>alert("x")</script><b>Gras</b>')
    login(owner)
    for url in ("/espace/", f"/espace/organisations/{organisation.id}",
                f"/espace/organisations/{organisation.id}/membres",
                f"/espace/organisations/{organisation.id}/modifier"):
        raw = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in raw and "<b>Gras" not in raw, url
        assert "&lt;script&gt;alert(" in raw, url


def test_only_the_users_own_organisations_are_listed(client, login, make):
    mine, theirs = make.user(), make.user()
    make.organisation(owner=mine, name="La mienne")
    make.organisation(owner=theirs, name="La leur")
    login(mine)
    page = text(client.get("/espace/"))
    assert "La mienne" in page and "La leur" not in page
