import pytest
from sqlalchemy import select

from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage

from .conftest import form_data


@pytest.fixture
def app_config(smtp_app_config):
    return smtp_app_config


def test_signatory_receives_a_receipt_saying_moderation_is_pending(client, login, owner,
                                                                   organisation, version,
                                                                   smtp_server):
    login(owner)
    response = client.post(f"/espace/organisations/{organisation.id}/signer",
                           data=form_data(version, signatory_email="signataire@example.org"))
    assert response.status_code == 302

    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "signataire@example.org"
    assert "en attente de vérification" in mail["Subject"]
    body = mail.get_content()
    assert "Bonjour Claire Dupont" in body
    assert "au nom de la Commune de Saint-Exemple" in body and "version 1" in body
    assert "en attente de modération" in body
    assert db.session.scalar(select(OutboxMessage.sent_at)) is not None
