"""Managing members: owners change roles and remove people, never the last owner."""

import pytest
from sqlalchemy import func, select

from charter_service.extensions import db
from charter_service.organisations.models import Invitation, MemberRole, Membership

from .helpers import text


@pytest.fixture
def team(make):
    owner = make.user("responsable@example.org", full_name="Claire Responsable")
    member = make.user("membre@example.org", full_name="Marc Membre")
    organisation = make.organisation(owner=owner, members=[member], name="Les Amis du Rhône")
    memberships = {m.user_id: m.id for m in organisation.memberships}
    return organisation, owner, member, memberships


def _role(membership_id):
    db.session.expire_all()
    membership = db.session.get(Membership, membership_id)
    return membership.role if membership else None


def _members_url(organisation, suffix=""):
    return f"/espace/organisations/{organisation.id}/membres{suffix}"


def test_owner_sees_members_and_management_forms(client, login, team):
    organisation, owner, member, memberships = team
    login(owner)
    page = text(client.get(_members_url(organisation)))
    assert "Claire Responsable" in page and "membre@example.org" in page
    assert "Responsable" in page and "Marc Membre" in page
    assert "Envoyer l’invitation" in page and "Retirer" in page
    assert f'/membres/{memberships[member.id]}/role' in page


def test_member_sees_the_list_without_management_forms_and_gets_403_when_posting(
        client, login, team):
    organisation, owner, member, memberships = team
    login(member)
    page = text(client.get(_members_url(organisation)))
    assert "Claire Responsable" in page and "responsable@example.org" in page
    assert "Envoyer l’invitation" not in page and "/retirer" not in page
    assert "Seuls les responsables" in page
    owner_membership = memberships[owner.id]
    for url, data in [
        (_members_url(organisation, "/inviter"), {"email": "x@example.org", "role": "owner"}),
        (_members_url(organisation, f"/{owner_membership}/role"),
         {f"m{owner_membership}-role": "member"}),
        (_members_url(organisation, f"/{owner_membership}/retirer"), {}),
        (_members_url(organisation, f"/{memberships[member.id]}/role"),
         {f"m{memberships[member.id]}-role": "owner"}),
    ]:
        assert client.post(url, data=data).status_code == 403, url
    assert _role(owner_membership) == MemberRole.OWNER
    assert _role(memberships[member.id]) == MemberRole.MEMBER
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_owner_promotes_then_steps_down(client, login, team):
    organisation, owner, member, memberships = team
    login(owner)
    member_id, owner_id = memberships[member.id], memberships[owner.id]
    response = client.post(_members_url(organisation, f"/{member_id}/role"),
                           data={f"m{member_id}-role": "owner"})
    assert response.status_code == 302 and _role(member_id) == MemberRole.OWNER
    client.post(_members_url(organisation, f"/{owner_id}/role"),
                data={f"m{owner_id}-role": "member"})
    assert _role(owner_id) == MemberRole.MEMBER
    # Now a plain member, the former owner can no longer manage anyone.
    response = client.post(_members_url(organisation, f"/{member_id}/retirer"))
    assert response.status_code == 403 and _role(member_id) == MemberRole.OWNER


def test_last_owner_can_be_neither_demoted_nor_removed(client, login, team):
    organisation, owner, member, memberships = team
    login(owner)
    owner_id = memberships[owner.id]
    response = client.post(_members_url(organisation, f"/{owner_id}/role"),
                           data={f"m{owner_id}-role": "member"}, follow_redirects=True)
    assert "Claire Responsable est le dernier responsable de l’organisation" in text(response)
    response = client.post(_members_url(organisation, f"/{owner_id}/retirer"),
                           follow_redirects=True)
    assert "désignez d’abord un autre responsable" in text(response)
    assert _role(owner_id) == MemberRole.OWNER


def test_owner_removes_a_member(client, login, team):
    organisation, owner, member, memberships = team
    login(owner)
    response = client.post(_members_url(organisation, f"/{memberships[member.id]}/retirer"),
                           follow_redirects=True)
    assert "La modification concernant Marc Membre est enregistrée" in text(response)
    assert _role(memberships[member.id]) is None
    login(member)
    assert client.get(f"/espace/organisations/{organisation.id}").status_code == 404


def test_an_owner_can_leave_when_another_owner_remains(client, login, make, team):
    organisation, owner, member, memberships = team
    other = make.user()
    db.session.add(Membership(user=other, organisation=organisation, role=MemberRole.OWNER))
    db.session.commit()
    login(owner)
    response = client.post(_members_url(organisation, f"/{memberships[owner.id]}/retirer"))
    assert response.status_code == 302 and response.headers["Location"] == "/espace/"
    assert _role(memberships[owner.id]) is None


def test_unknown_role_value_changes_nothing(client, login, team):
    organisation, owner, member, memberships = team
    login(owner)
    member_id = memberships[member.id]
    response = client.post(_members_url(organisation, f"/{member_id}/role"),
                           data={f"m{member_id}-role": "admin"}, follow_redirects=True)
    assert "Choisissez un rôle dans la liste" in text(response)
    assert _role(member_id) == MemberRole.MEMBER


def test_membership_of_an_unknown_id_is_404(client, login, team):
    organisation, owner, *_ = team
    login(owner)
    assert client.post(_members_url(organisation, "/999999/retirer")).status_code == 404
