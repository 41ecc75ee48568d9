"""What signing commits to, said before signing; a first commitment declared while signing;
where the signature stands afterwards (member space, acknowledgement e-mail, banners)."""

from sqlalchemy import select

from charter_service.charters.models import VersionStatus
from charter_service.commitments.models import Commitment, Visibility
from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage
from charter_service.signatures.models import Signature, SignatureStatus

from .conftest import form_data

COMMITS = ("bilan d’avancement", "« non communicant »", "Licence Ouverte",
           "retirer sa signature à tout moment")


def _sign(client, organisation, version, **changes):
    return client.post(f"/espace/organisations/{organisation.id}/signer",
                       data=form_data(version, **changes))


def test_the_charter_and_the_signing_pages_say_what_signing_commits_to(client, login, owner,
                                                                       organisation, version):
    charter = client.get("/charte").get_data(as_text=True)
    login(owner)
    sign = client.get(f"/espace/organisations/{organisation.id}/signer").get_data(as_text=True)
    prepare = client.get(f"/espace/organisations/{organisation.id}/signer/preparer") \
        .get_data(as_text=True)
    for page in (charter, sign, prepare):
        for words in COMMITS:
            assert words in page, words
    assert "tous les 12 mois pour les organisations de type entreprise, autre" in sign
    assert ("tous les 24 mois pour les organisations de type collectivité territoriale, "
            "association, fondation, acteur académique ou de recherche") in sign
    assert "12 mois après l’échéance sans bilan" in sign
    # The principles are shown in full where « j'ai lu » is ticked, not folded away.
    assert "<details" not in sign
    for principle in version.principles:
        assert principle.text in sign
    assert 'value="Claire Dupont"' in sign  # the account holder's name, pre-filled


def test_a_first_commitment_is_recorded_with_the_signature(client, login, owner, organisation,
                                                           version):
    login(owner)
    principle = version.principles[1]
    response = _sign(client, organisation, version, first_commitment_title="Cantine locale",
                     first_commitment_principle=str(principle.id))
    assert response.status_code == 302
    commitment = db.session.scalars(select(Commitment)).one()
    assert commitment.title == "Cantine locale"
    assert [p.id for p in commitment.principles] == [principle.id]
    assert commitment.visibility == Visibility.PRIVATE
    assert commitment.organisation_id == organisation.id


def test_without_a_title_no_commitment_is_recorded(client, login, owner, organisation, version):
    login(owner)
    assert _sign(client, organisation, version).status_code == 302
    assert db.session.scalars(select(Commitment)).all() == []


def test_a_first_commitment_without_its_principle_is_explained_and_nothing_is_signed(
        client, login, owner, organisation, version, make):
    login(owner)
    other = make.version(number=2, status=VersionStatus.DRAFT, principles=1)
    for principle in ("0", str(other.principles[0].id)):
        response = _sign(client, organisation, version, first_commitment_title="Cantine",
                         first_commitment_principle=principle)
        assert response.status_code == 200
        assert 'id="first_commitment_principle-error"' in response.get_data(as_text=True)
    assert db.session.scalars(select(Signature)).all() == []


def test_after_signing_the_space_and_the_receipt_say_where_it_stands(client, login, make, owner,
                                                                     organisation, version):
    make.signature(make.organisation(), version, status=SignatureStatus.APPROVED)
    login(owner)
    _sign(client, organisation, version)
    space = client.get("/espace/").get_data(as_text=True)
    assert "En attente de validation depuis le" in space
    assert "Délai habituel : la moitié des signatures reçoivent une décision en 1 jour" in space
    assert "Et ensuite" in space
    receipt = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "claire.dupont@mairie.example.org")).one()
    assert "Délai habituel" in receipt.body_text and "1 jour ou moins" in receipt.body_text
    assert "bilan d’avancement est attendu chaque année" in receipt.body_text
    assert "http://localhost/espace/" in receipt.body_text


def test_before_any_decision_no_delay_is_promised(client, login, owner, organisation, version):
    login(owner)
    _sign(client, organisation, version)
    assert "Délai habituel" not in client.get("/espace/").get_data(as_text=True)


def test_changes_requested_or_suspended_show_the_message_and_what_to_do(client, login, make,
                                                                        owner, version):
    asked = make.organisation(owner=owner, name="Association demandée")
    make.signature(asked, version, status=SignatureStatus.CHANGES_REQUESTED,
                   reason="Précisez la fonction du signataire.")
    suspended = make.organisation(owner=owner, name="Association suspendue")
    make.signature(suspended, version, status=SignatureStatus.SUSPENDED,
                   reason="Le site web ne répond plus.")
    login(owner)
    space = client.get("/espace/").get_data(as_text=True)
    assert "Précisez la fonction du signataire." in space
    assert "Que faire : corrigez les informations demandées" in space
    assert "Le site web ne répond plus." in space
    assert "Que faire : l’organisation n’apparaît plus au registre public" in space
