"""A member's personal data on request: the download holds theirs and no one else's; the
deletion erases the personal part and keeps the evidence, or is refused and changes nothing."""

import json

import pytest
from sqlalchemy import func, select

from charter_service.accounts import personal_data, services
from charter_service.accounts.models import LoginSession, User
from charter_service.audit.models import AuditEntry
from charter_service.certificates.models import Certificate, CertificateStatus
from charter_service.domain import DomainError
from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage
from charter_service.organisations.models import Membership
from charter_service.signatures.models import Identification, Signature

from .helpers import log_in, text
from .personal_data_world import build


@pytest.fixture
def world(make):
    return build(make)


def _delete(client, password, confirm="y"):
    data = {"current_password": password, "submit": "Supprimer mon compte"}
    if confirm:
        data["confirm"] = confirm
    return client.post("/compte/supprimer", data=data)


def _audit_count() -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)))


def test_the_download_holds_the_members_data_and_no_one_elses(client, login, world):
    login(world.karim)
    response = client.get("/compte/mes-donnees")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "private, no-store"
    raw = response.get_data(as_text=True)
    data = json.loads(raw)
    assert data["account"]["email"] == "karim.benali@example.org"
    assert data["account"]["full_name"] == "Karim Benali"
    assert [m["organisation"]["name"] for m in data["memberships"]] == ["Élan Solidaire"]
    assert [(s["organisation"], s["signatory_name"], s["signatory_function"])
            for s in data["signatures"]] == [("Élan Solidaire", "Karim Benali", "Président")]
    assert [c["title"] for c in data["commitments"]["authored"]] == ["Achats locaux"]
    messages = [e["personal"] for e in data["audit_entries"] if e["personal"]]
    assert messages == [{"message": "Message de Karim Benali"}]
    assert len(data["login_sessions"]) == 1
    for others in ("Zoé", "zoe.autre", "Autre Asso", "Jardins partagés", "Trésorière",
                   "Rose Responsable", "rose.responsable"):
        assert others not in raw, others


def test_the_download_and_the_deletion_need_a_logged_in_member(client, world):
    for path in ("/compte/mes-donnees", "/compte/supprimer"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/compte/connexion?next=")


def test_settings_offer_the_download_and_the_deletion(client, login, world):
    login(world.karim)
    page = text(client.get("/compte/"))
    assert 'href="/compte/mes-donnees"' in page and 'href="/compte/supprimer"' in page
    assert "Télécharger mes données" in page and "Supprimer mon compte" in page


@pytest.mark.parametrize(("password", "confirm", "message"), [
    ("pas le bon mot de passe", "y", "Le mot de passe actuel est incorrect."),
    (None, "y", "Indiquez votre mot de passe actuel."),
    ("password", None, "Cochez la case pour confirmer la suppression."),
])
def test_a_deletion_without_password_or_confirmation_changes_nothing(
        client, login, make, world, password, confirm, message):
    login(world.karim)
    before = _audit_count()
    page = text(_delete(client, make.password if password == "password" else password or "",
                        confirm))
    assert message in page
    db.session.expire_all()
    karim = db.session.get(User, world.karim.id)
    assert (karim.email, karim.full_name, karim.erased_at) == (
        "karim.benali@example.org", "Karim Benali", None)
    assert _audit_count() == before


def test_deletion_erases_the_personal_part_and_keeps_the_evidence(app, client, login, make,
                                                                  world):
    login(world.karim)
    certificate = db.session.scalar(select(Certificate).where(
        Certificate.signature_id == world.signature.id))
    pdf_sha = certificate.sha256
    response = _delete(client, make.password)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Votre compte a été supprimé" in text(client.get("/"))
    db.session.expire_all()
    karim = db.session.get(User, world.karim.id)
    assert karim.erased_at is not None and karim.full_name == ""
    assert "karim" not in karim.email
    # The member can no longer log in, with the old session or the old password.
    assert client.get("/compte/").status_code == 302
    assert services.authenticate("karim.benali@example.org", make.password)[0] is \
        services.LoginOutcome.BAD_CREDENTIALS
    assert "Vous êtes connecté" not in text(log_in(app.test_client(), "karim.benali@example.org",
                                                  make.password))
    assert db.session.scalar(select(func.count(LoginSession.id))
                             .where(LoginSession.user_id == karim.id)) == 0
    assert db.session.scalar(select(func.count(Membership.id))
                             .where(Membership.user_id == karim.id)) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.recipient == "karim.benali@example.org")) == 0
    # The evidence stays: the signature with the function, the attestation, the audit chain.
    signature = db.session.get(Signature, world.signature.id)
    assert (signature.signatory_name, signature.signatory_email,
            signature.signatory_function) == ("", "", "Président")
    certificate = db.session.get(Certificate, certificate.id)
    assert certificate.status == CertificateStatus.VALID and certificate.sha256 == pdf_sha
    signatory = json.loads(certificate.rendered_from)["signatory"]
    assert (signatory["name"], signatory["function"]) == ("", "Président")
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.actor_id == karim.id)
                                 .order_by(AuditEntry.seq)).all()
    assert [e.personal for e in entries if e.personal_digest] == [None]
    assert entries[-1].action == "user.erase"
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_after_deletion_the_pages_show_the_function_only(client, login, make, world):
    login(world.karim)
    _delete(client, make.password)
    public = text(client.get(f"/organisations/{world.elan.slug}"))
    assert "Élan Solidaire" in public and "Karim" not in public
    login(world.owner)
    space = text(client.get(f"/espace/organisations/{world.elan.id}"))
    assert "Président" in space and "Karim" not in space
    members = text(client.get(f"/espace/organisations/{world.elan.id}/membres"))
    assert "Rose Responsable" in members and "Karim" not in members


def test_the_last_owner_of_an_organisation_is_refused_and_nothing_is_lost(client, login, make,
                                                                          world):
    login(world.zoe)
    before = _audit_count()
    page = text(_delete(client, make.password))
    assert "dernier responsable de l’organisation « Autre Asso »" in page
    db.session.expire_all()
    zoe = db.session.get(User, world.zoe.id)
    assert (zoe.email, zoe.full_name, zoe.erased_at) == ("zoe.autre@example.org", "Zoé Autre",
                                                         None)
    assert [m.organisation.name for m in zoe.memberships] == ["Autre Asso"]
    assert _audit_count() == before
    assert client.get("/compte/").status_code == 200  # still logged in


def test_a_replayed_deletion_is_refused_and_changes_nothing(client, login, make, world):
    login(world.karim)
    _delete(client, make.password)
    db.session.expire_all()
    erased_at, count = db.session.get(User, world.karim.id).erased_at, _audit_count()
    again = _delete(client, make.password)
    assert again.status_code == 302 and again.headers["Location"].startswith("/compte/connexion")
    login_page = text(client.get(again.headers["Location"]))
    assert "Connectez-vous pour accéder à cette page." in login_page
    # The same request reaching the service again (two tabs, a double click) is refused too.
    with pytest.raises(DomainError, match="déjà été supprimé"):
        personal_data.erase(db.session.get(User, world.karim.id), actor=world.karim)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(User, world.karim.id).erased_at == erased_at
    assert _audit_count() == count


def test_someone_elses_account_by_id_is_refused(client, login, world):
    login(world.karim)
    for path in (f"/moderation/comptes/{world.zoe.id}/export",
                 f"/moderation/comptes/{world.zoe.id}/suppression"):
        response = client.post(path, data={"confirm": "y"})
        assert response.status_code == 403
        assert "accès" in text(response).casefold()
    assert client.get(f"/moderation/comptes/{world.zoe.id}").status_code == 403
    own = json.loads(client.get(f"/compte/mes-donnees?user_id={world.zoe.id}").get_data())
    assert own["account"]["id"] == world.karim.id
    db.session.expire_all()
    assert db.session.get(User, world.zoe.id).erased_at is None


def test_erasing_who_prepared_a_signature_leaves_the_representative_named(client, login, make,
                                                                          world):
    """Karim prepared the signature that Zoé, the representative, confirmed by e-mail: his
    name leaves the attestation's data (« préparée par »), hers stays."""
    signature = world.signature
    signature.signatory_name, signature.signatory_email = "Zoé Martin", "zoe.martin@example.org"
    signature.identification = Identification.EMAIL
    certificate = db.session.scalar(select(Certificate).where(
        Certificate.signature_id == signature.id))
    data = json.loads(certificate.rendered_from)
    data["signatory"].update(name="Zoé Martin", prepared_by="Karim Benali")
    certificate.rendered_from = json.dumps(data)
    db.session.commit()
    login(world.karim)
    assert _delete(client, make.password).status_code == 302
    db.session.expire_all()
    signatory = json.loads(db.session.get(Certificate, certificate.id).rendered_from)["signatory"]
    assert (signatory["name"], signatory["prepared_by"]) == ("Zoé Martin", "")
    assert db.session.get(Signature, signature.id).signatory_name == "Zoé Martin"
