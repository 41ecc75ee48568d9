"""An organisation's name takes its article in every e-mail and page that names it: « au nom
de la Commune … », « de l’Association … », « du Relais … », « d’Orange », never « de Commune »."""

import re

import pytest
from sqlalchemy import select

from charter_service.accounts.models import Role
from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage
from charter_service.signatures.models import SignatureStatus
from charter_service.signatures.workflow import Transition

# One name of each kind: a common noun (feminine, and starting with a vowel), a name carrying
# its own article, a proper name starting with a vowel; with « de » as it must read.
NAMES = {
    "Commune de Lyon": "de la Commune de Lyon",
    "Association Les Amis du Parc": "de l’Association Les Amis du Parc",
    "Le Relais Solidaire": "du Relais Solidaire",
    "Orange": "d’Orange",
}
BARE = re.compile(r"\b(?:de|à|au nom de) (?:« ?)?(?:Commune de Lyon|Association Les Amis|"
                  r"Le Relais|Orange)")


@pytest.fixture
def signed(make):
    """For each name: its owner and a signature approved, suspended then reinstated (an
    e-mail at each step)."""
    moderator = make.user(role=Role.MODERATOR)
    version = make.version()
    signed = {}
    for name in NAMES:
        owner = make.user()
        organisation = make.organisation(owner=owner, name=name)
        signature = make.signature(organisation, version, status=SignatureStatus.APPROVED,
                                   decided_by=moderator)
        make.decide(signature, Transition.SUSPEND, Transition.REINSTATE, by=moderator,
                    reason="Vérification.")
        signed[name] = (owner, organisation, signature)
    return signed


def test_every_mail_names_the_organisation_with_its_article(signed):
    for name, (owner, _, _) in signed.items():
        bodies = db.session.scalars(select(OutboxMessage.body_text).where(
            OutboxMessage.recipient == owner.email)).all()
        assert len(bodies) >= 3, name  # approved, suspended, reinstated
        assert all(NAMES[name] in body for body in bodies), (name, bodies)
        assert not [body for body in bodies if BARE.search(body)]


def test_pages_name_the_organisation_with_its_article(signed, client, login):
    for name, (owner, organisation, signature) in signed.items():
        login(owner)
        base = f"/espace/organisations/{organisation.id}"
        for path in (f"{base}/engagements", f"{base}/membres",
                     f"{base}/signatures/{signature.id}/retirer"):
            page = client.get(path).get_data(as_text=True)
            assert NAMES[name] in page, (name, path)
            assert not BARE.search(page), (path, BARE.search(page).group(0))
