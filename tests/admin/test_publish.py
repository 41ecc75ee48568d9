"""Publishing a draft archives the previous version, is audited and invites its approved
signatories by e-mail; archiving closes signing; organisations can then sign the new text."""

import html
import re

import pytest
from sqlalchemy import select

from charter_service.charters.models import CharterVersion, VersionStatus
from charter_service.extensions import db
from charter_service.organisations.models import MemberRole, Membership
from charter_service.signatures.models import Signature, SignatureStatus

from .conftest import audit_entries


@pytest.fixture
def app_config(smtp_app_config):
    return {**smtp_app_config, "PUBLIC_BASE_URL": "https://charte.example.org"}


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _statuses() -> dict[int, VersionStatus]:
    db.session.expire_all()
    return dict(db.session.execute(select(CharterVersion.number, CharterVersion.status)).all())


@pytest.fixture
def signatories(make):
    """v1 published with organisations in every signature status, v2 a draft.

    Returns the addresses that must be invited (owners of approved v1 signatories)."""
    v1 = make.version(number=1)
    make.version(number=2, status=VersionStatus.DRAFT)
    approved = make.organisation(owner=make.user("owner.fr@example.org"),
                                 members=[make.user("simple.membre@example.org")],
                                 name="Mairie d’Exemple")
    db.session.add(Membership(user=make.user("owner.en@example.org", locale="en"),
                              organisation=approved, role=MemberRole.OWNER))
    db.session.commit()
    make.signature(approved, v1, status=SignatureStatus.APPROVED)
    second = make.organisation(owner=make.user("owner.second@example.org"))
    make.signature(second, v1, status=SignatureStatus.APPROVED)
    for n, status in enumerate([SignatureStatus.PENDING, SignatureStatus.SUSPENDED,
                                SignatureStatus.REJECTED, SignatureStatus.WITHDRAWN,
                                SignatureStatus.CHANGES_REQUESTED]):
        other = make.organisation(owner=make.user(f"not.invited{n}@example.org"))
        make.signature(other, v1, status=status)
    return ["owner.en@example.org", "owner.fr@example.org", "owner.second@example.org"]


def test_confirm_page_says_what_will_happen(as_admin, signatories):
    page = _page(as_admin.get("/admin/charte/v/2/publier"))
    assert "Publier la version 2 ?" in page
    assert "La version 1 sera archivée" in page
    assert "2 organisations signataires de la version 1" in page
    assert 'href="/admin/charte/diff?de=1&a=2"' in page
    assert _statuses() == {1: VersionStatus.PUBLISHED, 2: VersionStatus.DRAFT}


def test_publishing_archives_audits_and_invites_approved_signatories(
        as_admin, admin, signatories, smtp_server):
    smtp_server.deliver_set_up()
    response = as_admin.post("/admin/charte/v/2/publier", follow_redirects=True)
    assert "La version 2 est publiée" in _page(response)
    assert "Invitations à signer envoyées : 3." in _page(response)
    assert _statuses() == {1: VersionStatus.ARCHIVED, 2: VersionStatus.PUBLISHED}

    v2 = db.session.scalar(select(CharterVersion).where(CharterVersion.number == 2))
    publish, archive = audit_entries("charter.publish"), audit_entries("charter.archive")
    assert publish == [{"action": "charter.publish", "object_type": "charter_version",
                        "object_id": str(v2.id), "actor_id": admin.id,
                        "before": {"number": 2, "status": "draft"},
                        "after": {"number": 2, "status": "published", "sha256": v2.sha256()},
                        "reason": ""}]
    assert archive[0]["before"] == {"number": 1, "status": "published"}
    assert archive[0]["after"] == {"number": 1, "status": "archived"}
    assert archive[0]["reason"] == "superseded"

    messages = smtp_server.wait_for(3)
    assert sorted(str(m["To"]) for m in messages) == signatories
    french = smtp_server.to("owner.fr@example.org")[0]
    body = french.get_content()
    assert "Mairie d’Exemple" in str(french["Subject"])
    assert "https://charte.example.org/espace/" in body
    assert "version 1" in body and "version 2" in body
    assert re.search(r"\d{1,2}(er)? (janvier|février|mars|avril|mai|juin|juillet|août|septembre|"
                     r"octobre|novembre|décembre) \d{4}", body), body
    english = smtp_server.to("owner.en@example.org")[0].get_content()
    assert re.search(r"\d{1,2} (January|February|March|April|May|June|July|August|September|"
                     r"October|November|December) \d{4}", english), english


def test_publishing_the_first_version_invites_nobody(as_admin, make, smtp_server):
    make.version(number=1, status=VersionStatus.DRAFT)
    response = as_admin.post("/admin/charte/v/1/publier", follow_redirects=True)
    assert "Invitations à signer envoyées : 0." in _page(response)
    assert _statuses() == {1: VersionStatus.PUBLISHED}
    assert audit_entries("charter.archive") == []
    assert smtp_server.messages == []


def test_the_command_line_publication_sends_the_same_invitations(app, signatories, smtp_server):
    smtp_server.deliver_set_up()
    result = app.test_cli_runner().invoke(args=["charter", "publish", "2"])
    assert result.exit_code == 0, result.output
    assert "3 invitation(s)" in result.output
    assert _statuses() == {1: VersionStatus.ARCHIVED, 2: VersionStatus.PUBLISHED}
    assert sorted(str(m["To"]) for m in smtp_server.wait_for(3)) == signatories
    assert [e["actor_id"] for e in audit_entries("charter.publish")] == [None]


def test_an_invited_organisation_signs_the_new_version_and_keeps_its_old_signature(
        client, login, admin, make, smtp_server):
    v1 = make.version(number=1)
    v2 = make.version(number=2, status=VersionStatus.DRAFT)
    owner = make.user("maire@example.org")
    organisation = make.organisation(owner=owner, name="Commune de Saint-Exemple")
    old = make.signature(organisation, v1, status=SignatureStatus.APPROVED)
    sign_url = f"/espace/organisations/{organisation.id}/signer"

    login(owner)
    assert sign_url not in client.get("/espace/").get_data(as_text=True)
    login(admin)
    assert client.post("/admin/charte/v/2/publier").status_code == 302
    smtp_server.wait_for(1)

    login(owner)
    space = client.get("/espace/").get_data(as_text=True)
    assert sign_url in space and "Signer la charte" in space
    form = client.get(sign_url)
    assert form.status_code == 200 and "principes de la version 2" in _page(form)
    db.session.expire_all()
    v2 = db.session.get(CharterVersion, v2.id)
    response = client.post(sign_url, data={
        "signatory_name": "Claire Dupont", "signatory_function": "Maire",
        "signatory_email": "claire.dupont@example.org", "authority_attested": "y",
        "principles_accepted": "y", "version_id": str(v2.id), "version_sha256": v2.sha256()})
    assert response.status_code == 302

    db.session.expire_all()
    signatures = {s.charter_version_id: s.status for s in db.session.scalars(
        select(Signature).where(Signature.organisation_id == organisation.id))}
    assert signatures == {v1.id: SignatureStatus.APPROVED, v2.id: SignatureStatus.PENDING}
    assert db.session.get(Signature, old.id).version_sha256 == v1.sha256()
    assert sign_url not in client.get("/espace/").get_data(as_text=True)


def test_archiving_closes_signing_until_a_new_publication(as_admin, admin, client, login, make):
    make.version(number=1)
    owner = make.user("maire@example.org")
    organisation = make.organisation(owner=owner)
    page = _page(as_admin.get("/admin/charte/v/1/archiver"))
    assert "Plus aucune organisation ne pourra signer" in page

    response = as_admin.post("/admin/charte/v/1/archiver", follow_redirects=True)
    assert "La version 1 est archivée" in _page(response)
    assert _statuses() == {1: VersionStatus.ARCHIVED}
    [entry] = audit_entries("charter.archive")
    assert entry["actor_id"] == admin.id and entry["reason"] == "withdrawn_from_signature"
    assert entry["after"] == {"number": 1, "status": "archived"}

    login(owner)
    response = client.get(f"/espace/organisations/{organisation.id}/signer",
                          follow_redirects=True)
    assert "Aucune version de la charte n’est ouverte à la signature" in _page(response)


@pytest.mark.parametrize("status", [VersionStatus.DRAFT, VersionStatus.ARCHIVED])
def test_only_the_published_version_can_be_archived(as_admin, make, status):
    make.version(number=1, status=status)
    response = as_admin.post("/admin/charte/v/1/archiver")
    assert response.status_code == 409
    assert "Seule la version publiée peut être archivée." in _page(response)
    assert _statuses() == {1: status}
    assert audit_entries() == []


def test_publishing_twice_is_refused(as_admin, make):
    make.version(number=1)
    response = as_admin.post("/admin/charte/v/1/publier")
    assert response.status_code == 409
    assert audit_entries() == []
