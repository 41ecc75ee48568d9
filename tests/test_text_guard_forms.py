"""The text guard on a representative of every form: a refused character gets a French message
naming it on the field and nothing is stored; text in every script is stored as typed, in NFC."""

import html
import unicodedata

import pytest
from sqlalchemy import func, select

from charter_service.accounts.models import Role, User
from charter_service.commitments.models import Commitment, CommitmentPartner, ProgressUpdate
from charter_service.extensions import db
from charter_service.organisations.models import Organisation
from charter_service.signatures.models import Signature, SignatureStatus

from .commitments.helpers import Signatories, add_commitment, commitment_form
from .organisations.helpers import CREATE_URL, organisation_form
from .signatures.conftest import form_data

# Refused in every one-line field (the first character is the one the message names).
BAD_ONE_LINE = ["\x1b[31m", "\x08", "\x7f", "\x9b", "\r\n", "\u202e", "\u2067", "\u2028",
                "\ue000", "\u0378"]
# Also refused in names: zero-width characters and bidi marks.
BAD_NAME = BAD_ONE_LINE + ["\u200b", "\ufeff", "\u2060", "\u200f"]
BAD_MULTILINE = ["\x1b", "\x08", "\x7f", "\x9b", "\u202e", "\u2066", "\ue000", "\u0378"]
GOOD_NAMES = [
    "Élodie Müller-Łukasiewicz", "Ελληνική Εταιρεία Συνεργασίας", "جمعية الأمل للتنمية",
    "東京未来協会", "सहयोग सेवा संस्थान", "कृष्ण क्\u200dष", "انجمن می\u200cخواهیم",
    "שיתוף פעולה", "Zoé 🌍 Lefèvre 👩🏽\u200d💼", "Ассоциация «Рассвет»",
]


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _codepoint(bad: str) -> str:
    return f"(U+{ord(bad[0]):04X})"


def _refused(response, bad: str) -> None:
    assert response.status_code == 200, repr(bad)
    page = _page(response)
    assert _codepoint(bad) in page, repr(bad)
    assert "retirez" in page, repr(bad)


@pytest.fixture
def version(make):
    return make.version(number=1, principles=3)


@pytest.fixture
def alpha(make, version, login):
    signatory = Signatories(make, version).new(name="Alpha Coopérative")
    login(signatory.owner)
    return signatory


def _organisation(client, make, login):
    login(make.user())
    for bad in BAD_NAME:
        _refused(client.post(CREATE_URL, data=organisation_form(name=f"Les Amis{bad}du Rhône")),
                 bad)
    for bad in BAD_ONE_LINE:
        _refused(client.post(CREATE_URL, data=organisation_form(address=f"1 place{bad} B")), bad)
    for bad in BAD_MULTILINE:
        _refused(client.post(CREATE_URL, data=organisation_form(description=f"Une{bad}asso")),
                 bad)
    return lambda: _count(Organisation)


def _signing(client, make, login):
    owner = make.user()
    organisation = make.organisation(owner=owner)
    version = make.version()
    login(owner)
    url = f"/espace/organisations/{organisation.id}/signer"
    for field in ("signatory_name", "signatory_function"):
        for bad in BAD_NAME:
            _refused(client.post(url, data=form_data(version, **{field: f"Claire{bad}Dupont"})),
                     bad)
    return lambda: _count(Signature)


def _commitment(client, make, login):
    version = make.version()
    signatory = Signatories(make, version).new(name="Alpha Coopérative")
    login(signatory.owner)
    for field in ("title", "indicators-0-name"):
        for bad in BAD_ONE_LINE:
            form = commitment_form(version, **{field: f"Achats{bad}locaux"})
            _refused(client.post(f"{signatory.base}/nouveau", data=form), bad)
    for bad in BAD_MULTILINE:
        form = commitment_form(version, description=f"Acheter{bad}local")
        _refused(client.post(f"{signatory.base}/nouveau", data=form), bad)
    return lambda: _count(Commitment)


def _progress(client, make, login):
    signatory = Signatories(make, make.version()).new(name="Alpha Coopérative")
    commitment = add_commitment(signatory, indicators=())
    login(signatory.owner)
    url = f"{signatory.base}/{commitment.id}/avancement"
    for bad in BAD_MULTILINE:
        _refused(client.post(url, data={"reported_on": "2025-06-30",
                                        "text": f"Premier{bad}semestre"}), bad)
    return lambda: _count(ProgressUpdate)


def _partner(client, make, login):
    signatory = Signatories(make, make.version()).new(name="Alpha Coopérative")
    commitment = add_commitment(signatory)
    login(signatory.owner)
    url = f"{signatory.base}/{commitment.id}/partenaires/exterieur"
    for bad in BAD_NAME:
        _refused(client.post(url, data={"outside_name": f"Lycée{bad}agricole"}), bad)
    return lambda: _count(CommitmentPartner)


def _sign_up(client, make, login):
    for bad in BAD_NAME:
        _refused(client.post("/compte/inscription", data={
            "full_name": f"Camille{bad}Durand", "email": "camille@example.org",
            "password": "une phrase de passe assez longue", "locale": "fr",
            "password_confirm": "une phrase de passe assez longue"}), bad)
    return lambda: _count(User)


def _moderation_reason(client, make, login):
    signature = make.signature(make.organisation(), make.version(),
                               status=SignatureStatus.APPROVED)
    login(make.user(role=Role.MODERATOR))
    for bad in BAD_MULTILINE:
        _refused(client.post(f"/moderation/signatures/{signature.id}/suspendre", data={
            "suspendre-lock_version": str(signature.lock_version),
            "suspendre-message": f"Pratiques{bad}contraires"}), bad)

    def changed() -> int:
        db.session.expire_all()
        return int(db.session.get(Signature, signature.id).status != SignatureStatus.APPROVED)

    return changed


def _register_search(client, make, login):
    make.signature(make.organisation(name="Lyon Solidaire"), make.version(),
                   status=SignatureStatus.APPROVED)
    for bad in BAD_ONE_LINE:
        response = client.get("/registre", query_string={"q": f"Lyon{bad}Solidaire"})
        _refused(response, bad)
        assert "Recherche ignorée" in _page(response)
    return lambda: 0


FORMS = {"organisation": _organisation, "signing": _signing, "commitment": _commitment,
         "progress": _progress, "partner": _partner, "sign-up name": _sign_up,
         "moderation reason": _moderation_reason, "register search": _register_search}


@pytest.mark.parametrize("form", FORMS)
def test_refused_characters_are_named_on_the_field_and_nothing_is_stored(client, make, login,
                                                                          form):
    stored = FORMS[form](client, make, login)
    assert stored() == 0


def test_names_in_every_script_are_stored_as_typed_in_nfc(client, make, login):
    login(make.user())
    for name in GOOD_NAMES + ["Zoe\u0301 Ele\u0300ve"]:  # the last one decomposed (NFD)
        response = client.post(CREATE_URL, data=organisation_form(name=name, kind="autre", rna=""))
        assert response.status_code == 302, name
    stored = db.session.scalars(select(Organisation.name).order_by(Organisation.id)).all()
    assert stored == [unicodedata.normalize("NFC", name) for name in GOOD_NAMES] + [
        "Zoé Elève"]


def test_names_in_every_script_sign_up_and_sign(client, make, login):
    for number, name in enumerate(GOOD_NAMES):
        client.post("/compte/inscription", data={
            "full_name": name, "email": f"personne{number}@example.org", "locale": "fr",
            "password": "une phrase de passe assez longue",
            "password_confirm": "une phrase de passe assez longue"})
    assert db.session.scalars(select(User.full_name).order_by(User.id)).all() == GOOD_NAMES

    owner, version = make.user(), make.version()
    for name in GOOD_NAMES:
        organisation = make.organisation(owner=owner)
        login(owner)
        client.post(f"/espace/organisations/{organisation.id}/signer",
                    data=form_data(version, signatory_name=name, signatory_function=name))
    assert db.session.scalars(select(Signature.signatory_name).order_by(Signature.id)).all() \
        == GOOD_NAMES


def test_line_breaks_in_multi_line_text_are_stored_as_lf(client, alpha):
    commitment = add_commitment(alpha, indicators=())
    response = client.post(f"{alpha.base}/{commitment.id}/avancement", data={
        "reported_on": "2025-06-30", "text": "Premier semestre :\r\n\t- 2 100 repas\rFin\u2029"})
    assert response.status_code == 302
    assert db.session.scalar(select(ProgressUpdate.text)) == \
        "Premier semestre :\n\t- 2 100 repas\nFin"


@pytest.mark.parametrize("char", ["\U00013000", "\u16a0", "\ua9b2"])  # hieroglyph, runic, Javanese
def test_a_character_our_pdf_fonts_cannot_print_is_refused(client, make, login, char):
    """The attestation prints the name with the shipped fonts only: what they lack is refused
    at input instead of printing as an empty box."""
    login(make.user())
    response = client.post(CREATE_URL, data=organisation_form(name=f"Les Amis {char} du Rhône"))
    assert response.status_code == 200
    page = _page(response)
    assert "que nos documents PDF ne savent pas imprimer" in page
    assert _codepoint(char) in page
    assert _count(Organisation) == 0
