import hashlib

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from charter_service.charters.models import VersionStatus
from charter_service.charters.services import publish_version
from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage
from charter_service.signatures.models import Signature, SignatureStatus
from charter_service.signatures.services import AlreadySigned, sign

from .conftest import form_data


def _url(organisation):
    return f"/espace/organisations/{organisation.id}/signer"


def _signatures():
    db.session.expire_all()
    return db.session.scalars(select(Signature).order_by(Signature.id)).all()


def test_owner_sees_the_principles_and_the_form(client, login, owner, organisation, version):
    login(owner)
    response = client.get(_url(organisation))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("<h1") == 1 and "Commune de Saint-Exemple" in page
    assert all(p.title in page for p in version.principles)
    assert "J’atteste être habilité·e à engager « Commune de Saint-Exemple »" in page
    assert "principes de la version 1" in page
    assert f'value="{version.sha256()}"' in page and f'value="{version.id}"' in page
    assert 'value="maire@mairie.example.org"' in page  # e-mail defaults to the user's


def test_owner_signs_once_and_the_signature_is_pending(client, login, owner, organisation,
                                                      version):
    login(owner)
    response = client.post(_url(organisation), data=form_data(version))
    assert response.status_code == 302 and response.headers["Location"] == "/espace/"

    [signature] = _signatures()
    assert signature.status == SignatureStatus.PENDING
    assert signature.organisation_id == organisation.id
    assert signature.charter_version_id == version.id
    assert signature.version_sha256 == hashlib.sha256(
        version.canonical_text().encode("utf-8")).hexdigest()
    assert (signature.signatory_name, signature.signatory_function) == ("Claire Dupont", "Maire")
    assert signature.signatory_email == "claire.dupont@mairie.example.org"
    assert signature.authority_attested and signature.principles_accepted
    assert signature.submitted_by_id == owner.id and signature.signed_at is not None
    assert signature.deliberation_pdf is None
    outbox = db.session.scalars(select(OutboxMessage)).all()
    assert [m.recipient for m in outbox] == ["claire.dupont@mairie.example.org"]


def test_double_post_creates_exactly_one_signature(client, login, owner, organisation, version):
    login(owner)
    first = client.post(_url(organisation), data=form_data(version))
    second = client.post(_url(organisation), data=form_data(version), follow_redirects=False)
    assert first.status_code == second.status_code == 302
    assert len(_signatures()) == 1
    with client.session_transaction() as session:
        messages = [message for _, message in session["_flashes"]]
    assert any("déjà signée" in message for message in messages)
    assert client.get(_url(organisation)).status_code == 302  # nothing left to sign


def test_database_refuses_a_second_live_signature(make, organisation, version):
    make.signature(organisation, version, status=SignatureStatus.APPROVED)
    db.session.add(Signature(
        organisation=organisation, charter_version=version, signatory_name="Autre",
        signatory_function="Maire", signatory_email="autre@example.org",
        authority_attested=True, principles_accepted=True, version_sha256=version.sha256()))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_signature_the_check_did_not_see_is_caught_by_the_index(owner, organisation,
                                                                  version):
    """Two simultaneous submissions: the second one's insert hits the partial unique index."""
    rival = Signature(organisation=organisation, charter_version=version,
                      signatory_name="Rival", signatory_function="Adjoint",
                      signatory_email="rival@example.org", authority_attested=True,
                      principles_accepted=True, version_sha256=version.sha256())
    data = {"signatory_name": "Claire Dupont", "signatory_function": "Maire",
            "signatory_email": "claire@example.org", "authority_attested": True,
            "principles_accepted": True}
    with db.session.no_autoflush:
        db.session.add(rival)  # not flushed: invisible to sign()'s check, like a parallel commit
        with pytest.raises(AlreadySigned):
            sign(organisation, version, data, owner)
    db.session.rollback()
    assert _signatures() == []
    assert db.session.scalars(select(OutboxMessage)).all() == []


@pytest.mark.parametrize("status", [SignatureStatus.REJECTED, SignatureStatus.WITHDRAWN])
def test_a_rejected_or_withdrawn_signature_allows_signing_again(client, login, make, owner,
                                                                organisation, version, status):
    make.signature(organisation, version, status=status)
    login(owner)
    assert client.post(_url(organisation), data=form_data(version)).status_code == 302
    assert [s.status for s in _signatures()] == [status, SignatureStatus.PENDING]


@pytest.mark.parametrize("status", [SignatureStatus.PENDING, SignatureStatus.CHANGES_REQUESTED,
                                    SignatureStatus.APPROVED, SignatureStatus.SUSPENDED])
def test_a_live_signature_blocks_a_new_one(client, login, make, owner, organisation, version,
                                           status):
    make.signature(organisation, version, status=status)
    login(owner)
    response = client.post(_url(organisation), data=form_data(version))
    assert response.status_code == 302 and response.headers["Location"] == "/espace/"
    assert len(_signatures()) == 1


def test_plain_member_is_forbidden(client, login, make, version):
    member = make.user()
    organisation = make.organisation(owner=make.user(), members=[member])
    login(member)
    assert client.get(_url(organisation)).status_code == 403
    assert client.post(_url(organisation), data=form_data(version)).status_code == 403
    assert _signatures() == []


def test_stranger_gets_not_found(client, login, make, organisation, version):
    login(make.user())
    assert client.get(_url(organisation)).status_code == 404
    assert client.post(_url(organisation), data=form_data(version)).status_code == 404
    assert client.get("/espace/organisations/999999/signer").status_code == 404
    assert _signatures() == []


def test_logged_out_visitor_is_sent_to_log_in(client, organisation, version):
    response = client.get(_url(organisation))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/compte/connexion")
    assert client.post(_url(organisation), data=form_data(version)).status_code == 302
    assert _signatures() == []


@pytest.mark.parametrize(("field", "message"), [
    ("authority_attested", "Cochez cette case pour attester que vous pouvez engager"),
    ("principles_accepted", "Cochez cette case pour accepter les principes"),
    ("signatory_name", "Indiquez le nom de la personne qui signe"),
    ("signatory_function", "Indiquez la fonction de la personne qui signe"),
])
def test_missing_required_answer_is_explained_beside_the_field(client, login, owner,
                                                               organisation, version, field,
                                                               message):
    login(owner)
    response = client.post(_url(organisation), data=form_data(version, **{field: None}))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<p class="error-message" id="{field}-error">{message}' in page
    assert 'value="Maire"' in page or field == "signatory_function"  # entries are kept
    assert _signatures() == []
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


@pytest.mark.parametrize(("field", "value", "message"), [
    ("signatory_email", "pas-une-adresse", "Cette adresse e-mail n"),
    ("signatory_name", "x" * 121, "120 caractères au plus"),
    ("signatory_name", "Claire\x1bDupont", "caractère invisible ou de contrôle (U+001B)"),
])
def test_invalid_entries_are_refused(client, login, owner, organisation, version, field, value,
                                     message):
    login(owner)
    response = client.post(_url(organisation), data=form_data(version, **{field: value}))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _signatures() == []


def test_html_emoji_and_rtl_in_names_are_stored_as_typed_and_escaped(client, login, make, owner,
                                                                     organisation, version):
    name = "<script>alert(1)</script> Nour الهدى 🤝"
    login(owner)
    client.post(_url(organisation), data=form_data(version, signatory_name=name,
                                                   signatory_function="Présidente <b>"))
    [signature] = _signatures()
    assert signature.signatory_name == name
    assert signature.signatory_function == "Présidente <b>"

    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert name in message.body_text  # plain-text mail: no HTML escaping needed
    make.reach(signature, SignatureStatus.REJECTED, at=signature.signed_at)
    page = client.post(_url(organisation),
                       data=form_data(version, signatory_name=name, authority_attested=None))
    html = page.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Nour الهدى 🤝" in html


def test_version_changed_between_display_and_submission_is_refused(client, login, make, owner,
                                                                  organisation, version):
    login(owner)
    shown = form_data(version)
    newer = make.version(number=2, status=VersionStatus.DRAFT)
    publish_version(2)
    db.session.commit()

    response = client.post(_url(organisation), data=shown)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "La charte a changé pendant que vous la lisiez" in page
    assert f'value="{newer.sha256()}"' in page and "Claire Dupont" in page
    assert _signatures() == []

    assert client.post(_url(organisation), data=form_data(newer)).status_code == 302
    [signature] = _signatures()
    assert signature.charter_version_id == newer.id
    assert signature.version_sha256 == newer.sha256()


def test_tampered_fingerprint_is_refused(client, login, owner, organisation, version):
    login(owner)
    response = client.post(_url(organisation),
                           data=form_data(version, version_sha256="0" * 64))
    assert "La charte a changé" in response.get_data(as_text=True)
    assert _signatures() == []


def test_no_published_version_redirects_with_a_message(client, login, make, owner,
                                                       organisation):
    make.version(status=VersionStatus.DRAFT)
    login(owner)
    response = client.get(_url(organisation))
    assert response.status_code == 302 and response.headers["Location"] == "/espace/"


def test_out_of_range_ids_are_not_found(client, login, owner):
    login(owner)
    huge = 2**70
    assert client.get(f"/espace/organisations/{huge}/signer").status_code == 404
    assert client.get(f"/espace/organisations/1/signatures/{huge}/deliberation").status_code == 404
