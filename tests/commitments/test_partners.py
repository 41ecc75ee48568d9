"""Joint commitments: search signatories, invite, confirm or decline, outside partners."""

import pytest
from sqlalchemy import select

from charter_service.commitments.models import CommitmentPartner, PartnerStatus, Visibility
from charter_service.extensions import db
from charter_service.signatures.models import SignatureStatus

from .helpers import add_commitment, count, text


@pytest.fixture
def app_config(smtp_app_config):
    return smtp_app_config


def partner_rows():
    db.session.expire_all()
    return [(p.organisation_id, p.outside_name, p.status)
            for p in db.session.scalars(select(CommitmentPartner).order_by(CommitmentPartner.id))]


def test_search_offers_only_signatories_by_name_and_commune(client, login, alpha, signatories):
    signatories.new(name="Régie de quartier Écully", commune="Écully")
    signatories.new(name="Régie en attente", status=SignatureStatus.PENDING)
    signatories.new(name="Régie sans signature", status=None)
    signatories.new(name="Régie suspendue", status=SignatureStatus.SUSPENDED)
    commitment = add_commitment(alpha)
    login(alpha.owner)

    page = text(client.get(f"{alpha.base}/{commitment.id}/partenaires",
                           query_string={"q": "regie"}))

    assert "Régie de quartier Écully" in page and "Écully" in page
    assert "Régie en attente" in page
    assert "Régie sans signature" not in page and "Régie suspendue" not in page
    accented = text(client.get(f"{alpha.base}/{commitment.id}/partenaires",
                               query_string={"q": "ecully"}))
    assert "Régie de quartier Écully" in accented
    wildcard = text(client.get(f"{alpha.base}/{commitment.id}/partenaires",
                               query_string={"q": "%_"}))
    assert "Régie de quartier" not in wildcard


def test_invite_then_confirm_shows_the_commitment_on_the_partner_page(
        client, login, alpha, beta, smtp_server):
    commitment = add_commitment(alpha, title="Cantine bio partagée")
    smtp_server.deliver_set_up()
    login(alpha.owner)

    response = client.post(f"{alpha.base}/{commitment.id}/partenaires",
                           data={"organisation_id": str(beta.id)})

    assert response.status_code == 302
    assert partner_rows() == [(beta.id, None, PartnerStatus.INVITED)]
    mail = smtp_server.wait_for(1)[0]
    assert mail["To"] == beta.owner.email
    assert "Alpha Coopérative" in mail["Subject"]
    assert f"/espace/organisations/{beta.id}/engagements" in mail.get_content()
    beta_page = f"/organisations/{beta.organisation.slug}"
    assert "Cantine bio partagée" not in text(client.get(beta_page))

    login(beta.owner)
    invitations = text(client.get(beta.base))
    assert "Cantine bio partagée" in invitations and "Proposé par Alpha Coopérative" in invitations
    response = client.post(f"{beta.base}/{commitment.id}/partenariat/confirmer")

    assert response.status_code == 302
    assert partner_rows() == [(beta.id, None, PartnerStatus.CONFIRMED)]
    partner_page = text(client.get(f"/organisations/{beta.organisation.slug}"))
    assert "Cantine bio partagée" in partner_page
    assert "Engagement commun porté par" in partner_page and "Alpha Coopérative" in partner_page
    owner_page = text(client.get(f"/organisations/{alpha.organisation.slug}"))
    assert "Partenaires :" in owner_page and "Béta Solidaire" in owner_page


def test_decline_keeps_the_commitment_off_the_partner_page(client, login, alpha, beta):
    commitment = add_commitment(alpha, title="Atelier vélo")
    login(alpha.owner)
    client.post(f"{alpha.base}/{commitment.id}/partenaires",
                data={"organisation_id": str(beta.id)})

    login(beta.owner)
    client.post(f"{beta.base}/{commitment.id}/partenariat/decliner")

    assert partner_rows() == [(beta.id, None, PartnerStatus.DECLINED)]
    assert "Atelier vélo" not in text(client.get(f"/organisations/{beta.organisation.slug}"))
    assert "Béta Solidaire" not in text(client.get(f"/organisations/{alpha.organisation.slug}"))
    again = client.post(f"{beta.base}/{commitment.id}/partenariat/confirmer")
    assert again.status_code == 404  # the invitation is closed
    assert partner_rows() == [(beta.id, None, PartnerStatus.DECLINED)]


def test_confirmed_partner_may_leave_later(client, login, alpha, beta):
    commitment = add_commitment(alpha, title="Atelier vélo")
    login(alpha.owner)
    client.post(f"{alpha.base}/{commitment.id}/partenaires",
                data={"organisation_id": str(beta.id)})
    login(beta.owner)
    client.post(f"{beta.base}/{commitment.id}/partenariat/confirmer")

    client.post(f"{beta.base}/{commitment.id}/partenariat/decliner")

    assert partner_rows() == [(beta.id, None, PartnerStatus.DECLINED)]


@pytest.mark.parametrize("status", [None, SignatureStatus.REJECTED, SignatureStatus.WITHDRAWN])
def test_a_partner_that_is_not_a_signatory_is_refused(client, login, alpha, signatories, status,
                                                      smtp_server):
    outsider = signatories.new(name="Pas signataire", status=status)
    commitment = add_commitment(alpha)
    smtp_server.deliver_set_up()
    login(alpha.owner)

    response = client.post(f"{alpha.base}/{commitment.id}/partenaires",
                           data={"organisation_id": str(outsider.id)}, follow_redirects=True)

    assert "Seules les organisations signataires de la charte peuvent être invitées" in \
        text(response)
    assert partner_rows() == []
    assert smtp_server.messages == []


@pytest.mark.parametrize("value", ["987654", "abc", "", "-1", "99999999999999999999"])
def test_a_forged_or_missing_partner_id_is_refused(client, login, alpha, value):
    commitment = add_commitment(alpha)
    login(alpha.owner)

    response = client.post(f"{alpha.base}/{commitment.id}/partenaires",
                           data={"organisation_id": value})

    assert response.status_code == 200
    assert partner_rows() == []


def test_an_organisation_cannot_partner_itself_or_be_invited_twice(client, login, alpha, beta):
    commitment = add_commitment(alpha)
    login(alpha.owner)
    url = f"{alpha.base}/{commitment.id}/partenaires"

    assert "porte déjà cet engagement" in text(client.post(url, data={"organisation_id": alpha.id}))
    client.post(url, data={"organisation_id": beta.id})
    again = client.post(url, data={"organisation_id": beta.id})
    assert "figure déjà parmi les partenaires" in text(again)
    assert count(CommitmentPartner) == 1


def test_outside_partner_is_named_as_text_and_shown_publicly(client, login, alpha):
    commitment = add_commitment(alpha)
    login(alpha.owner)
    url = f"{alpha.base}/{commitment.id}/partenaires/exterieur"

    client.post(url, data={"outside_name": "  Lycée  agricole de Cibeins "})
    duplicate = client.post(url, data={"outside_name": "lycée agricole de cibeins"})
    empty = client.post(url, data={"outside_name": "   "})

    assert partner_rows() == [(None, "Lycée agricole de Cibeins", None)]
    assert "Ce partenaire figure déjà dans la liste." in text(duplicate)
    assert "Indiquez le nom du partenaire extérieur." in text(empty)
    page = text(client.get(f"/organisations/{alpha.organisation.slug}"))
    assert "Lycée agricole de Cibeins" in page


def test_owner_removes_a_partner(client, login, alpha, beta):
    commitment = add_commitment(alpha)
    login(alpha.owner)
    client.post(f"{alpha.base}/{commitment.id}/partenaires", data={"organisation_id": beta.id})
    partner_id = db.session.scalar(select(CommitmentPartner.id))

    client.post(f"{alpha.base}/{commitment.id}/partenaires/{partner_id}/retirer")

    assert partner_rows() == []


def test_private_joint_commitment_stays_off_both_public_pages(client, login, alpha, beta):
    commitment = add_commitment(alpha, title="Projet discret", visibility=Visibility.PRIVATE)
    login(alpha.owner)
    client.post(f"{alpha.base}/{commitment.id}/partenaires", data={"organisation_id": beta.id})
    login(beta.owner)
    client.post(f"{beta.base}/{commitment.id}/partenariat/confirmer")

    for org in (alpha, beta):
        assert "Projet discret" not in text(client.get(f"/organisations/{org.organisation.slug}"))
    assert "Projet discret" in text(client.get(beta.base))  # the partner still sees it
