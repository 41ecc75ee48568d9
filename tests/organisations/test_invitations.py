"""Invitations: e-mailed through a real SMTP server, accepted once, by the invited account only."""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select

from charter_service.extensions import db
from charter_service.organisations.models import Invitation, MemberRole, Membership

from .helpers import text


@pytest.fixture
def app_config(smtp_app_config):
    return smtp_app_config


@pytest.fixture
def owner(make):
    return make.user("responsable@example.org", full_name="Claire Responsable")


@pytest.fixture
def organisation(make, owner):
    return make.organisation(owner=owner, name="Les Amis du Rhône")


def _invite(client, login, organisation, email, role="member"):
    login(db.session.scalar(select(Membership).where(
        Membership.organisation_id == organisation.id,
        Membership.role == MemberRole.OWNER).order_by(Membership.id)).user)
    return client.post(f"/espace/organisations/{organisation.id}/membres/inviter",
                       data={"email": email, "role": role})


def _link(message) -> str:
    found = re.search(r"http://localhost(/espace/invitations/\S+)", message.get_content())
    assert found, message.get_content()
    return found.group(1)


def _membership(user, organisation):
    return db.session.scalar(select(Membership).where(
        Membership.user_id == user.id, Membership.organisation_id == organisation.id))


def test_invited_person_receives_the_link_logs_in_and_joins(app, client, login, make, owner,
                                                            organisation, smtp_server):
    invitee = make.user("nouvelle@example.org", full_name="Nina Nouvelle")
    response = _invite(client, login, organisation, "nouvelle@example.org")
    assert response.status_code == 302
    members_page = text(client.get(response.headers["Location"]))
    assert "Une invitation a été envoyée à nouvelle@example.org" in members_page
    assert "Invitations en attente" in members_page
    message = smtp_server.wait_for(1)[0]
    assert message["To"] == "nouvelle@example.org"
    assert message["Subject"] == "Invitation à rejoindre Les Amis du Rhône"
    body = message.get_content()
    assert "Claire Responsable vous invite" in body and "rôle : Membre" in body
    assert "14 jours" in body
    link = _link(message)

    anonymous = app.test_client()
    response = anonymous.get(link)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/compte/connexion" and parse_qs(location.query)["next"] == [link]

    login(invitee)
    page = text(client.get(link))
    assert "Rejoindre Les Amis du Rhône" in page and "Claire Responsable vous invite" in page
    response = client.post(link)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/espace/organisations/{organisation.id}"
    assert _membership(invitee, organisation).role == MemberRole.MEMBER
    invitation = db.session.scalar(select(Invitation))
    assert invitation.accepted_at is not None and invitation.accepted_by_id == invitee.id
    assert "Les Amis du Rhône" in text(client.get("/espace/"))
    login(owner)
    members_page = text(client.get(f"/espace/organisations/{organisation.id}/membres"))
    assert "Nina Nouvelle" in members_page and "Invitations en attente" not in members_page

    for method in (client.get, client.post):
        again = method(link)
        assert again.status_code == 410 and "déjà été utilisée" in text(again)
    assert db.session.scalar(select(func.count(Membership.id))) == 2


def test_owner_invitation_makes_an_owner_whatever_the_case_of_the_address(
        client, login, make, organisation, smtp_server):
    invitee = make.user("co.responsable@example.org")
    _invite(client, login, organisation, "Co.Responsable@Example.org", role="owner")
    link = _link(smtp_server.wait_for(1)[0])
    login(invitee)
    assert client.post(link).status_code == 302
    assert _membership(invitee, organisation).role == MemberRole.OWNER


def test_another_account_cannot_use_the_invitation(client, login, make, organisation,
                                                   smtp_server):
    make.user("invitee@example.org")
    intruder = make.user("intrus@example.org")
    _invite(client, login, organisation, "invitee@example.org")
    link = _link(smtp_server.wait_for(1)[0])
    login(intruder)
    for method in (client.get, client.post):
        response = method(link)
        assert response.status_code == 403
        page = text(response)
        assert "envoyée à une autre adresse e-mail" in page
        assert "intrus@example.org" in page
    assert _membership(intruder, organisation) is None
    assert db.session.scalar(select(Invitation.accepted_at)) is None


def test_expired_link_is_refused(app, client, login, make, organisation):
    invitee = make.user("invitee@example.org")
    invitation = Invitation(organisation=organisation, email=invitee.email,
                            role=MemberRole.MEMBER)
    db.session.add(invitation)
    db.session.commit()

    class FifteenDaysAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 15 * 24 * 3600

    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="invitation",
                                   signer=FifteenDaysAgo).dumps(invitation.id)
    login(invitee)
    for method in (client.get, client.post):
        response = method(f"/espace/invitations/{token}")
        assert response.status_code == 410 and "Ce lien d’invitation a expiré" in text(response)
    assert _membership(invitee, organisation) is None


@pytest.mark.parametrize("tamper", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
    lambda token: "1" + token[1:] if token[0] != "1" else "2" + token[1:],
    lambda token: "n-importe-quoi",
])
def test_tampered_link_is_refused(app, client, login, make, organisation, tamper):
    invitee = make.user("invitee@example.org")
    invitation = Invitation(organisation=organisation, email=invitee.email,
                            role=MemberRole.OWNER)
    db.session.add(invitation)
    db.session.commit()
    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="invitation").dumps(
        invitation.id)
    login(invitee)
    response = client.post(f"/espace/invitations/{tamper(token)}")
    assert response.status_code == 400
    assert "Ce lien d’invitation n’est pas valide" in text(response)
    assert _membership(invitee, organisation) is None


def test_token_signed_for_another_purpose_is_refused(app, client, login, make, organisation):
    invitee = make.user("invitee@example.org")
    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="confirm").dumps(1)
    login(invitee)
    assert client.get(f"/espace/invitations/{token}").status_code == 400


def test_inviting_a_member_again_is_refused(client, login, make, organisation, smtp_server):
    member = make.user("deja@example.org")
    db.session.add(Membership(user=member, organisation=organisation, role=MemberRole.MEMBER))
    db.session.commit()
    response = _invite(client, login, organisation, "Deja@example.org")
    assert response.status_code == 200
    assert "Deja@example.org est déjà membre de cette organisation" in text(response)
    assert db.session.scalar(select(func.count(Invitation.id))) == 0
    time.sleep(0.2)
    assert smtp_server.messages == []


def test_accepting_when_already_a_member_says_so(client, login, make, organisation,
                                                 smtp_server):
    invitee = make.user("invitee@example.org")
    _invite(client, login, organisation, "invitee@example.org")
    link = _link(smtp_server.wait_for(1)[0])
    db.session.add(Membership(user=invitee, organisation=organisation, role=MemberRole.MEMBER))
    db.session.commit()
    login(invitee)
    response = client.post(link)
    assert response.status_code == 200 and "Vous êtes déjà membre des Amis du Rhône" in text(
        response)
    assert db.session.scalar(select(func.count(Membership.id))) == 2


@pytest.mark.parametrize("email,message", [
    ("", "Indiquez l’adresse e-mail de la personne à inviter."),
    ("pas-une-adresse", "Saisissez une adresse e-mail valide"),
])
def test_invitation_form_errors_are_shown_in_french(client, login, organisation, email,
                                                    message):
    response = _invite(client, login, organisation, email)
    assert response.status_code == 200 and message in text(response)
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_unknown_role_is_refused(client, login, organisation):
    response = _invite(client, login, organisation, "x@example.org", role="admin")
    assert response.status_code == 200 and "N'est pas un choix valide" in text(response)
    assert db.session.scalar(select(func.count(Invitation.id))) == 0
