"""Text that broke the service before the guard: each case as it was reported (issue 10, item 8),
the NUL guard over every request, and `flask text check` over rows stored behind the forms."""

import html
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import func, select, update

from charter_service.accounts.models import Role, User
from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage
from charter_service.organisations.models import Organisation
from charter_service.signatures.models import Signature, SignatureStatus
from charter_service.text import UnsafeText

from .organisations.helpers import CREATE_URL, organisation_form
from .signatures.conftest import form_data

NUL_MESSAGE = "La requête contient un caractère nul (U+0000)"


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def owner(make, login):
    user = make.user("fondatrice@example.org")
    login(user)
    return user


def test_a_line_break_in_a_name_is_refused_before_anything_is_signed_or_mailed(client, make,
                                                                              owner):
    response = client.post(CREATE_URL, data=organisation_form(
        name="Les Amis du Rhône\r\nBcc: tous@example.org"))
    assert response.status_code == 200
    assert "Ce champ tient sur une seule ligne : retirez le retour à la ligne (U+000D)." \
        in _page(response)
    assert _count(Organisation) == 0

    organisation, version = make.organisation(owner=owner), make.version()
    response = client.post(f"/espace/organisations/{organisation.id}/signer",
                           data=form_data(version, signatory_name="Claire\u2028Dupont",
                                          signatory_function="Maire\u2029"))
    assert response.status_code == 200
    assert "(U+2028)" in _page(response)
    assert _count(Signature) == 0 and _count(OutboxMessage) == 0


def test_a_nul_in_an_organisation_name_answers_400_and_the_feed_stays_readable(client, make,
                                                                              owner):
    response = client.post(CREATE_URL, data=organisation_form(name="Association\x00Test"))
    assert response.status_code == 400
    assert NUL_MESSAGE in _page(response)
    assert _count(Organisation) == 0

    make.signature(make.organisation(name="Association Test"), make.version(),
                   status=SignatureStatus.APPROVED)
    feed = client.get("/registre/changements.atom")
    assert feed.status_code == 200
    ET.fromstring(feed.get_data())  # noqa: S314  (our own output, in a test)


@pytest.mark.parametrize(("bad", "codepoint"), [("\x1b", "U+001B"), ("\x08", "U+0008")])
def test_an_escape_or_backspace_in_a_name_is_refused_so_approval_never_breaks(client, owner,
                                                                            bad, codepoint):
    for field in ("name", "commune"):
        response = client.post(CREATE_URL, data=organisation_form(**{field: f"Lyon{bad}Test"}))
        assert response.status_code == 200
        assert (f"Ce champ contient un caractère invisible ou de contrôle ({codepoint}) : "
                "retirez-le.") in _page(response)
    assert _count(Organisation) == 0


def test_a_right_to_left_override_cannot_disguise_a_name(client, make, owner):
    disguised = "Association \u202etseT elbissop"  # shown as « Association possible Test »
    message = "Ce champ contient un caractère invisible ou de contrôle (U+202E) : retirez-le."
    response = client.post(CREATE_URL, data=organisation_form(name=disguised))
    assert response.status_code == 200 and message in _page(response)
    assert _count(Organisation) == 0

    organisation = make.organisation(owner=owner, name="Association possible Test")
    edit = client.post(f"/espace/organisations/{organisation.id}/modifier",
                       data=organisation_form(name=disguised))
    assert edit.status_code == 200 and message in _page(edit)
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).name == "Association possible Test"

    response = client.post(f"/espace/organisations/{organisation.id}/signer",
                           data=form_data(make.version(), signatory_name="Claire \u202eDupont"))
    assert response.status_code == 200 and message in _page(response)
    assert _count(Signature) == 0


@pytest.fixture
def moderator_client(client, make, login):
    login(make.user(role=Role.MODERATOR))
    return client


@pytest.mark.parametrize("url", [
    "/registre?q=Lyon%00", "/registre?type=%00", "/registre.csv?q=%00", "/engagements?q=%00",
    "/verifier?numero=CFA%00", "/organisations/x%00y", "/charte?x%00=1",
    "/moderation/?type=%00", "/moderation/journal?du=%00",
])
def test_a_nul_in_the_path_or_query_string_answers_400(moderator_client, url):
    response = moderator_client.get(url)
    assert response.status_code == 400, url
    assert NUL_MESSAGE in _page(response)


def test_a_nul_in_a_form_value_answers_400(client, make):
    response = client.post("/compte/connexion", data={"email": "a@example.org\x00",
                                                      "password": "x"})
    assert response.status_code == 400
    assert NUL_MESSAGE in _page(response)


def test_a_nul_in_an_api_query_answers_a_json_400(client):
    response = client.get("/api/v1/signatories?q=Lyon%00")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == 400 and NUL_MESSAGE in error["message"]


def test_an_api_search_with_a_bidi_override_is_explained(client):
    response = client.get("/api/v1/signatories", query_string={"q": "Lyon\u202e"})
    assert response.status_code == 422
    assert "(U+202E)" in response.get_json()["error"]["message"]


def test_every_writer_through_the_models_is_guarded_too(app, make):
    with pytest.raises(UnsafeText, match=r"\(U\+202E\).*\(organisations\.name\)"):
        make.organisation(name="Association \u202etseT elbissop")
    db.session.rollback()
    user = make.user(full_name="  Zoe\u0301  ")
    assert user.full_name == "Zoé"
    with pytest.raises(UnsafeText, match=r"\(U\+001B\)"):
        user.full_name = "Camille\x1bDurand"


def _text_check(app):
    return app.test_cli_runner().invoke(args=["text", "check"])


def _store_behind_the_guard(model, row_id: int, **values) -> None:
    """As an old release, a bulk import or a hand-written SQL statement could have."""
    db.session.execute(update(model).where(model.id == row_id).values(**values))
    db.session.commit()


def test_text_check_lists_stored_rows_the_guard_refuses(app, make):
    organisation = make.organisation()
    signature = make.signature(organisation, make.version())
    user = make.user()
    _store_behind_the_guard(Organisation, organisation.id, name="Association \u202etseT elbissop",
                            commune="Lyon\x7f")
    _store_behind_the_guard(Signature, signature.id, signatory_function="Maire\r\nadjointe")
    _store_behind_the_guard(User, user.id, full_name="Camille\u200bDurand")

    result = _text_check(app)

    assert result.exit_code == 1
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert [line[:3] for line in lines] == [
        ["organisations", str(organisation.id), "name"],
        ["organisations", str(organisation.id), "commune"],
        ["signatures", str(signature.id), "signatory_function"],
        ["users", str(user.id), "full_name"],
    ]
    assert [line[3].split(" ")[0] for line in lines] == ["U+202E", "U+007F", "U+000D", "U+200B"]
    assert "RIGHT-TO-LEFT OVERRIDE" in lines[0][3]
    assert "4 texte(s) à corriger" in result.stderr


def test_text_check_passes_over_clean_text_in_every_script(app, make):
    organisation = make.organisation(name="جمعية الأمل 🌍", commune="Saint-Étienne")
    organisation.description = "Ligne 1\r\nLigne 2\tsuite"  # as browsers send text areas
    make.user(full_name="कृष्ण क्\u200dष")
    db.session.commit()

    result = _text_check(app)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Aucun texte enregistré ne contient de caractère refusé."


def test_users_create_refuses_a_name_the_forms_refuse(app):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "mod@example.org", "--role", "moderator",
        "--name", "Mona\u202e Modératrice", "--password", "une phrase de passe assez longue"])
    assert result.exit_code == 2
    assert "(U+202E)" in result.output
    assert _count(User) == 0
