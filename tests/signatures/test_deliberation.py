from io import BytesIO

import pytest
from sqlalchemy import select

from charter_service.extensions import db
from charter_service.organisations.models import MemberRole, Membership
from charter_service.signatures.models import Signature

from .conftest import form_data


@pytest.fixture
def app_config():
    return {"DELIBERATION_MAX_BYTES": 4096}


def _post(client, organisation, version, content, filename="deliberation.pdf"):
    data = form_data(version)
    data["deliberation"] = (BytesIO(content), filename)
    return client.post(f"/espace/organisations/{organisation.id}/signer", data=data,
                       content_type="multipart/form-data")


def _download_url(organisation, signature):
    return f"/espace/organisations/{organisation.id}/signatures/{signature.id}/deliberation"


def _stored():
    db.session.expire_all()
    return db.session.scalars(select(Signature)).all()


@pytest.mark.parametrize(("content", "filename", "message"), [
    (b"MZ\x90\x00 not a pdf", "deliberation.pdf", "doit être un document PDF"),
    (b"%PDF-1.7\n truncated without its end", "deliberation.pdf", "doit être un document PDF"),
    (b"<html><script>alert(1)</script></html>", "deliberation.html", "doit être un document PDF"),
    (b"%PDF-1.4\n" + b"0" * 5000 + b"\n%%EOF\n", "grand.pdf", "taille autorisée (4 Ko)"),
])
def test_a_deliberation_that_is_not_an_acceptable_pdf_is_refused(client, login, owner,
                                                                 organisation, version, content,
                                                                 filename, message):
    login(owner)
    response = _post(client, organisation, version, content, filename)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<p class="error-message" id="deliberation-error">' in page and message in page
    assert _stored() == []


def test_a_small_pdf_is_kept_and_downloadable_by_members(client, login, make, owner,
                                                         organisation, version, small_pdf):
    login(owner)
    response = _post(client, organisation, version, small_pdf, "Délibération n°12.pdf")
    assert response.status_code == 302
    [signature] = _stored()
    assert signature.deliberation_pdf == small_pdf
    assert signature.deliberation_filename == "Deliberation_n12.pdf"

    download = client.get(_download_url(organisation, signature))
    assert download.status_code == 200
    assert download.mimetype == "application/pdf" and download.data == small_pdf
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "Deliberation_n12.pdf" in download.headers["Content-Disposition"]


def test_a_plain_member_may_download_the_deliberation(client, login, make, organisation,
                                                      version, small_pdf):
    member = make.user()
    organisation.memberships.append(Membership(user=member, role=MemberRole.MEMBER))
    signature = _signature_with_pdf(make, organisation, version, small_pdf)
    login(member)
    assert client.get(_download_url(organisation, signature)).data == small_pdf


def test_strangers_and_other_organisations_get_not_found(client, login, make, organisation,
                                                         version, small_pdf):
    signature = _signature_with_pdf(make, organisation, version, small_pdf)
    stranger = make.user()
    own = make.organisation(owner=stranger)
    login(stranger)
    assert client.get(_download_url(organisation, signature)).status_code == 404
    assert client.get(_download_url(own, signature)).status_code == 404


def test_no_deliberation_is_not_found(client, login, make, owner, organisation, version):
    signature = make.signature(organisation, version)
    login(owner)
    assert client.get(_download_url(organisation, signature)).status_code == 404


def test_logged_out_visitor_cannot_download(client, make, organisation, version, small_pdf):
    signature = _signature_with_pdf(make, organisation, version, small_pdf)
    response = client.get(_download_url(organisation, signature))
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


def _signature_with_pdf(make, organisation, version, pdf):
    signature = make.signature(organisation, version)
    signature.deliberation_pdf, signature.deliberation_filename = pdf, "deliberation.pdf"
    db.session.commit()
    return signature
