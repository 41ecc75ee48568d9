"""Two members with data of their own: Karim Benali, member of Élan Solidaire, who signed its
charter as its Président, wrote one of its commitments and has an audit entry with a message;
Zoé Autre, sole owner of Autre Asso, with the same kinds of rows."""

from dataclasses import dataclass
from datetime import date

from charter_service.accounts import mails
from charter_service.accounts.models import User
from charter_service.audit import services as audit
from charter_service.commitments import services as commitments
from charter_service.commitments.models import Category, Commitment, Scale, Visibility
from charter_service.commitments.services import CommitmentData
from charter_service.extensions import db
from charter_service.organisations.models import Organisation
from charter_service.signatures.models import Signature, SignatureStatus


@dataclass
class World:
    karim: User
    zoe: User
    owner: User
    elan: Organisation
    other: Organisation
    signature: Signature
    commitment: Commitment
    others_commitment: Commitment


def _signed(make, version, organisation, signer: User, function: str) -> Signature:
    signature = make.signature(organisation, version, submitted_by=signer)
    signature.signatory_name, signature.signatory_email = signer.full_name, signer.email
    signature.signatory_function = function
    return make.reach(signature, SignatureStatus.APPROVED)


def _commitment(organisation, version, author, title) -> Commitment:
    data = CommitmentData(title=title, description=f"{title} : description.",
                          category=Category.COOPERATION_ECONOMIQUE,
                          principle_ids=[version.principles[0].id], scale=Scale.LOCAL,
                          start_on=date(2025, 1, 1), visibility=Visibility.PUBLIC)
    return commitments.create_commitment(organisation, data, author)


def build(make) -> World:
    version = make.version()
    karim = make.user("karim.benali@example.org", full_name="Karim Benali")
    zoe = make.user("zoe.autre@example.org", full_name="Zoé Autre")
    owner = make.user("rose.responsable@example.org", full_name="Rose Responsable")
    elan = make.organisation(name="Élan Solidaire", owner=owner, members=(karim,))
    other = make.organisation(name="Autre Asso", owner=zoe)
    signature = _signed(make, version, elan, karim, "Président")
    _signed(make, version, other, zoe, "Trésorière")
    commitment = _commitment(elan, version, karim, "Achats locaux")
    others_commitment = _commitment(other, version, zoe, "Jardins partagés")
    for user in (karim, zoe):
        audit.record("signature.withdraw_request", "signature", signature.id, actor=user,
                     before={}, after={}, personal={"message": f"Message de {user.full_name}"})
        mails.send_account_exists(user)
    db.session.commit()
    return World(karim, zoe, owner, elan, other, signature, commitment, others_commitment)
