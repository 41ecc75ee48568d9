"""A moderator records a signature received outside the site: the form, its refusals (each on
its field, nothing stored), the queue's badge, the proof's readers and the owners' invitation."""

import re
from datetime import timedelta
from io import BytesIO

import pikepdf
import pytest
from pikepdf import Dictionary, Name, String
from sqlalchemy import func, select

from charter_service.accounts.models import Role
from charter_service.charters.models import VersionStatus
from charter_service.dates import local_date
from charter_service.db_types import utcnow
from charter_service.extensions import db
from charter_service.idempotency.forms import new_key
from charter_service.mailing.models import OutboxMessage
from charter_service.organisations.models import Invitation, MemberRole, Organisation
from charter_service.signatures.models import Identification, PaperChannel, Signature

URL = "/moderation/signatures/hors-ligne"


@pytest.fixture
def app_config():
    return {"DELIBERATION_MAX_BYTES": 4096}


@pytest.fixture
def version(make):
    version = make.version(number=1)
    version.published_at = utcnow() - timedelta(days=30)
    db.session.commit()
    return version


def _pdf(build=None) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    if build is not None:
        build(pdf)
    buffer = BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def _with_javascript(pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("app.alert(1)"))


def _new_organisation(**overrides) -> dict:
    data = {"organisation": "new", "org-name": "Commune de Papier-sur-Loire",
            "org-kind": "collectivite", "org-identifier": "213 100 035", "org-rna": "",
            "org-address": "1 place de la Mairie", "org-postcode": "69001",
            "org-commune": "Lyon", "org-departement": "69"}
    data.update(overrides)
    return data


def _form(version, pdf=None, **overrides) -> dict:
    data = {"version": str(version.id), "channel": "deliberation",
            "signed_on": (local_date(utcnow()) - timedelta(days=3)).isoformat(),
            "signatory_name": "Jeanne Martin", "signatory_function": "Maire",
            "signatory_email": "", "owner_emails": "secretariat@papier.example.org",
            "form_key": new_key(), "proof": (BytesIO(pdf or _pdf()), "délibération.pdf"),
            **_new_organisation()}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _post(client, data):
    return client.post(URL, data=data, content_type="multipart/form-data")


def _counts() -> tuple[int, int, int]:
    db.session.expire_all()
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Signature, Organisation, Invitation))


def _error(page: str, field_id: str) -> str:
    found = re.search(rf'<p class="error-message" id="{re.escape(field_id)}-error">(.*?)</p>',
                      page, re.DOTALL)
    assert found, f"no error on {field_id}"
    return found.group(1)


def test_a_moderator_records_a_paper_signature_for_a_new_organisation(as_moderator, moderator,
                                                                      version):
    response = _post(as_moderator, _form(version, signatory_email="maire@papier.example.org"))
    assert response.status_code == 302
    signature = db.session.scalar(select(Signature))
    assert response.headers["Location"].endswith(f"/moderation/signatures/{signature.id}")
    assert (signature.identification, signature.paper_channel) == (
        Identification.PAPER, PaperChannel.DELIBERATION)
    assert signature.status.value == "pending" and signature.submitted_by == moderator
    assert signature.deliberation_filename == "deliberation.pdf"
    assert local_date(signature.signed_at) == local_date(utcnow()) - timedelta(days=3)
    organisation = signature.organisation
    assert (organisation.siren, organisation.memberships) == ("213100035", [])

    queue = as_moderator.get("/moderation/").get_data(as_text=True)
    assert "reçue hors ligne : délibération du conseil" in queue
    assert 'href="/moderation/signatures/hors-ligne"' in queue
    file = as_moderator.get(f"/moderation/signatures/{signature.id}").get_data(as_text=True)
    assert "reçue hors ligne : délibération du conseil" in file
    assert "Justificatif reçu" in file


def test_the_future_owner_is_invited_and_once_joined_sees_the_signature_and_its_proof(
        app, client, as_moderator, login, make, version):
    proof = _pdf()
    assert _post(as_moderator, _form(version, proof)).status_code == 302
    signature = db.session.scalar(select(Signature))
    [mail] = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "secretariat@papier.example.org")).all()
    assert "par délibération du conseil" in mail.body_text
    assert "d’après ce document papier" in mail.body_text
    link = re.search(r"http://\S+/invitations/\S+", mail.body_text).group(0)

    future_owner = make.user("secretariat@papier.example.org")
    owner_client = app.test_client()
    login(future_owner, owner_client)
    proof_url = (f"/espace/organisations/{signature.organisation_id}/signatures/"
                 f"{signature.id}/deliberation")
    assert owner_client.get(proof_url).status_code == 404  # not a member yet
    accepted = owner_client.post(link.replace("http://localhost", ""))
    assert accepted.status_code in (302, 303)
    db.session.expire_all()
    assert signature.organisation.role_of(future_owner) == MemberRole.OWNER
    assert "Commune de Papier-sur-Loire" in owner_client.get("/espace/").get_data(as_text=True)
    assert owner_client.get(proof_url).data == proof
    detail = owner_client.get(f"/espace/organisations/{signature.organisation_id}")
    page = detail.get_data(as_text=True)
    assert "reçue hors ligne : délibération du conseil" in page and proof_url in page


def test_the_proof_is_for_moderators_and_owners_only(app, client, as_moderator, login, make,
                                                     version):
    assert _post(as_moderator, _form(version)).status_code == 302
    signature = db.session.scalar(select(Signature))
    assert as_moderator.get(
        f"/moderation/signatures/{signature.id}/deliberation").status_code == 200
    member = make.user()
    db.session.add(_membership(member, signature.organisation, MemberRole.MEMBER))
    db.session.commit()
    member_client = app.test_client()
    login(member, member_client)
    assert member_client.get(f"/espace/organisations/{signature.organisation_id}/signatures/"
                             f"{signature.id}/deliberation").status_code == 403
    assert member_client.get(
        f"/moderation/signatures/{signature.id}/deliberation").status_code == 403


def _membership(user, organisation, role):
    from charter_service.organisations.models import Membership

    return Membership(user=user, organisation=organisation, role=role)


def test_an_existing_organisation_is_found_by_its_identifier_and_chosen(as_moderator, make,
                                                                        version):
    owner = make.user("presidente@asso.example.org")
    organisation = make.organisation(owner=owner, name="Les Amis du Papier", rna="W691234567")
    page = as_moderator.get(URL + "?q=W691234567").get_data(as_text=True)
    assert f'value="{organisation.id}"' in page and "Les Amis du Papier" in page
    assert "Les Amis du Papier" in as_moderator.get(URL + "?q=amis du").get_data(as_text=True)
    response = _post(as_moderator, _form(version, organisation=str(organisation.id),
                                         owner_emails="", channel="event"))
    assert response.status_code == 302
    signature = db.session.scalar(select(Signature))
    assert signature.organisation_id == organisation.id
    assert signature.paper_channel == PaperChannel.EVENT
    assert _counts() == (1, 1, 0)  # its owner is there already: nobody to invite


def _active_pdf() -> bytes:
    return _pdf(_with_javascript)


@pytest.mark.parametrize(("overrides", "field_id", "message"), [
    ({"proof": (BytesIO(b"MZ\x90 not a pdf"), "x.pdf")}, "proof", "doit être un document PDF"),
    ({"proof": (BytesIO(b"%PDF-1.4\n" + b"0" * 5000 + b"\n%%EOF\n"), "x.pdf")}, "proof",
     "taille autorisée (4 Ko)"),
    ({"proof": "active"}, "proof", "contient du contenu actif"),
    # Days from today in Paris, counted when the test runs (not when it is collected: around
    # midnight the two differ).
    ({"signed_on": 1}, "signed_on", "ne peut pas être dans le futur"),
    ({"signed_on": -40}, "signed_on", "ne peut pas être antérieure"),
    ({"signed_on": "31/02/2026"}, "signed_on", "Indiquez une date valide"),
    ({"org-identifier": "213 100 034"}, "org-identifier", "SIREN"),
    ({"org-identifier": "", "org-rna": "W12"}, "org-rna", "RNA"),
    ({"owner_emails": ""}, "owner_emails", "au moins une personne"),
    ({"owner_emails": "pas-une-adresse"}, "owner_emails", "pas valide"),
    ({"channel": "fax"}, "channel", "canal"),
    ({"organisation": None}, "organisation", "Choisissez l’organisation"),
])
def test_bad_input_is_refused_on_its_field_and_nothing_is_stored(as_moderator, version,
                                                                 overrides, field_id, message):
    overrides = dict(overrides)
    if isinstance(overrides.get("signed_on"), int):
        overrides["signed_on"] = (local_date(utcnow())
                                  + timedelta(days=overrides["signed_on"])).isoformat()
    if overrides.get("proof") == "active":
        overrides["proof"] = (BytesIO(_active_pdf()), "actif.pdf")
    response = _post(as_moderator, _form(version, **overrides))
    assert response.status_code == 200
    assert message in _error(response.get_data(as_text=True), field_id)
    assert _counts() == (0, 0, 0)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


@pytest.mark.parametrize("status", [VersionStatus.ARCHIVED, VersionStatus.DRAFT])
def test_a_version_that_is_not_the_published_one_is_refused(as_moderator, make, version,
                                                            status):
    other = make.version(number=2, status=status)
    other.published_at = version.published_at if status == VersionStatus.ARCHIVED else None
    db.session.commit()
    response = _post(as_moderator, _form(other))
    assert "n’est pas celle qui est publiée" in _error(response.get_data(as_text=True),
                                                         "version")
    assert _counts() == (0, 0, 0)


def test_an_organisation_with_a_live_signature_is_refused_naming_it(as_moderator, make,
                                                                    version):
    organisation = make.organisation(owner=make.user(), name="Déjà Signée")
    existing = make.signature(organisation, version)
    response = _post(as_moderator, _form(version, organisation=str(organisation.id)))
    error = _error(response.get_data(as_text=True), "organisation")
    assert "« Déjà Signée » a déjà une signature de la version 1" in error
    assert f"n° {existing.id}" in error and "Dominique Durand" in error
    assert _counts() == (1, 1, 0)


def test_a_duplicate_identifier_is_refused_on_the_new_organisation(as_moderator, make,
                                                                   version):
    make.organisation(name="Mairie existante", siren="213100035")
    response = _post(as_moderator, _form(version))
    assert "déjà inscrite" in _error(response.get_data(as_text=True), "org-identifier")
    assert _counts() == (0, 1, 0)


def test_submitting_twice_records_one_signature(as_moderator, version):
    data = _form(version)
    first = _post(as_moderator, data)
    data["proof"] = (BytesIO(_pdf()), "délibération.pdf")
    second = _post(as_moderator, data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert _counts() == (1, 1, 1)


def test_only_moderators_may_record(app, client, login, make, version):
    assert client.get(URL).status_code == 302  # to the log-in page
    login(make.user())
    assert client.get(URL).status_code == 403
    assert _post(client, _form(version)).status_code == 403
    assert _counts() == (0, 0, 0)
    login(make.user(role=Role.ADMIN))
    assert client.get(URL).status_code == 200
