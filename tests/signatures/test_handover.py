"""Hand-over of an approved signature to a successor: the owner names them, they confirm from an
e-mailed link without an account; the signature stays approved with its dates, the attestation
is superseded by one naming them, the former name is kept only in the audit log's erasable
part; moderators are told and may object. Every way the steps can be misused."""

import itertools
import json
import re
import shutil
import subprocess

import pytest
from sqlalchemy import select, update

from charter_service.accounts.models import ModerationAlerts, Role
from charter_service.accounts.personal_data import erase
from charter_service.audit.models import AuditEntry
from charter_service.certificates.models import Certificate, CertificateStatus
from charter_service.domain import DomainError
from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage
from charter_service.organisations.models import MemberRole, Membership
from charter_service.signatures import handover
from charter_service.signatures.models import Identification, Signature, SignatureStatus
from charter_service.signatures.workflow import Transition, apply
from tests.conftest import require

S = SignatureStatus
FORMER = "Dominique Durand"  # the factories' signatory
SUCCESSOR = {"signatory_name": "Camille Lefèvre", "signatory_function": "Maire",
             "signatory_email": "camille.lefevre@mairie.example.org"}
LINK = re.compile(r"http://localhost(/passation-representant/[^\s]+)")


@pytest.fixture
def app_config(signing_pair_config):
    return signing_pair_config


@pytest.fixture
def moderator(make):
    moderator = make.user("moderatrice@fondation.example.org", role=Role.MODERATOR)
    moderator.moderation_alerts = ModerationAlerts.IMMEDIATE
    db.session.commit()
    return moderator


@pytest.fixture
def approved(make, organisation, version, moderator):
    return make.signature(organisation, version, status=S.APPROVED, decided_by=moderator)


def _signature() -> Signature:
    db.session.expire_all()
    return db.session.scalars(select(Signature)).one()


def _mails(to: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == to)
                                   .order_by(OutboxMessage.id)))


def _link(to: str = SUCCESSOR["signatory_email"]) -> str:
    return LINK.search(_mails(to)[-1].body_text).group(1)


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


def _entry(action: str) -> AuditEntry:
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).one()


def _logout(client) -> None:
    with client.session_transaction() as session:
        session.clear()


def _path(signature, step: str = "") -> str:
    return (f"/espace/organisations/{signature.organisation_id}/signatures/{signature.id}"
            f"/passation{step}")


def _ask(client, signature, **changes):
    return client.post(_path(signature), data=SUCCESSOR | {
        "lock_version": str(signature.lock_version)} | changes)


def _confirm(client, link, **changes):
    data = {"confirm-authority_attested": "y", "confirm-principles_accepted": "y",
            "confirm-lock_version": str(_signature().lock_version)} | changes
    return client.post(f"{link}/confirmer", data=data)


@pytest.fixture
def asked(client, login, owner, approved):
    """The owner named the successor, who was sent the link; logged out."""
    login(owner)
    assert _ask(client, approved).status_code == 302
    _logout(client)
    return _link()


def _certificates() -> list[Certificate]:
    db.session.expire_all()
    return list(db.session.scalars(select(Certificate).order_by(Certificate.id)))


def test_asking_keeps_the_signature_approved_and_mails_a_bound_link(asked, owner, moderator):
    signature = _signature()
    assert signature.status == S.APPROVED and signature.signatory_name == FORMER
    assert (signature.successor_name, signature.successor_nonce) == ("Camille Lefèvre",
                                                                     signature.successor_nonce)
    assert signature.successor_nonce
    [mail] = _mails(SUCCESSOR["signatory_email"])
    assert "Claire Dupont vous désigne pour succéder" in mail.body_text
    assert signature.version_sha256 in mail.body_text and "valable 14 jours" in mail.body_text
    entry = _entry("signature.handover_request")
    assert entry.actor_id == owner.id
    assert json.loads(entry.personal)["successor"]["name"] == "Camille Lefèvre"


def test_the_space_shows_the_waiting_hand_over_with_its_controls(client, login, owner, asked):
    login(owner)
    page = client.get("/espace/").get_data(as_text=True)
    assert "Passation en attente : Camille Lefèvre (Maire)" in page
    for control in ("Renvoyer le lien au successeur", "Changer de successeur",
                    "Annuler la passation"):
        assert control in page


def test_the_owner_sees_the_form_from_an_approved_signature(client, login, owner, approved):
    login(owner)
    assert "Changer de représentant légal" in client.get("/espace/").get_data(as_text=True)
    form = client.get(_path(approved)).get_data(as_text=True)
    assert "représentant actuel : Dominique Durand, Présidente" in form


def test_opening_the_link_shows_what_is_signed_and_changes_nothing(client, asked, version):
    before = _signature().lock_version
    page = client.get(asked).get_data(as_text=True)
    assert "« Commune de Saint-Exemple »" in page and version.sha256() in page
    assert "non communicant" in page and "Licence Ouverte" in page
    for principle in version.principles:
        assert principle.title in page
    assert _signature().lock_version == before


def test_confirming_hands_the_signature_over_in_one_transaction(client, asked, moderator,
                                                                organisation):
    before = _signature()
    signed_at, decided_at = before.signed_at, before.decided_at
    [old] = _certificates()
    actions = len(_actions())
    response = _confirm(client, asked)
    assert response.status_code == 200
    assert "Vous représentez désormais « Commune de Saint-Exemple »" in response.get_data(
        as_text=True)
    signature = _signature()
    assert signature.status == S.APPROVED
    assert (signature.signed_at, signature.decided_at) == (signed_at, decided_at)
    assert (signature.signatory_name, signature.signatory_function,
            signature.signatory_email) == tuple(SUCCESSOR.values())
    assert signature.identification == Identification.EMAIL
    assert signature.representative_since is not None and signature.successor_nonce is None
    # One entry for the signature's change; the attestation's own entries follow it.
    assert _actions()[actions:] == ["signature.handover", "certificate.reserve",
                                    "certificate.supersede", "certificate.issue"]
    personal = json.loads(_entry("signature.handover").personal)
    assert personal["former"]["name"] == FORMER
    assert personal["successor"]["name"] == "Camille Lefèvre"
    old, new = _certificates()
    assert (old.status, old.superseded_by_id) == (CertificateStatus.SUPERSEDED, new.id)
    assert new.status == CertificateStatus.VALID
    data = json.loads(new.rendered_from)
    assert data["signatory"]["name"] == "Camille Lefèvre"
    assert data["signatory"]["representative_since"] and data["signatory"]["prepared_by"] == ""
    assert data["approved_at"] == json.loads(old.rendered_from)["approved_at"]
    assert FORMER not in old.rendered_from  # its PDF stays as issued
    [alert] = [m for m in _mails(moderator.email) if "changé de représentant" in m.body_text]
    assert f"/moderation/signatures/{signature.id}" in alert.body_text


def test_the_former_name_is_nowhere_but_the_audit_logs_erasable_part(client, asked,
                                                                    organisation):
    _confirm(client, asked)
    [_, new] = _certificates()
    pages = [client.get(f"/organisations/{organisation.slug}"), client.get("/registre"),
             client.get("/registre.csv"), client.get("/registre.json"),
             client.get("/api/v1/signatories"),
             client.get(f"/api/v1/signatories/{organisation.slug}"),
             client.get(f"/verifier/{new.number}")]
    for response in pages:
        assert response.status_code == 200, response.request.path
        text = response.get_data(as_text=True)
        assert FORMER not in text and "dominique.durand" not in text, response.request.path
    assert organisation.name in pages[0].get_data(as_text=True)
    for certificate in _certificates():
        assert FORMER not in certificate.rendered_from
    signature = _signature()
    assert FORMER not in json.dumps([signature.signatory_name, signature.signatory_email])
    entries = list(db.session.scalars(select(AuditEntry)))
    assert all(FORMER not in entry.after + entry.before + entry.reason for entry in entries)
    assert FORMER in _entry("signature.handover").personal


def test_the_old_attestation_verifies_as_replaced(client, asked):
    _confirm(client, asked)
    old, new = _certificates()
    page = client.get(f"/verifier/{old.number}").get_data(as_text=True)
    assert "Remplacée" in page and new.number in page


def test_the_moderation_page_shows_the_hand_over_history(client, login, asked, moderator):
    _confirm(client, asked)
    login(moderator)
    page = client.get(f"/moderation/signatures/{_signature().id}").get_data(as_text=True)
    assert "Passations de représentant légal" in page
    assert "Passation demandée (successeur désigné)" in page
    assert "Passation confirmée : nouveau représentant légal" in page
    # From the audit log's erasable part, for moderators only.
    assert "Ancien représentant : Dominique Durand, Présidente (dominique.durand@example.org)" \
        in page
    assert "Successeur : Camille Lefèvre, Maire" in page
    assert "Contester la passation" in page


def test_a_moderator_contests_and_the_signature_is_suspended(client, login, asked, owner,
                                                             moderator):
    _confirm(client, asked)
    login(moderator)
    signature = _signature()
    response = client.post(f"/moderation/signatures/{signature.id}/contester-passation", data={
        "contester-message": "Le conseil municipal n’a pas encore élu de maire.",
        "contester-lock_version": str(signature.lock_version)})
    assert response.status_code == 302
    signature = _signature()
    assert signature.status == S.SUSPENDED
    assert _actions()[-2:] == ["signature.suspend", "certificate.revoke"]
    assert _entry("signature.suspend").reason == "passation"
    revoked = _certificates()[-1]
    assert revoked.status == CertificateStatus.REVOKED
    assert revoked.revocation_label.value == "suspended_for_review"
    told = _mails(owner.email)[-1]
    assert "Le conseil municipal n’a pas encore élu de maire." in told.body_text


def test_contesting_needs_a_reason_and_a_hand_over(client, login, approved, moderator, asked):
    login(moderator)
    signature = _signature()
    response = client.post(f"/moderation/signatures/{signature.id}/contester-passation",
                           data={"contester-message": "",
                                 "contester-lock_version": str(signature.lock_version)})
    assert response.status_code == 302 and _signature().status == S.APPROVED
    with pytest.raises(DomainError):
        handover.contest(_signature(), moderator, "Motif", signature.lock_version - 1)
    db.session.rollback()
    assert _signature().status == S.APPROVED


def test_contesting_a_waiting_hand_over_cancels_it_first(asked, moderator):
    signature = _signature()
    handover.contest(signature, moderator, "Passation douteuse", signature.lock_version)
    db.session.commit()
    signature = _signature()
    assert signature.status == S.SUSPENDED and signature.successor_nonce is None
    assert _actions()[-3:-1] == ["signature.handover_cancel", "signature.suspend"]


def test_contest_is_refused_without_any_hand_over(approved, moderator):
    with pytest.raises(DomainError) as error:
        handover.contest(approved, moderator, "Motif", approved.lock_version)
    assert "aucune passation" in str(error.value)


def test_the_successor_declines_and_the_owner_is_told(client, asked, owner):
    response = client.post(f"{asked}/decliner", data={
        "decline-reason": "Je ne prends mes fonctions qu’en mars.",
        "decline-lock_version": str(_signature().lock_version)})
    assert response.status_code == 200 and "Vous avez décliné" in response.get_data(
        as_text=True)
    signature = _signature()
    assert signature.signatory_name == FORMER and signature.successor_nonce is None
    assert _actions()[-1] == "signature.handover_decline"
    told = _mails(owner.email)[-1]
    assert "Camille Lefèvre (Maire) a décliné la passation" in told.body_text
    assert "Je ne prends mes fonctions qu’en mars." in told.body_text
    assert len(_certificates()) == 1


def test_resending_replaces_the_link(client, login, owner, asked):
    login(owner)
    client.post(_path(_signature(), "/renvoyer"),
                data={"lock_version": str(_signature().lock_version)})
    fresh = _link()
    assert fresh != asked and _actions()[-1] == "signature.handover_resent"
    _logout(client)
    response = _confirm(client, asked)
    assert response.status_code == 410
    assert "remplacé par un lien plus récent" in response.get_data(as_text=True)
    assert _confirm(client, fresh).status_code == 200


def test_changing_the_successor_replaces_the_link(client, login, owner, asked):
    login(owner)
    signature = _signature()
    response = client.post(_path(signature), data=SUCCESSOR | {
        "signatory_name": "Nadia Roussel", "signatory_email": "nadia.roussel@mairie.example.org",
        "lock_version": str(signature.lock_version)})
    assert response.status_code == 302
    entry = _entry("signature.handover_changed")
    assert json.loads(entry.personal)["before"]["name"] == "Camille Lefèvre"
    _logout(client)
    assert _confirm(client, asked).status_code == 410
    assert _confirm(client, _link("nadia.roussel@mairie.example.org")).status_code == 200
    assert _signature().signatory_name == "Nadia Roussel"


def test_cancelling_stops_the_link(client, login, owner, asked):
    login(owner)
    client.post(_path(_signature(), "/annuler"),
                data={"lock_version": str(_signature().lock_version)})
    assert _signature().successor_nonce is None
    assert _actions()[-1] == "signature.handover_cancel"
    _logout(client)
    for response in (client.get(asked), _confirm(client, asked)):
        assert response.status_code == 410
        assert "la passation a été annulée" in response.get_data(as_text=True)
    assert _signature().signatory_name == FORMER


def test_a_used_link_does_not_work_again(client, asked):
    _confirm(client, asked)
    after = _actions()
    for response in (client.get(asked), _confirm(client, asked),
                     client.post(f"{asked}/decliner", data={})):
        assert response.status_code == 410
        assert "Ce lien a déjà servi" in response.get_data(as_text=True)
    assert _actions() == after


def test_a_tampered_link_is_refused(client, asked):
    tampered = asked[:-3] + ("aaa" if not asked.endswith("aaa") else "bbb")
    for response in (client.get(tampered), _confirm(client, tampered)):
        assert response.status_code == 400
        assert "Ce lien n’est pas valide" in response.get_data(as_text=True)
    assert _signature().signatory_name == FORMER


def test_a_representatives_link_is_no_hand_over_link(client, asked):
    """Each purpose has its salt: the token of one kind of link is not valid for the other."""
    token = asked.rsplit("/", 1)[1]
    response = client.get(f"/signature-representant/{token}")
    assert response.status_code == 400


def test_an_expired_link_says_so(app, client, asked):
    app.config["REPRESENTATIVE_LINK_MAX_AGE"] = -1
    response = _confirm(client, asked)
    assert response.status_code == 410 and "Ce lien a expiré" in response.get_data(as_text=True)
    assert "qui a demandé la passation de le renvoyer" in response.get_data(as_text=True)
    assert _signature().signatory_name == FORMER


def test_a_link_opened_by_another_signed_in_person_does_nothing(client, login, owner, asked):
    login(owner)
    for response in (client.get(asked), _confirm(client, asked)):
        assert response.status_code == 403
        page = response.get_data(as_text=True)
        assert "Ce lien est destiné à camille.lefevre@mairie.example.org" in page
    assert _signature().signatory_name == FORMER


def test_the_successor_may_not_be_the_current_representative(client, login, owner, approved):
    login(owner)
    response = _ask(client, approved, signatory_email="DOMINIQUE.DURAND@example.org")
    assert response.status_code == 200
    assert "celle du représentant actuel" in response.get_data(as_text=True)
    assert _signature().successor_nonce is None and _actions()[-1] != "signature.handover_request"
    assert db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient.ilike("dominique.durand@example.org"),
        OutboxMessage.subject.contains("représentez"))).all() == []


def test_a_second_hand_over_cannot_be_asked_while_one_waits(owner, asked):
    signature = _signature()
    with pytest.raises(DomainError) as error:
        handover.ask(signature, SUCCESSOR, owner, signature.lock_version)
    assert "attend déjà la confirmation de Camille Lefèvre" in str(error.value)


def test_suspended_meanwhile_the_confirmation_fails_cleanly(client, asked, moderator):
    signature = _signature()
    apply(signature, Transition.SUSPEND, actor=moderator, reason="Vérification")
    db.session.commit()
    after = _actions()
    for response in (client.get(asked), _confirm(client, asked)):
        assert response.status_code == 409
        assert "n’est plus approuvée" in response.get_data(as_text=True)
    signature = _signature()
    assert signature.status == S.SUSPENDED and signature.signatory_name == FORMER
    assert _actions() == after
    with pytest.raises(DomainError) as error:
        handover.confirm(signature, signature.lock_version)
    assert "Seule une signature approuvée" in str(error.value)


def test_when_owner_and_successor_act_at_once_the_later_write_changes_nothing(asked):
    """The successor's request read the signature; before it writes, the owner's request
    (another connection) committed a new successor. The successor's write is refused."""
    signature = _signature()
    seen = signature.lock_version
    with db.engine.connect() as owner:
        owner.execute(update(Signature).where(Signature.id == signature.id).values(
            successor_name="Nadia Roussel", successor_nonce="nouveau", lock_version=seen + 1))
        owner.commit()
    with pytest.raises(DomainError) as error:
        handover.confirm(signature, seen_version=seen)
    assert "modifiée pendant que vous la lisiez" in str(error.value)
    db.session.rollback()
    signature = _signature()
    assert signature.signatory_name == FORMER and signature.successor_nonce == "nouveau"


def test_a_page_older_than_the_signature_is_refused(asked):
    signature = _signature()
    with pytest.raises(DomainError) as error:
        handover.confirm(signature, seen_version=signature.lock_version - 1)
    assert "modifiée pendant que vous la lisiez" in str(error.value)


@pytest.mark.parametrize("step", ["", "/renvoyer", "/annuler"])
def test_a_plain_member_and_a_stranger_cannot_take_any_step(client, login, make, organisation,
                                                            approved, step):
    member = make.user("membre@mairie.example.org")
    stranger = make.user("autre@ailleurs.example.org")
    make.organisation(owner=stranger, name="Autre commune")
    db.session.add(Membership(organisation=organisation, user=member, role=MemberRole.MEMBER))
    db.session.commit()
    for user, status in ((member, 403), (stranger, 404)):
        login(user)
        response = client.post(_path(approved, step), data=SUCCESSOR | {
            "lock_version": str(approved.lock_version)})
        assert response.status_code == status
    assert _signature().successor_nonce is None and _mails(SUCCESSOR["signatory_email"]) == []


# Each step → the states it is allowed from: asking with no hand-over waiting, the others with
# one waiting. Giving a waiting hand-over up is possible whatever happened meanwhile.
STEPS = ("ask", "resend", "change", "cancel", "confirm", "decline")
ALLOWED = {"ask": {S.APPROVED}, "resend": {S.APPROVED}, "change": {S.APPROVED},
           "cancel": set(S), "confirm": {S.APPROVED}, "decline": set(S)}


def _step(name, signature, owner):
    seen = signature.lock_version
    other = SUCCESSOR | {"signatory_email": "nadia.roussel@mairie.example.org"}
    return {"ask": lambda: handover.ask(signature, SUCCESSOR, owner, seen),
            "resend": lambda: handover.resend(signature, owner, seen),
            "change": lambda: handover.change(signature, other, owner, seen),
            "cancel": lambda: handover.cancel(signature, owner, seen),
            "confirm": lambda: handover.confirm(signature, seen),
            "decline": lambda: handover.decline(signature, seen)}[name]()


def _waiting(signature) -> None:
    signature.successor_name, signature.successor_function = "Camille Lefèvre", "Maire"
    signature.successor_email, signature.successor_nonce = SUCCESSOR["signatory_email"], "n"
    db.session.commit()


def _refused(step, signature, owner, message: str) -> None:
    before = (signature.signatory_name, signature.lock_version, len(_actions()))
    with pytest.raises(DomainError) as error:
        _step(step, signature, owner)
    assert message in str(error.value)
    db.session.rollback()
    signature = _signature()
    assert (signature.signatory_name, signature.lock_version, len(_actions())) == before


@pytest.mark.parametrize(("state", "step"), list(itertools.product(S, STEPS)))
def test_each_step_from_every_state(make, owner, organisation, version, state, step):
    signature = make.signature(organisation, version, status=state)
    if step != "ask":
        _waiting(signature)
    if state not in ALLOWED[step]:
        _refused(step, signature, owner, "Seule une signature approuvée")
        return
    actions = len(_actions())
    _step(step, signature, owner)
    db.session.commit()
    assert _actions()[actions] == {
        "ask": "signature.handover_request", "resend": "signature.handover_resent",
        "change": "signature.handover_changed", "cancel": "signature.handover_cancel",
        "confirm": "signature.handover", "decline": "signature.handover_decline"}[step]
    assert (_signature().successor_nonce is None) == (step in ("cancel", "confirm", "decline"))


@pytest.mark.parametrize("step", [step for step in STEPS if step != "ask"])
def test_without_a_waiting_hand_over_no_other_step_is_possible(owner, approved, step):
    _refused(step, approved, owner, "Aucune passation n’attend")


@pytest.mark.real_pdf
def test_the_new_attestation_names_the_successor_and_says_since_when(client, asked):
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    _confirm(client, asked)
    old, new = _certificates()
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=new.pdf, capture_output=True,
                                   check=True).stdout.decode().split())
    assert "Camille Lefèvre" in text and "Maire" in text and FORMER not in text
    assert re.search(r"Représentant·e depuis le (1er|\d+) \w+ \d{4} \(confirmé par e-mail\), à "
                     r"la suite d’une passation ; charte signée le", text)


def test_erasing_the_successors_account_gives_the_waiting_hand_over_up(make, client, asked):
    successor = make.user(SUCCESSOR["signatory_email"])
    erase(successor, actor=successor)
    db.session.commit()
    signature = _signature()
    assert signature.successor_nonce is None and signature.successor_name is None
    assert signature.signatory_name == FORMER
    assert client.get(asked).status_code == 410
