"""The author of a progress update may correct or delete it for 24 hours; nobody else may."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from charter_service.commitments import progress
from charter_service.commitments.models import ProgressUpdate
from charter_service.db_types import utcnow
from charter_service.extensions import db
from charter_service.organisations.models import MemberRole, Membership

from .helpers import add_commitment, text


@pytest.fixture
def published(alpha):
    """Alpha's commitment with one progress update written by its owner."""
    commitment = add_commitment(alpha)
    data = progress.ProgressData(reported_on=date(2025, 6, 1), text="Deux fournisseurs.",
                                 values={commitment.indicators[0].id: Decimal(10)})
    update = progress.add_progress(commitment, data, alpha.owner)
    db.session.commit()
    urls = {"detail": f"{alpha.base}/{commitment.id}",
            "edit": f"{alpha.base}/{commitment.id}/avancements/{update.id}/modifier",
            "delete": f"{alpha.base}/{commitment.id}/avancements/{update.id}/supprimer"}
    return update, urls


def _correction(indicator_id: int) -> dict:
    return {"reported_on": "2025-06-02", "text": "Trois fournisseurs locaux.",
            f"value_{indicator_id}": "12,5"}


def test_the_author_corrects_their_update_within_24_hours(client, login, alpha, published):
    update, urls = published
    login(alpha.owner)
    assert "Corriger" in text(client.get(urls["detail"]))
    form = text(client.get(urls["edit"]))
    assert "Deux fournisseurs." in form and 'value="10"' in form

    indicator_id = update.values[0].indicator_id
    response = client.post(urls["edit"], data=_correction(indicator_id))

    assert response.status_code == 302
    db.session.expire_all()
    corrected = db.session.get(ProgressUpdate, update.id)
    assert corrected.text == "Trois fournisseurs locaux."
    assert corrected.reported_on == date(2025, 6, 2)
    assert [str(v.value.normalize()) for v in corrected.values] == ["12.5"]


def test_the_author_deletes_their_update_within_24_hours(client, login, alpha, published):
    _, urls = published
    login(alpha.owner)
    assert client.post(urls["delete"]).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ProgressUpdate)) == 0


def test_another_member_may_neither_correct_nor_delete(client, login, alpha, published, make):
    update, urls = published
    colleague = make.user()
    db.session.add(Membership(user=colleague, organisation=alpha.organisation,
                              role=MemberRole.OWNER))
    db.session.commit()
    login(colleague)
    assert "Corriger" not in text(client.get(urls["detail"]))
    assert client.get(urls["edit"]).status_code == 403
    assert client.post(urls["edit"], data=_correction(1)).status_code == 403
    assert client.post(urls["delete"]).status_code == 403
    assert db.session.get(ProgressUpdate, update.id).text == "Deux fournisseurs."


def test_a_stranger_gets_404(client, login, alpha, beta, published):
    _, urls = published
    login(beta.owner)
    assert client.get(urls["edit"]).status_code == 404
    assert client.post(urls["delete"]).status_code == 404


def test_after_24_hours_the_author_may_no_longer_correct(client, login, alpha, published):
    update, urls = published
    update.created_at = utcnow() - timedelta(hours=24, minutes=1)
    db.session.commit()
    login(alpha.owner)
    assert "Corriger" not in text(client.get(urls["detail"]))
    assert client.post(urls["edit"], data=_correction(1)).status_code == 403
    assert client.post(urls["delete"]).status_code == 403
    db.session.expire_all()
    assert db.session.get(ProgressUpdate, update.id).text == "Deux fournisseurs."
