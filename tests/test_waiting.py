"""What waits for a person, first on /espace/: each provider's item appears, then goes once
acted on; another organisation's items never show; nothing waiting says so in one line."""

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import current_app

from charter_service import waiting
from charter_service.commitments import partners, progress
from charter_service.commitments.models import PartnerStatus
from charter_service.commitments.progress import local_today
from charter_service.commitments.reporting import add_months
from charter_service.extensions import db
from charter_service.organisations import members
from charter_service.organisations.models import Invitation, MemberRole, OrganisationKind
from charter_service.signatures import representative
from charter_service.signatures.models import SignatureStatus
from charter_service.signatures.workflow import Transition, apply

from .commitments.helpers import Signatories, add_commitment

S = SignatureStatus
NOTHING = "Rien ne vous attend pour le moment."


@pytest.fixture
def version(make):
    return make.version(number=1)


@pytest.fixture
def signatories(make, version):
    return Signatories(make, version)


def items(user) -> list[waiting.WaitingItem]:
    with current_app.test_request_context():  # the items carry their links
        return waiting.items_for(user)


def kinds(user) -> list[str]:
    return [item.kind for item in items(user)]


def space(client) -> str:
    page = html.unescape(client.get("/espace/").get_data(as_text=True))
    return page[page.index('id="ce-qui-vous-attend"'):page.index("</section>")]


def test_every_package_registers_its_providers(app):
    names = {function.__name__ for function in waiting.providers()}
    assert names >= {"invitations_to_join", "changes_requested", "awaiting_representative",
                     "to_sign_as_representative", "partner_invitations", "reports_due"}


def test_nothing_waiting_is_said_in_one_line(client, login, make, version):
    owner = make.user()
    make.signature(make.organisation(owner=owner), version)  # pending: waits on moderators
    login(owner)
    assert kinds(owner) == []
    assert NOTHING in space(client)


def test_changes_requested_quote_the_message_then_go_once_resubmitted(client, login, make,
                                                                        version):
    owner, member = make.user(), make.user()
    organisation = make.organisation(owner=owner, members=[member], name="Les Jardins")
    signature = make.signature(organisation, version, status=S.CHANGES_REQUESTED,
                               reason="Ajoutez votre numéro RNA.")
    login(owner)
    page = space(client)
    assert "demande des modifications" in page and "Ajoutez votre numéro RNA." in page
    assert (f'href="/espace/organisations/{organisation.id}/signatures/{signature.id}'
            '/corriger"') in page
    assert kinds(member) == []  # only an owner can resubmit

    apply(signature, Transition.RESUBMIT, actor=owner)
    db.session.commit()
    assert kinds(owner) == []


def test_an_invitation_to_join_links_to_its_page_then_goes_once_accepted(client, login, make):
    inviter = make.user(full_name="Hélène Marchand")
    organisation = make.organisation(owner=inviter, name="Atelier Vélo")
    invitee = make.user("nouvelle@example.org")
    invitation = members.invite(organisation, "Nouvelle@example.org", MemberRole.MEMBER, inviter)
    db.session.commit()
    login(invitee)
    page = space(client)
    assert "Hélène Marchand vous invite à rejoindre Atelier Vélo comme membre." in page
    link = re.search(r'href="(/espace/invitations/[^"]+)"', page).group(1)

    response = client.post(link)

    assert response.status_code == 302
    assert db.session.get(Invitation, invitation.id).accepted_at is not None
    assert kinds(invitee) == []


def test_an_expired_invitation_neither_shows_nor_opens(client, login, make, app):
    inviter = make.user()
    organisation = make.organisation(owner=inviter)
    invitee = make.user("tard@example.org")
    invitation = members.invite(organisation, invitee.email, MemberRole.MEMBER, inviter)
    token = members.invitation_token(invitation)
    invitation.created_at -= timedelta(seconds=app.config["INVITATION_MAX_AGE"] + 60)
    db.session.commit()
    login(invitee)
    assert kinds(invitee) == []
    # A link issued later (as the space would) still expires with the invitation itself.
    assert client.post(f"/espace/invitations/{token}").status_code == 410


def test_the_representative_opens_the_page_from_their_space(client, login, make, version):
    preparer = make.user(full_name="Lucie Morel")
    organisation = make.organisation(owner=preparer, name="Association Exemple")
    signature = make.signature(organisation, version, status=S.AWAITING_REPRESENTATIVE,
                               submitted_by=preparer)
    person = make.user(signature.signatory_email.upper())  # same address, other case
    login(person)
    page = space(client)
    assert "Lucie Morel vous demande de signer la charte au nom de l’Association Exemple" \
        in page
    link = re.search(r'href="(/signature-representant/[^"]+)"', page).group(1)
    assert "Signer" in html.unescape(client.get(link).get_data(as_text=True))

    representative.confirm(signature, signature.lock_version)
    db.session.commit()
    assert kinds(person) == []


def test_an_expired_representative_link_says_whom_to_ask(make, version, app):
    preparer = make.user(full_name="Lucie Morel")
    signature = make.signature(make.organisation(owner=preparer), version,
                               status=S.AWAITING_REPRESENTATIVE, submitted_by=preparer)
    signature.link_sent_at -= timedelta(seconds=app.config["REPRESENTATIVE_LINK_MAX_AGE"] + 1)
    db.session.commit()
    [item] = items(make.user(signature.signatory_email))
    assert item.url is None and "demandez à Lucie Morel" in item.action


def test_owners_can_resend_the_representative_link(client, login, make, version):
    owner = make.user()
    organisation = make.organisation(owner=owner, name="Association Exemple")
    signature = make.signature(organisation, version, status=S.AWAITING_REPRESENTATIVE)
    nonce = signature.link_nonce
    login(owner)
    page = space(client)
    assert "attend Dominique Durand (Présidente)" in page
    action = f"/espace/organisations/{organisation.id}/signatures/{signature.id}/renvoyer-lien"
    form = page[page.index(f'action="{action}"'):]
    lock_version = re.search(r'name="lock_version" value="(\d+)"', form).group(1)

    assert client.post(action, data={"lock_version": lock_version}).status_code == 302

    db.session.refresh(signature)
    assert signature.link_nonce != nonce
    representative.decline(signature, signature.lock_version)
    db.session.commit()
    assert kinds(owner) == []


def test_a_partner_invitation_waits_for_the_partners_owners_until_confirmed(
        client, login, make, signatories):
    member = make.user()
    alpha = signatories.new(name="Alpha Coopérative")
    beta = signatories.new(name="Béta", members=[member])
    commitment = add_commitment(alpha, title="Achats locaux")
    partnership = partners.invite_partner(commitment, beta.id, alpha.owner)
    db.session.commit()
    login(beta.owner)
    page = space(client)
    assert "« Alpha Coopérative » invite « Béta » à s’associer à son engagement " \
           "« Achats locaux »." in page
    assert f'href="/espace/organisations/{beta.id}/engagements/{commitment.id}"' in page
    assert kinds(alpha.owner) == [] and kinds(member) == []

    client.post(f"/espace/organisations/{beta.id}/engagements/{commitment.id}"
                "/partenariat/confirmer")

    db.session.refresh(partnership)
    assert partnership.status == PartnerStatus.CONFIRMED
    assert kinds(beta.owner) == []


def _approved_on(signatories, day: date, **kwargs):
    return signatories.new(decided_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
                           **kwargs)


@pytest.mark.parametrize(("months_ago", "days_more", "status", "shown"), [
    (11, 0, None, False),  # due in about a month: not yet
    (12, -20, "bilan attendu", True),  # due in 20 days
    (12, 10, "en retard", True),  # 10 days late
    (24, 0, "non communicant", True),  # 12 months past the due date
])
def test_the_annual_report_shows_when_due_and_says_when_late(signatories, months_ago,
                                                             days_more, status, shown):
    today = local_today()
    approved = add_months(today, -months_ago) - timedelta(days=days_more)
    alpha = _approved_on(signatories, approved, name="Alpha Coopérative",
                         kind=OrganisationKind.ENTREPRISE)  # yearly
    reports = [item for item in items(alpha.owner) if item.kind == "report_due"]
    assert bool(reports) is shown
    if shown:
        assert reports[0].status == status
        assert reports[0].urgency == (waiting.Urgency.LATE if days_more > 0 or months_ago > 12
                                    else waiting.Urgency.TO_DO)


def test_the_report_goes_once_an_update_is_filed_and_members_see_it(signatories, make):
    member = make.user()
    alpha = _approved_on(signatories, add_months(local_today(), -25), members=[member])
    assert "report_due" in kinds(member)
    commitment = add_commitment(alpha)
    progress.add_progress(commitment, progress.ProgressData(local_today(), "Fait."), member)
    db.session.commit()
    assert "report_due" not in kinds(member) and "report_due" not in kinds(alpha.owner)


def test_another_organisations_items_never_show(client, login, make, version, signatories):
    """Everything waits for the owner of one organisation; its neighbour sees none of it."""
    owner, stranger = make.user(), make.user()
    organisation = make.organisation(owner=owner, name="Les Jardins")
    make.organisation(owner=stranger, name="Voisins")
    make.signature(organisation, version, status=S.CHANGES_REQUESTED, reason="Précisez.")
    make.signature(make.organisation(owner=owner), version, status=S.AWAITING_REPRESENTATIVE)
    members.invite(organisation, "tiers@example.org", MemberRole.MEMBER, owner)
    alpha = _approved_on(signatories, add_months(local_today(), -25))
    partners.invite_partner(add_commitment(alpha), _approved_on(
        signatories, add_months(local_today(), -1)).id, alpha.owner)
    db.session.commit()
    assert set(kinds(owner)) == {"changes_requested", "awaiting_representative"}
    assert kinds(stranger) == []
    login(stranger)
    assert NOTHING in space(client)


def test_items_come_late_first_then_oldest_first(signatories, make, version):
    alpha = _approved_on(signatories, add_months(local_today(), -28), name="Alpha")
    organisation = alpha.organisation
    waiting_for = make.signature(make.organisation(owner=alpha.owner), version,
                                 status=S.AWAITING_REPRESENTATIVE)
    changed = make.signature(make.organisation(owner=alpha.owner), version,
                             status=S.CHANGES_REQUESTED)
    assert organisation and waiting_for and changed
    assert kinds(alpha.owner) == ["report_due", "changes_requested", "awaiting_representative"]
