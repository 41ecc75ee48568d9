"""Every organisation that was ever a signatory keeps an honest public page: signatory,
suspended or no longer a signatory; the API and the Atom feed say the same; the others stay 404."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from charter_service.certificates.models import Certificate
from charter_service.commitments.models import CommitmentPartner, PartnerStatus, Visibility
from charter_service.dates import french_date, local_date
from charter_service.db_types import utcnow
from charter_service.extensions import db
from charter_service.signatures.models import Signature, SignatureStatus
from charter_service.signatures.workflow import Transition

from ..register.register_world import World

T, S = Transition, SignatureStatus
PRIVATE_REASON = "Motif confidentiel de la modération"
# How each organisation got where it is → (page status, words the page must show). Literal.
EXPECTED = {
    "approved": ((T.APPROVE,), 200, "Signataire de la charte"),
    "suspended": ((T.APPROVE, T.SUSPEND), 200, "Signature suspendue depuis le"),
    "withdrawn": ((T.APPROVE, T.WITHDRAW), 200, "n’est plus signataire de la charte depuis le"),
    "reinstated": ((T.APPROVE, T.SUSPEND, T.REINSTATE), 200, "Signataire de la charte"),
    "pending": ((), 404, "Page introuvable"),
    "rejected": ((T.REJECT,), 404, "Page introuvable"),
    "changes_requested": ((T.REQUEST_CHANGES,), 404, "Page introuvable"),
    "withdrawn_while_pending": ((T.WITHDRAW,), 404, "Page introuvable"),
}


@pytest.fixture
def world(make):
    return World(make)


def _organisation(world, make, key):
    organisation = make.organisation(name=f"Organisation {key}")
    signature = make.signature(organisation, world.version)
    make.decide(signature, *EXPECTED[key][0], by=world.moderator, reason=PRIVATE_REASON)
    return organisation


def _signature(organisation) -> Signature:
    return db.session.scalar(select(Signature).where(Signature.organisation_id == organisation.id))


def _page(client, organisation):
    return client.get(f"/organisations/{organisation.slug}")


@pytest.mark.parametrize("key", list(EXPECTED))
def test_each_status_has_the_page_it_deserves(client, make, world, key):
    organisation = _organisation(world, make, key)
    response = _page(client, organisation)
    _, status, words = EXPECTED[key]
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert words in page
    assert PRIVATE_REASON not in page


def test_a_suspended_signatory_shows_its_history_and_no_commitment(client, make, world):
    organisation = world.signatory("Élan Solidaire")
    world.commitment(organisation)
    assert "Achats locaux" in _page(client, organisation).get_data(as_text=True)
    signature = _signature(organisation)
    make.decide(signature, T.SUSPEND, by=world.moderator, reason=PRIVATE_REASON)
    page = _page(client, organisation).get_data(as_text=True)
    certificate = db.session.scalar(select(Certificate).where(
        Certificate.signature_id == signature.id))
    assert f"Signature suspendue depuis le {french_date(signature.decided_at)}." in page
    # The neutral wording chosen from the list, never the moderator's words.
    assert "Signature suspendue par la Fondation des Territoires le" in page
    assert PRIVATE_REASON not in page
    assert "Achats locaux" not in page
    assert "Les engagements de cette organisation ne sont plus publiés." in page
    assert certificate.number in page and "révoquée" in page
    assert "version 1" in page and "Télécharger la copie publique" not in page


def test_a_withdrawn_signatory_says_since_when(client, make, world):
    organisation = world.signatory("Élan Solidaire")
    signature = make.decide(_signature(organisation), T.WITHDRAW, by=world.owner)
    page = _page(client, organisation).get_data(as_text=True)
    assert (f"Élan Solidaire n’est plus signataire de la charte depuis le "
            f"{french_date(signature.decided_at)} (retrait).") in page
    assert "Signature retirée à la demande de l’organisation le" in page \
        or "Signature retirée à la demande de l’organisation le" in page


def test_a_partner_commitment_of_a_signatory_stays_on_a_former_page(client, make, world):
    """What stays public: the commitment of a signatory it joined, not its own."""
    partner = world.signatory("Partenaire Ancien")
    carrier = world.signatory("Porteur Signataire")
    commitment = world.commitment(carrier)
    db.session.add(CommitmentPartner(commitment=commitment, organisation=partner,
                                     status=PartnerStatus.CONFIRMED, decided_at=utcnow()))
    db.session.commit()
    world.commitment(partner, visibility=Visibility.PUBLIC)
    make.decide(_signature(partner), T.SUSPEND, by=world.moderator, reason=PRIVATE_REASON)
    page = _page(client, partner).get_data(as_text=True)
    assert page.count("Achats locaux") == 1  # the carrier's, not its own
    assert "Porteur Signataire" in page
    assert "seuls restent ceux qu’elle a rejoints" in page


def test_the_cached_page_follows_the_status(client, make, world):
    """The page is served whole from the shared cache: each change of status shows at once."""
    organisation = world.signatory("Élan Solidaire")
    signature = _signature(organisation)
    seen = []
    for transition in (None, T.SUSPEND, T.REINSTATE, T.WITHDRAW):
        if transition:
            make.decide(signature, transition, by=world.moderator, reason=PRIVATE_REASON)
        first, again = _page(client, organisation), _page(client, organisation)
        assert first.get_data() == again.get_data()
        seen.append(first.get_data(as_text=True))
    assert "Signataire de la charte" in seen[0]
    assert "Signature suspendue depuis le" in seen[1]
    assert "Signataire de la charte" in seen[2] and "suspendue depuis" not in seen[2]
    assert "(retrait)" in seen[3]


def test_the_api_answers_410_for_a_former_signatory(client, make, world):
    suspended = _organisation(world, make, "suspended")
    withdrawn = _organisation(world, make, "withdrawn")
    for organisation, status in ((suspended, "suspended"), (withdrawn, "withdrawn")):
        response = client.get(f"/api/v1/signatories/{organisation.slug}")
        assert response.status_code == 410
        body = response.get_json()
        assert body["error"]["code"] == 410
        former = body["former_signatory"]
        signature = _signature(organisation)
        assert former["status"] == status and former["slug"] == organisation.slug
        assert former["status_since"] == local_date(signature.decided_at).isoformat()  # Paris
        assert former["charter_version"] == 1
        assert former["certificate"]["status"] == "revoked"
        assert former["public_notice"].startswith("Signature")
        assert PRIVATE_REASON not in response.get_data(as_text=True)
        assert client.get(urlsplit(former["url"]).path).status_code == 200
    for key in ("pending", "withdrawn_while_pending"):
        assert client.get(f"/api/v1/signatories/"
                          f"{_organisation(world, make, key).slug}").status_code == 404


def test_the_feed_links_to_pages_that_exist(client, make, world):
    for key in ("suspended", "withdrawn"):
        _organisation(world, make, key)
    root = ET.fromstring(client.get("/registre/changements.atom").get_data())  # noqa: S314
    ns = {"a": "http://www.w3.org/2005/Atom"}
    links = [entry.find("a:link", ns).get("href") for entry in root.findall("a:entry", ns)]
    assert len(links) == 4  # two approvals, a suspension, a withdrawal
    for link in links:
        assert client.get(urlsplit(link).path).status_code == 200, link
