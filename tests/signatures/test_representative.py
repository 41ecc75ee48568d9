"""A signature prepared by a member and signed, from an e-mailed link and without an account,
by the organisation's legal representative; every way that link can be misused."""

import itertools
import json
import re
import shutil
import subprocess

import pytest
from sqlalchemy import select, update

from charter_service.accounts.models import ModerationAlerts, Role
from charter_service.audit.models import AuditEntry
from charter_service.certificates.models import Certificate
from charter_service.domain import DomainError
from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage
from charter_service.signatures import representative
from charter_service.signatures.models import Identification, Signature, SignatureStatus
from charter_service.signatures.workflow import Transition, apply
from tests.conftest import require

S = SignatureStatus
REPRESENTATIVE = {"signatory_name": "Karim Benali", "signatory_function": "Président",
                  "signatory_email": "karim.benali@asso-exemple.fr"}
LINK = re.compile(r"http://localhost(/signature-representant/[^\s]+)")



@pytest.fixture
def app_config(signing_pair_config):
    return signing_pair_config


@pytest.fixture
def moderator(make):
    moderator = make.user("moderatrice@fondation.example.org", role=Role.MODERATOR)
    moderator.moderation_alerts = ModerationAlerts.IMMEDIATE
    db.session.commit()
    return moderator


def _prepare(client, organisation, **changes):
    return client.post(f"/espace/organisations/{organisation.id}/signer/preparer",
                       data=REPRESENTATIVE | changes)


def _mails(to: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == to)
                                   .order_by(OutboxMessage.id)))


def _link(to: str = REPRESENTATIVE["signatory_email"]) -> str:
    return LINK.search(_mails(to)[-1].body_text).group(1)


def _signature() -> Signature:
    db.session.expire_all()
    return db.session.scalars(select(Signature)).one()


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


def _confirm(client, link, signature=None, **changes):
    lock = (signature or _signature()).lock_version
    data = {"confirm-authority_attested": "y", "confirm-principles_accepted": "y",
            "confirm-lock_version": str(lock)} | changes
    return client.post(f"{link}/signer", data=data)


@pytest.fixture
def prepared(client, login, owner, organisation, version, moderator):
    """The owner prepared the signature; the representative was sent the link; logged out."""
    login(owner)
    assert _prepare(client, organisation).status_code == 302
    _logout(client)
    return _link()


def _logout(client) -> None:
    with client.session_transaction() as session:
        session.clear()


def test_preparing_waits_for_the_representative_and_mails_a_bound_link(prepared, owner,
                                                                       version, moderator):
    signature = _signature()
    assert signature.status == S.AWAITING_REPRESENTATIVE
    assert signature.identification == Identification.EMAIL
    assert not signature.authority_attested and not signature.principles_accepted
    assert signature.submitted_by_id == owner.id and signature.link_nonce
    [mail] = _mails(REPRESENTATIVE["signatory_email"])
    assert "Claire Dupont a préparé la signature" in mail.body_text
    assert "au nom de la Commune de Saint-Exemple" in mail.body_text
    assert "Président" in mail.body_text
    assert version.sha256() in mail.body_text and "valable 14 jours" in mail.body_text
    assert _mails(moderator.email) == []  # not yet in moderation
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "signature.prepare")).one()
    assert json.loads(entry.after)["identification"] == "email"
    assert json.loads(entry.personal)["name"] == "Karim Benali"


def test_opening_the_link_shows_the_text_and_its_hash_and_changes_nothing(client, prepared,
                                                                          version):
    before = _signature().lock_version
    page = client.get(prepared).get_data(as_text=True)
    assert version.sha256() in page
    for principle in version.principles:
        assert principle.title in page
    assert "non communicant" in page and "Licence Ouverte" in page
    assert "retirer sa signature à tout moment" in page
    assert "Claire Dupont a préparé cette signature" in page
    signature = _signature()
    assert signature.status == S.AWAITING_REPRESENTATIVE and signature.lock_version == before


def test_the_representative_signs_and_only_then_moderation_hears_of_it(client, prepared,
                                                                       moderator):
    response = _confirm(client, prepared)
    assert response.status_code == 200
    assert "Votre signature au nom de la Commune de Saint-Exemple est enregistrée" in \
        response.get_data(as_text=True)
    signature = _signature()
    assert signature.status == S.PENDING and signature.link_nonce is None
    assert signature.authority_attested and signature.principles_accepted
    assert _actions()[-1] == "signature.confirm"
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "signature.confirm")).one()
    assert re.fullmatch(r"Signée par Karim Benali, Président, le (1er|\d+) \w+ \d{4} "
                        r"\(confirmé par e-mail\) ; préparée par Claire Dupont",
                        json.loads(entry.personal)["message"])
    assert len(_mails(moderator.email)) == 1
    receipt = _mails(REPRESENTATIVE["signatory_email"])[-1]
    assert "Nous avons bien reçu la signature" in receipt.body_text


def test_both_boxes_are_required_and_nothing_changes_without_them(client, prepared):
    response = _confirm(client, prepared, **{"confirm-authority_attested": ""})
    assert response.status_code == 200
    assert "Cochez cette case pour attester" in response.get_data(as_text=True)
    assert _signature().status == S.AWAITING_REPRESENTATIVE


def test_a_used_link_does_not_work_again(client, prepared):
    _confirm(client, prepared)
    after = _actions()
    for response in (client.get(prepared), _confirm(client, prepared),
                     client.post(f"{prepared}/decliner", data={})):
        assert response.status_code == 410
        assert "Ce lien a déjà servi" in response.get_data(as_text=True)
        assert "nouveau lien" not in response.get_data(as_text=True)
    assert _signature().status == S.PENDING and _actions() == after


def test_a_tampered_link_is_refused(client, prepared):
    tampered = prepared[:-3] + ("aaa" if not prepared.endswith("aaa") else "bbb")
    for response in (client.get(tampered), _confirm(client, tampered)):
        assert response.status_code == 400
        assert "Ce lien n’est pas valide" in response.get_data(as_text=True)
    assert _signature().status == S.AWAITING_REPRESENTATIVE


def test_an_expired_link_says_so(app, client, prepared):
    app.config["REPRESENTATIVE_LINK_MAX_AGE"] = -1
    response = _confirm(client, prepared)
    assert response.status_code == 410
    assert "Ce lien a expiré" in response.get_data(as_text=True)
    assert "renvoyer depuis son espace" in response.get_data(as_text=True)
    assert _signature().status == S.AWAITING_REPRESENTATIVE


def test_a_forwarded_link_opened_by_someone_signed_in_does_nothing(client, login, make,
                                                                   prepared):
    login(make.user("collegue@asso-exemple.fr"))
    for response in (client.get(prepared), _confirm(client, prepared)):
        assert response.status_code == 403
        page = response.get_data(as_text=True)
        assert "Ce lien est destiné à karim.benali@asso-exemple.fr" in page
        assert "collegue@asso-exemple.fr" in page and "rien n’a été modifié" in page
    assert _signature().status == S.AWAITING_REPRESENTATIVE


def test_the_representative_signed_in_with_their_own_address_may_sign(client, login, make,
                                                                       prepared):
    login(make.user(REPRESENTATIVE["signatory_email"].upper()))
    assert _confirm(client, prepared).status_code == 200
    assert _signature().status == S.PENDING


def test_resending_replaces_the_link(client, login, owner, organisation, prepared):
    login(owner)
    signature = _signature()
    client.post(f"/espace/organisations/{organisation.id}/signatures/{signature.id}"
                "/renvoyer-lien", data={"lock_version": str(signature.lock_version)})
    fresh = _link()
    assert fresh != prepared
    assert "representative_resent" in _actions()[-1]
    _logout(client)
    response = _confirm(client, prepared)
    assert response.status_code == 410
    assert "remplacé par un lien plus récent" in response.get_data(as_text=True)
    assert _confirm(client, fresh).status_code == 200


def test_changing_the_representative_while_they_read_one_wins(client, login, owner,
                                                              organisation, prepared):
    """The first representative opened the page; meanwhile the preparer names someone else.
    Their button then changes nothing and says why; the new representative's link works."""
    seen = _signature()
    seen_lock = seen.lock_version
    login(owner)
    client.post(f"/espace/organisations/{organisation.id}/signatures/{seen.id}/representant",
                data=REPRESENTATIVE | {"signatory_name": "Nadia Roussel",
                                       "signatory_email": "nadia.roussel@asso-exemple.fr",
                                       "lock_version": str(seen_lock)})
    _logout(client)
    response = client.post(f"{prepared}/signer", data={
        "confirm-authority_attested": "y", "confirm-principles_accepted": "y",
        "confirm-lock_version": str(seen_lock)})
    assert response.status_code == 410
    assert "remplacé par un lien plus récent" in response.get_data(as_text=True)
    signature = _signature()
    assert signature.status == S.AWAITING_REPRESENTATIVE
    assert signature.signatory_name == "Nadia Roussel"
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "signature.representative_changed")).one()
    assert json.loads(entry.personal)["before"]["name"] == "Karim Benali"
    assert _confirm(client, _link("nadia.roussel@asso-exemple.fr")).status_code == 200


def test_a_decision_on_a_page_older_than_the_signature_is_refused(prepared):
    """The same race, decided in the service: the page showed an older lock version."""
    signature = _signature()
    with pytest.raises(DomainError) as error:
        representative.confirm(signature, seen_version=signature.lock_version - 1)
    assert "modifiée pendant que vous la lisiez" in str(error.value)
    db.session.rollback()
    assert _signature().status == S.AWAITING_REPRESENTATIVE


def test_the_representative_declines_and_the_preparer_is_told(client, login, owner,
                                                              organisation, prepared):
    signature = _signature()
    response = client.post(f"{prepared}/decliner", data={
        "decline-reason": "Je ne suis plus président depuis juin.",
        "decline-lock_version": str(signature.lock_version)})
    assert response.status_code == 200
    assert "Vous avez décliné" in response.get_data(as_text=True)
    signature = _signature()
    assert signature.status == S.DECLINED and signature.link_nonce is None
    assert _actions()[-1] == "signature.decline"
    [told] = _mails(owner.email)
    assert "Karim Benali (Président) a décliné" in told.body_text
    assert "Je ne suis plus président depuis juin." in told.body_text
    login(owner)
    space = client.get("/espace/").get_data(as_text=True)
    assert "Karim Benali a décliné" in space
    assert f"/espace/organisations/{organisation.id}/signer" in space  # may sign again


def test_a_member_email_is_refused_and_told_to_sign_as_account_holder(client, login, make,
                                                                      owner, organisation,
                                                                      version):
    login(owner)
    response = _prepare(client, organisation, signatory_email="MAIRE@mairie.example.org")
    assert response.status_code == 200
    assert "signer elle-même, comme titulaire du compte" in response.get_data(as_text=True)
    assert db.session.scalars(select(Signature)).all() == []
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_the_space_shows_the_waiting_representative_with_its_controls(client, login, owner,
                                                                      prepared):
    login(owner)
    page = client.get("/espace/").get_data(as_text=True)
    assert "En attente de la signature de Karim Benali (Président)" in page
    assert "Renvoyer le lien" in page and "Changer de représentant" in page
    assert "préparée le" in page


@pytest.mark.real_pdf
def test_the_attestation_names_the_representative_and_how_they_were_identified(
        client, prepared, moderator):
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    _confirm(client, prepared)
    signature = _signature()
    apply(signature, Transition.APPROVE, actor=moderator)
    db.session.commit()
    certificate = db.session.scalars(select(Certificate)).one()
    text = subprocess.run(["pdftotext", "-", "-"], input=certificate.pdf, capture_output=True,
                          check=True).stdout.decode()
    flat = " ".join(text.split())
    assert "Karim Benali" in flat and "Président" in flat
    assert "(confirmé par e-mail) ; préparée par Claire Dupont" in flat


def test_the_queue_shows_how_the_signatory_was_identified_and_the_foreign_domain(
        client, login, prepared, moderator):
    _confirm(client, prepared)
    login(moderator)
    queue = client.get("/moderation/").get_data(as_text=True)
    assert "Karim Benali · confirmé par e-mail" in queue
    assert "signataire (@asso-exemple.fr)" in queue and "du domaine du site web" in queue
    file = client.get(f"/moderation/signatures/{_signature().id}").get_data(as_text=True)
    assert "Confirmé par e-mail" in file


def test_the_daily_digest_counts_a_confirmed_signature(app, client, prepared, make):
    daily = make.user("quotidienne@fondation.example.org", role=Role.MODERATOR)
    daily.moderation_alerts = ModerationAlerts.DAILY
    db.session.commit()
    _confirm(client, prepared)
    assert app.test_cli_runner().invoke(args=["moderation", "digest"]).exit_code == 0
    [digest] = _mails(daily.email)
    assert "Commune de Saint-Exemple" in digest.body_text


def test_when_both_write_at_the_same_moment_the_later_write_changes_nothing(prepared):
    """The representative's request read the signature; before it writes, the preparer's
    request (another connection) committed a new representative. The representative's write
    finds the row changed and is refused with a French message; the preparer's stands."""
    signature = _signature()
    seen = signature.lock_version
    with db.engine.connect() as preparer:
        preparer.execute(update(Signature).where(Signature.id == signature.id).values(
            signatory_name="Nadia Roussel", link_nonce="nouveau", lock_version=seen + 1))
        preparer.commit()
    with pytest.raises(DomainError) as error:
        representative.confirm(signature, seen_version=seen)
    assert "modifiée pendant que vous la lisiez" in str(error.value)
    db.session.rollback()
    signature = _signature()
    assert signature.status == S.AWAITING_REPRESENTATIVE
    assert (signature.signatory_name, signature.link_nonce) == ("Nadia Roussel", "nouveau")


# Each step of the representative's link → the state it leads to, from the one state it
# starts from; from any other state it is refused and changes nothing.
STEPS = {"confirm": S.PENDING, "decline": S.DECLINED, "resend": S.AWAITING_REPRESENTATIVE,
         "change": S.AWAITING_REPRESENTATIVE}


def _step(name, signature, owner):
    seen = signature.lock_version
    return {"confirm": lambda: representative.confirm(signature, seen),
            "decline": lambda: representative.decline(signature, seen),
            "resend": lambda: representative.resend(signature, owner, seen),
            "change": lambda: representative.change_representative(
                signature, REPRESENTATIVE, owner, seen)}[name]()


@pytest.mark.parametrize(("state", "step"), list(itertools.product(S, STEPS)))
def test_each_step_from_every_state(make, owner, organisation, version, state, step):
    signature = make.signature(organisation, version, status=state)
    before = (signature.status, signature.lock_version, len(_actions()))
    if state == S.AWAITING_REPRESENTATIVE:
        _step(step, signature, owner)
        db.session.commit()
        assert _signature().status == STEPS[step]
        assert len(_actions()) == before[2] + 1
        return
    with pytest.raises(DomainError) as error:
        _step(step, signature, owner)
    assert "n’attend plus son représentant" in str(error.value)
    db.session.rollback()
    signature = _signature()
    assert (signature.status, signature.lock_version, len(_actions())) == before


def test_the_new_representative_may_not_be_a_member_either(client, login, owner, organisation,
                                                           prepared):
    login(owner)
    signature = _signature()
    response = client.post(
        f"/espace/organisations/{organisation.id}/signatures/{signature.id}/representant",
        data=REPRESENTATIVE | {"signatory_email": owner.email,
                               "lock_version": str(signature.lock_version)})
    assert response.status_code == 200
    assert "comme titulaire du compte" in response.get_data(as_text=True)
    assert _signature().signatory_email == REPRESENTATIVE["signatory_email"]
    assert len(_mails(REPRESENTATIVE["signatory_email"])) == 1


def test_a_waiting_signature_is_live_no_second_one_can_be_started(client, login, owner,
                                                                  organisation, prepared):
    login(owner)
    for path in ("signer", "signer/preparer"):
        response = client.get(f"/espace/organisations/{organisation.id}/{path}")
        assert response.status_code == 302
    assert "La charte est déjà signée" in client.get("/espace/").get_data(as_text=True)
    assert len(db.session.scalars(select(Signature)).all()) == 1
