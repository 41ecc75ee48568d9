"""A deliberation PDF is opened by moderators: one with active content (JavaScript, actions,
embedded files, rich media, XFA) or one that is no readable PDF is refused at upload, and the
stored file is always served as an inert download."""

from io import BytesIO

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String
from sqlalchemy import func, select

from charter_service.extensions import db
from charter_service.signatures.models import Signature

from ..signatures.conftest import form_data

ACTIVE = "Ce PDF contient du contenu actif"
UNREADABLE = "Le fichier doit être un document PDF lisible."


@pytest.fixture
def owner(make, login):
    user = make.user(email="maire@mairie.example.org")
    login(user)
    return user


@pytest.fixture
def organisation(make, owner):
    return make.organisation(owner=owner, name="Commune de Saint-Exemple")


@pytest.fixture
def version(make):
    return make.version(number=1)


def _upload(client, organisation, version, content: bytes):
    data = form_data(version)
    data["deliberation"] = (BytesIO(content), "deliberation.pdf")
    return client.post(f"/espace/organisations/{organisation.id}/signer", data=data,
                       content_type="multipart/form-data")


def _stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Signature))


def _pdf(build=None, **save) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    if build is not None:
        build(pdf)
    buffer = BytesIO()
    pdf.save(buffer, **save)
    return buffer.getvalue()


def _js(code: str = "app.alert('pwned')") -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(code))


def _annotate(pdf, annotation: Dictionary) -> None:
    annotation.Type, annotation.Rect = Name.Annot, Array([0, 0, 50, 50])
    pdf.pages[0].obj.Annots = Array([pdf.make_indirect(annotation)])


def _link(action: Dictionary):
    return lambda pdf: _annotate(pdf, Dictionary(Subtype=Name.Link, A=pdf.make_indirect(action)))


def _set(**catalog):
    def build(pdf):
        for key, value in catalog.items():
            pdf.Root[f"/{key}"] = value(pdf) if callable(value) else value
    return build


def _attach(pdf) -> None:
    pdf.attachments["facture.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00")


def _js_in_an_object_stream() -> bytes:
    data = _pdf(_link(_js()), object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert b"/JavaScript" not in data and b"/JS" not in data  # only a parser can see it
    return data


def _js_outside_the_cross_reference_table() -> bytes:
    """An object that qpdf does not read but another reader might: found in the raw bytes."""
    return _pdf() + b"\n99 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n%%EOF\n"


ACTIVE_PDFS = {
    "open-action-javascript": lambda: _pdf(_set(OpenAction=_js())),
    "open-action-launch": lambda: _pdf(_set(OpenAction=Dictionary(
        S=Name.Launch, F=String("cmd.exe")))),
    "open-action-goto": lambda: _pdf(_set(OpenAction=lambda pdf: Dictionary(
        S=Name.GoTo, D=Array([pdf.pages[0].obj, Name.Fit])))),
    "document-javascript": lambda: _pdf(_set(Names=lambda pdf: Dictionary(JavaScript=Dictionary(
        Names=Array([String("init"), pdf.make_indirect(_js())]))))),
    "embedded-file": lambda: _pdf(_attach),
    "file-attachment-annotation": lambda: _pdf(lambda pdf: _annotate(pdf, Dictionary(
        Subtype=Name.FileAttachment, FS=String("facture.exe")))),
    "page-additional-action": lambda: _pdf(lambda pdf: setattr(
        pdf.pages[0].obj, "AA", Dictionary(O=_js()))),
    "javascript-in-an-object-stream": _js_in_an_object_stream,
    "javascript-outside-the-xref": _js_outside_the_cross_reference_table,
    "launch-link": lambda: _pdf(_link(Dictionary(S=Name.Launch, F=String("calc.exe")))),
    "submit-form-link": lambda: _pdf(_link(Dictionary(
        S=Name.SubmitForm, F=String("https://collecte.example.net")))),
    "remote-goto-link": lambda: _pdf(_link(Dictionary(S=Name.GoToR, F=String("autre.pdf"),
                                                      D=Array([0, Name.Fit])))),
    "rich-media": lambda: _pdf(lambda pdf: _annotate(pdf, Dictionary(Subtype=Name.RichMedia))),
    "xfa-form": lambda: _pdf(_set(AcroForm=lambda pdf: Dictionary(
        Fields=Array(), XFA=pdf.make_stream(b"<xdp:xdp/>")))),
    "field-calculation": lambda: _pdf(_set(AcroForm=lambda pdf: Dictionary(Fields=Array([
        pdf.make_indirect(Dictionary(FT=Name.Tx, T=String("total"),
                                     AA=Dictionary(C=_js())))])))),
}


@pytest.mark.parametrize("build", ACTIVE_PDFS.values(), ids=ACTIVE_PDFS.keys())
def test_a_pdf_with_active_content_is_refused_and_nothing_is_stored(
        client, organisation, version, build):
    response = _upload(client, organisation, version, build())
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<p class="error-message" id="deliberation-error">' in page
    assert ACTIVE in page.replace("&#39;", "'")
    assert _stored() == 0


def _encrypted() -> bytes:
    return _pdf(encryption=pikepdf.Encryption(owner="o", user="secret"))


@pytest.mark.parametrize(("content", "message"), [
    (b"%PDF-1.7\nnot a PDF body at all\ntrailer\n%%EOF\n", UNREADABLE),
    (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n", UNREADABLE),
    (None, "protégé par un mot de passe"),
], ids=["garbage", "no-pages", "password"])
def test_a_file_that_is_no_readable_pdf_is_refused(client, organisation, version, content,
                                                   message):
    response = _upload(client, organisation, version, content or _encrypted())
    assert response.status_code == 200
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert _stored() == 0


PLAIN_PDFS = {
    "blank-page": lambda: _pdf(),
    "web-link": lambda: _pdf(_link(Dictionary(S=Name.URI, URI=String("https://example.org")))),
    "open-at-first-page": lambda: _pdf(_set(OpenAction=lambda pdf: Array(
        [pdf.pages[0].obj, Name.Fit]))),
    "object-streams": lambda: _pdf(object_stream_mode=pikepdf.ObjectStreamMode.generate),
}


@pytest.mark.parametrize("build", PLAIN_PDFS.values(), ids=PLAIN_PDFS.keys())
def test_a_plain_pdf_is_kept(client, organisation, version, build):
    content = build()
    response = _upload(client, organisation, version, content)
    assert response.status_code == 302
    assert db.session.scalars(select(Signature.deliberation_pdf)).one() == content


@pytest.mark.parametrize("who", ["moderator", "owner"])
def test_the_stored_file_is_served_as_an_inert_download(client, login, make, owner,
                                                        organisation, version, who):
    signature = make.signature(organisation, version)
    signature.deliberation_pdf = b"%PDF-1.4\n<script>alert(1)</script>\n%%EOF"
    signature.deliberation_filename = "deliberation.pdf"
    db.session.commit()
    if who == "moderator":
        login(make.user(role="moderator"))
        url = f"/moderation/signatures/{signature.id}/deliberation"
    else:
        url = f"/espace/organisations/{organisation.id}/signatures/{signature.id}/deliberation"
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["Cache-Control"] == "private, no-store"
