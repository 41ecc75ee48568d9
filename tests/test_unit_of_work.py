"""The one unit of work (charter_service/domain.py), seen through real views: a service's
refusal is shown beside its form field, or as a flash, nothing of the request is stored, and
the form comes back with what the person typed."""

import html
import re

from sqlalchemy import func, select

from charter_service.commitments.models import Commitment, Indicator
from charter_service.extensions import db
from charter_service.organisations.models import Organisation
from charter_service.signatures.models import SignatureStatus

from .commitments.helpers import Signatories, add_commitment, commitment_form
from .organisations.helpers import CREATE_URL, organisation_form


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _field_error(page: str, field_id: str) -> str | None:
    found = re.search(rf'<p class="error-message" id="{field_id}-error">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)) if found else None


def _flashes(page: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'<p class="flash flash-error"[^>]*>(.*?)</p>',
                                                 page, re.S)]


def test_a_refusal_with_a_field_is_shown_beside_it_and_nothing_is_stored(client, login, make):
    make.organisation(owner=make.user(), rna="W691234567")
    login(make.user())
    before = _count(Organisation)

    response = client.post(CREATE_URL, data=organisation_form(
        name="Les Amis de la Saône", rna="W691234567", commune="Villefranche-sur-Saône"))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Une organisation avec ce numéro RNA est déjà inscrite" in _field_error(page, "rna")
    assert _flashes(page) == []
    assert _count(Organisation) == before
    assert 'value="Les Amis de la Saône"' in html.unescape(page)
    assert 'value="Villefranche-sur-Saône"' in html.unescape(page)


def test_a_refusal_without_a_field_of_its_own_is_flashed_and_nothing_is_stored(
        client, login, make):
    signatories = Signatories(make, make.version(number=1, principles=3))
    alpha = signatories.new(name="Alpha Coopérative", status=SignatureStatus.APPROVED)
    beta = signatories.new(name="Béta Solidaire", status=SignatureStatus.APPROVED)
    mine, theirs = add_commitment(alpha), add_commitment(beta, title="Le leur")
    foreign = theirs.indicators[0].id
    login(alpha.owner)
    indicators = _count(Indicator)

    # The indicators are a list of fields: the refusal goes to the top of the page.
    response = client.post(f"{alpha.base}/{mine.id}/modifier", data=commitment_form(
        alpha.signature.charter_version, title="Achats locaux et solidaires",
        **{"indicators-0-id": str(foreign), "indicators-0-name": "Volé"}))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _flashes(page) == ["Cet indicateur n’appartient pas à cet engagement."]
    assert _field_error(page, "title") is None
    db.session.expire_all()
    assert db.session.get(Commitment, mine.id).title == "Achats locaux"
    assert [i.name for i in db.session.get(Commitment, theirs.id).indicators] != ["Volé"]
    assert _count(Indicator) == indicators
    assert 'value="Achats locaux et solidaires"' in html.unescape(page)
