"""A moderator's file on one signature: the organisation, the signatory, the deliberation,
the warnings and only the decisions its state allows."""

import pytest

from charter_service.extensions import db
from charter_service.signatures.models import SignatureStatus

from .conftest import text

S = SignatureStatus
FORMS = {"approuver", "demander-des-modifications", "refuser", "suspendre", "retablir"}


def _forms(page: str) -> set[str]:
    return {slug for slug in FORMS if f'/{slug}"' in page}


@pytest.fixture
def signature(make, version):
    owner = make.user("presidente@jardins.example.org", full_name="Paule Présidente")
    member = make.user("tresorier@jardins.example.org", full_name="Théo Trésorier")
    organisation = make.organisation(owner=owner, members=[member], name="Les Jardins Partagés",
                                     siren="732829320")
    return make.signature(organisation, version)


def test_the_file_shows_organisation_signatory_and_members(as_moderator, signature):
    page = text(as_moderator.get(f"/moderation/signatures/{signature.id}"))
    assert page.count("<h1") == 1 and "Les Jardins Partagés" in page
    assert "SIREN 732 829 320" in page and "Aucun identifiant" not in page
    assert "Paule Présidente" in page and "tresorier@jardins.example.org" in page
    assert "Dominique Durand" in page and "Présidente" in page
    assert signature.version_sha256 in page
    assert "Délibération</dt><dd>aucune" in page


@pytest.mark.parametrize(("state", "expected"), [
    (S.PENDING, {"approuver", "demander-des-modifications", "refuser"}),
    (S.CHANGES_REQUESTED, set()),
    (S.APPROVED, {"suspendre"}),
    (S.SUSPENDED, {"retablir"}),
    (S.REJECTED, set()),
    (S.WITHDRAWN, set()),
])
def test_only_the_decisions_allowed_in_its_state(as_moderator, make, signature, state,
                                                 expected):
    make.reach(signature, state)
    page = text(as_moderator.get(f"/moderation/signatures/{signature.id}"))
    assert _forms(page) == expected
    if not expected:
        assert "Aucune décision n’est possible" in page.replace("&#39;", "'")


def test_moderators_download_the_deliberation(as_moderator, signature, client):
    signature.deliberation_filename = "deliberation-ca.pdf"
    signature.deliberation_pdf = b"%PDF-1.4 test"
    db.session.commit()
    page = text(as_moderator.get(f"/moderation/signatures/{signature.id}"))
    assert f'href="/moderation/signatures/{signature.id}/deliberation"' in page

    response = as_moderator.get(f"/moderation/signatures/{signature.id}/deliberation")

    assert response.status_code == 200 and response.data == b"%PDF-1.4 test"
    assert response.mimetype == "application/pdf"
    assert "deliberation-ca.pdf" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"


def test_no_deliberation_answers_404(as_moderator, signature):
    assert as_moderator.get(
        f"/moderation/signatures/{signature.id}/deliberation").status_code == 404


def test_the_file_lists_the_warnings(as_moderator, signature, make):
    signature.signatory_email = "jardins69@gmail.com"
    db.session.commit()
    make.organisation(name="Jardins partagés (les)")
    page = text(as_moderator.get(f"/moderation/signatures/{signature.id}")).replace("&#39;", "'")
    assert "Points d’attention" in page
    assert "Doublon possible : « Jardins partagés (les) »" in page
    assert "(@gmail.com) n’est pas du domaine du site web (example.org)" in page
